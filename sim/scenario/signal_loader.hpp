#pragma once
// Hourly series for scenarios: by id from the data index (data/signals.toml), or a CSV file the user names.
// A CSV has a header `hour,<kind>` and one value per hour; bad rows are errors naming file, line, column.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/toml_reader.hpp"
#include "sim/core/hourly_signal.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// The folder of shipped data: $FLEETSIM_DATA_DIR, else the repository's data/ (set at build time).
std::string data_directory();

class SignalLoader {
 public:
  // Relative CSV paths are resolved against `scenario`'s folder.
  explicit SignalLoader(const Scenario& scenario) : scenario_(scenario) {}

  // The signal for `key` of `reader`: a number (constant), a series id of kind `kind`, or a CSV path.
  HourlySignal read(TomlReader& reader, const std::string& key, const std::string& kind);
  // Ids of the series of `kind` in the data index.
  std::vector<std::string> known_ids(const std::string& kind);

 private:
  struct IndexEntry {
    std::string file;
    std::string kind;
  };
  const std::map<std::string, IndexEntry>& index();
  std::shared_ptr<const std::vector<double>> load_csv(const std::string& path, const std::string& kind,
                                                      const SourcePosition& referenced_at, const std::string& key);
  const Scenario& scenario_;
  bool index_loaded_ = false;
  std::map<std::string, IndexEntry> index_;
  std::map<std::string, std::shared_ptr<const std::vector<double>>> cache_;
};

}  // namespace fleetsim

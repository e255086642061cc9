#pragma once
// A CSV file with a header line, read row by row with typed access to its fields; every error is an
// InputError naming file, line and column. Shared by the trace readers (sim/workload/trace/) and the node-list
// reader of the scenario (sim/scenario/openb_node_list.hpp).
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace fleetsim {

// Opens `path` for reading; InputError naming the file when it cannot be opened.
std::ifstream open_csv(const std::string& path);

bool is_blank(const std::vector<std::string>& fields);

// The header's column names; a UTF-8 byte order mark before the first one is dropped.
std::vector<std::string> read_header(std::istream& in, const std::string& path, long& line);

int column_index(const std::vector<std::string>& header, const std::string& name);

// Index of every required column in the header, in the order asked; one error names all missing ones.
std::vector<int> required_columns(const std::vector<std::string>& header, const std::vector<std::string>& names,
                                  const std::string& path, long line);

// A finite decimal number filling the whole field.
bool parse_number(const std::string& field, double& value);

// One data row: typed access to its fields, errors naming file, line and column.
class CsvRow {
 public:
  CsvRow(const std::string& path, int line, const std::vector<std::string>& header,
         const std::vector<std::string>& fields);

  const std::string& text(int column) const;
  double number(int column) const;
  std::int64_t whole(int column, std::int64_t max) const;

  [[noreturn]] void fail(int column, const std::string& problem) const;
  [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& got) const;

  static constexpr std::int64_t kNoLimit = std::int64_t(1) << 52;  // exact in a double

 private:
  const std::string& path_;
  int line_;
  const std::vector<std::string>& header_;
  const std::vector<std::string>& fields_;
};

}  // namespace fleetsim

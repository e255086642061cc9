#include "sim/scenario/signal_loader.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sys/stat.h>

#include "sim/core/csv_row.hpp"
#include "sim/core/csv_table.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/name_list.hpp"

namespace fleetsim {

std::string data_directory() {
  if (const char* dir = std::getenv("FLEETSIM_DATA_DIR"); dir && *dir) return dir;
  return FLEETSIM_DEFAULT_DATA_DIR;
}

const std::map<std::string, SignalLoader::IndexEntry>& SignalLoader::index() {
  if (index_loaded_) return index_;
  index_loaded_ = true;
  const std::string path = data_directory() + "/signals.toml";
  const toml::table table = parse_toml_file(path);
  TomlReader root(table, path, "");
  const auto entries = root.table_array("series");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    TomlReader entry = root.element(*entries[i], "series", i);
    const std::string id = entry.string("id");
    IndexEntry value{entry.string("file"), entry.string("kind")};
    for (const char* informative : {"year", "resolution", "source", "licence", "notes"}) entry.node(informative);
    entry.finish();
    index_[id] = value;
  }
  root.finish();
  return index_;
}

std::vector<std::string> SignalLoader::known_ids(const std::string& kind) {
  std::vector<std::string> ids;
  try {
    for (const auto& [id, entry] : index())
      if (entry.kind == kind) ids.push_back(id);
  } catch (const InputError&) {
  }
  return ids;
}

namespace {

// Series already read in this process, by path and kind, while the file's size and modification time stay the
// same: a sweep (or the scenario fuzzer) loads the same year of hourly values once, not once per scenario.
struct ParsedSeries {
  std::string path, kind;
  off_t size = 0;
  timespec modified{};
  std::shared_ptr<const std::vector<double>> values;
};

std::mutex parsed_mutex;
std::vector<ParsedSeries> parsed_series;  // a handful of files

bool file_identity(const std::string& path, off_t& size, timespec& modified) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return false;
  size = status.st_size;
  modified = status.st_mtim;
  return true;
}

std::shared_ptr<const std::vector<double>> parsed_before(const std::string& path, const std::string& kind) {
  off_t size = 0;
  timespec modified{};
  if (!file_identity(path, size, modified)) return nullptr;
  std::lock_guard<std::mutex> lock(parsed_mutex);
  for (const ParsedSeries& series : parsed_series)
    if (series.path == path && series.kind == kind && series.size == size &&
        series.modified.tv_sec == modified.tv_sec && series.modified.tv_nsec == modified.tv_nsec)
      return series.values;
  return nullptr;
}

void remember_parsed(const std::string& path, const std::string& kind,
                     const std::shared_ptr<const std::vector<double>>& values) {
  ParsedSeries series{path, kind, 0, {}, values};
  if (!file_identity(path, series.size, series.modified)) return;
  std::lock_guard<std::mutex> lock(parsed_mutex);
  constexpr std::size_t kMaxRemembered = 64;
  if (parsed_series.size() >= kMaxRemembered) parsed_series.erase(parsed_series.begin());
  parsed_series.push_back(std::move(series));
}

}  // namespace

std::shared_ptr<const std::vector<double>> SignalLoader::load_csv(const std::string& path, const std::string& kind,
                                                                  const SourcePosition& referenced_at,
                                                                  const std::string& key) {
  // By path and kind: the same file named for two kinds is checked against each kind's header.
  const std::string cache_key = path + '\n' + kind;
  if (auto cached = cache_.find(cache_key); cached != cache_.end()) return cached->second;
  if (auto parsed = parsed_before(path, kind)) return cache_[cache_key] = parsed;
  if (!std::ifstream(path)) throw InputError(referenced_at, key, "cannot open series file " + path, std::strerror(errno));
  InputFile input(path);  // read errors are errors, a byte order mark is skipped
  std::string line;
  long line_number = 0;
  // Any file may be named here: what an error echoes of it is short and escaped.
  const auto echo = [](const std::string& text) { return "\"" + shortened(text, kEchoedFieldBytes) + "\""; };
  // The value column is named after the kind, except temperatures, whose files say what they hold.
  const std::string column = kind == "ambient_c" ? "temperature_c" : kind;
  const std::string header = "hour," + column;
  if (!read_line(input.stream(), line, path, line_number)) line.clear();
  line_number = 1;
  if (line != header) throw InputError({path, 1}, "header", "must be \"" + header + "\"", echo(line));
  auto values = std::make_shared<std::vector<double>>();
  while (read_line(input.stream(), line, path, line_number)) {
    const int at = static_cast<int>(++line_number);
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos)
      throw InputError({path, at}, "row", "expected two columns: " + header, echo(line));
    long long hour = -1;
    auto [hour_end, hour_error] = std::from_chars(line.data(), line.data() + comma, hour);
    if (hour_error != std::errc() || hour_end != line.data() + comma || hour != static_cast<long long>(values->size()))
      throw InputError({path, at}, "hour",
                       "must count up from 0 without gaps (expected " + std::to_string(values->size()) + ")",
                       echo(line.substr(0, comma)));
    const std::string text = line.substr(comma + 1);
    double value = 0;
    if (!parse_number(text, value)) throw InputError({path, at}, column, "must be a number", echo(text));
    // Grid carbon intensity is never negative (prices may be: day-ahead prices go below zero).
    if (kind == "carbon_g_per_kwh" && value < 0) throw InputError({path, at}, column, "must be >= 0", echo(text));
    values->push_back(value);
  }
  if (values->empty()) throw InputError({path, static_cast<int>(line_number)}, column, "no data rows");
  cache_[cache_key] = values;
  remember_parsed(path, kind, values);
  return values;
}

HourlySignal SignalLoader::read(TomlReader& reader, const std::string& key, const std::string& kind) {
  const toml::node* node = reader.node(key);
  if (!node) reader.fail(key, "required key is missing");
  if (node->is_number()) {
    const double value = *number_of(*node);
    if (!std::isfinite(value)) reader.fail(key, "must be finite", describe(*node));
    return HourlySignal(value);
  }
  if (!node->is_string()) reader.fail(key, "must be a number, a series id or a CSV file", describe(*node));
  const std::string name = *node->value<std::string>();
  const bool is_file = name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0;
  if (is_file) {
    const std::string path = scenario_.resolve_path(name);
    return HourlySignal(load_csv(path, kind, reader.position_of(key), reader.key_path(key)), name);
  }
  const auto& entries = index();
  auto found = entries.find(name);
  if (found == entries.end() || found->second.kind != kind) {
    reader.fail(key, "unknown " + kind + " series (known: " + join_names(known_ids(kind)) + "; or a .csv file)",
                describe(*node));
  }
  return HourlySignal(load_csv(data_directory() + "/" + found->second.file, kind, reader.position_of(key),
                               reader.key_path(key)),
                      name);
}

}  // namespace fleetsim

#include "sim/core/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "sim/core/duration.hpp"

namespace fleetsim {

std::string format_number(double value) {
  char text[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  std::string result = text;
  if (result.find_first_of(".eEn") == std::string::npos) result += ".0";
  return result;
}

namespace {
InputError syntax_error(const toml::parse_error& error, const std::string& file) {
  return InputError({file, static_cast<int>(error.source().begin.line)}, "syntax", std::string(error.description()));
}
}  // namespace

toml::table parse_toml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& error) {
    throw syntax_error(error, file);
  }
}

toml::table parse_toml_file(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    throw syntax_error(error, path);
  }
}

namespace {
bool has_control_character(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

std::string element_label(const toml::table& element, std::size_t index) {
  for (const char* key : {"id", "name"})
    if (auto label = element[key].value<std::string>(); label && !label->empty() && !has_control_character(*label))
      return *label;
  return std::to_string(index);
}

std::string describe(const toml::node& node) {
  std::ostringstream text;
  switch (node.type()) {
    case toml::node_type::string: text << '"' << escaped(*node.value<std::string>()) << "\" (string)"; break;
    case toml::node_type::integer: text << *node.value<std::int64_t>() << " (integer)"; break;
    case toml::node_type::floating_point: text << format_number(*number_of(node)) << " (float)"; break;
    case toml::node_type::boolean: text << (*node.value<bool>() ? "true" : "false") << " (boolean)"; break;
    case toml::node_type::table: text << "a table"; break;
    case toml::node_type::array: text << "an array"; break;
    default: text << "a date/time"; break;
  }
  return text.str();
}

TomlReader::TomlReader(const toml::table& table, std::string file, std::string path,
                       const OverridePositions* overrides)
    : table_(table), file_(std::move(file)), path_(std::move(path)), overrides_(overrides) {}

std::string TomlReader::key_path(const std::string& key) const {
  if (key.empty()) return path_;
  return path_.empty() ? key : path_ + "." + key;
}

SourcePosition TomlReader::position_of(const std::string& key) const {
  const std::string full = key_path(key);
  if (overrides_) {
    if (auto found = overrides_->find(full); found != overrides_->end()) return found->second;
  }
  const toml::node* node = key.empty() ? nullptr : table_.get(key);
  const toml::source_region& source = node && node->source().begin.line ? node->source() : table_.source();
  return {file_, static_cast<int>(source.begin.line)};
}

void TomlReader::fail(const std::string& key, const std::string& problem, const std::string& got) const {
  throw InputError(position_of(key), shortened(key_path(key), 240), problem, shortened(got, 240));
}

const toml::node* TomlReader::node(const std::string& key) {
  read_.insert(key);
  return table_.get(key);
}

const toml::node* TomlReader::require(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) fail(key, "required key is missing");
  return found;
}

std::optional<double> number_of(const toml::node& node) {
  if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
  if (const auto* floating = node.as_floating_point()) return floating->get();
  return std::nullopt;
}

std::optional<double> TomlReader::optional_number(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return std::nullopt;
  if (!found->is_number()) fail(key, "must be a number", describe(*found));
  double value = *number_of(*found);
  if (!std::isfinite(value)) fail(key, "must be finite", describe(*found));
  return value;
}

double TomlReader::number(const std::string& key) {
  require(key);
  return *optional_number(key);
}

double TomlReader::positive_number(const std::string& key) {
  double value = number(key);
  if (!(value > 0)) fail(key, "must be > 0", describe(*table_.get(key)));
  return value;
}

std::optional<std::int64_t> TomlReader::optional_integer(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return std::nullopt;
  if (!found->is_integer()) fail(key, "must be an integer", describe(*found));
  return *found->value<std::int64_t>();
}

std::optional<bool> TomlReader::optional_bool(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return std::nullopt;
  if (!found->is_boolean()) fail(key, "must be true or false", describe(*found));
  return *found->value<bool>();
}

std::int64_t TomlReader::integer(const std::string& key) {
  require(key);
  return *optional_integer(key);
}

std::int64_t TomlReader::positive_integer(const std::string& key, std::int64_t max) {
  std::int64_t value = integer(key);
  if (value <= 0) fail(key, "must be > 0", got(key));
  if (value > max) fail(key, "must be <= " + std::to_string(max), got(key));
  return value;
}

double TomlReader::number_at_least(const std::string& key, double minimum, const std::string& why) {
  double value = number(key);
  if (!(value >= minimum)) fail(key, "must be >= " + format_number(minimum) + (why.empty() ? "" : " (" + why + ")"), got(key));
  return value;
}

std::string TomlReader::got(const std::string& key) const {
  const toml::node* node = table_.get(key);
  return node ? describe(*node) : "";
}

std::optional<std::string> TomlReader::optional_string(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return std::nullopt;
  if (!found->is_string()) fail(key, "must be a string", describe(*found));
  return *found->value<std::string>();
}

std::string TomlReader::string(const std::string& key) {
  require(key);
  std::string value = *optional_string(key);
  if (value.empty()) fail(key, "must not be empty", "\"\"");
  return value;
}

std::string TomlReader::name(const std::string& key, std::size_t max_bytes) {
  std::string value = string(key);
  if (value.size() > max_bytes) fail(key, "must be at most " + std::to_string(max_bytes) + " bytes", got(key));
  if (value.find('/') != std::string::npos || value == "." || value == "..")
    fail(key, "must not contain '/' or be '.' or '..'", got(key));
  // Names become HDF5 group names and fixed-width strings, which end at a NUL.
  if (value.find('\0') != std::string::npos) fail(key, "must not contain a NUL character", got(key));
  return value;
}

std::optional<double> TomlReader::optional_duration_s(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return std::nullopt;
  if (!found->is_string()) fail(key, "must be a duration like \"5min\" (units ms, s, min, h, d)", describe(*found));
  auto seconds = parse_duration_s(*found->value<std::string>());
  if (!seconds) fail(key, "must be a duration like \"5min\" (units ms, s, min, h, d)", describe(*found));
  if (*seconds < 0) fail(key, "must be >= 0", describe(*found));
  return seconds;
}

double TomlReader::positive_duration_s(const std::string& key) {
  require(key);
  double seconds = *optional_duration_s(key);
  if (!(seconds > 0)) fail(key, "must be > 0", describe(*table_.get(key)));
  return seconds;
}

std::vector<std::string> TomlReader::optional_string_list(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return {};
  const toml::array* array = found->as_array();
  if (!array) fail(key, "must be an array of strings", describe(*found));
  std::vector<std::string> values;
  for (const toml::node& item : *array) {
    if (!item.is_string()) fail(key, "must be an array of strings", describe(item));
    values.push_back(*item.value<std::string>());
  }
  return values;
}

const toml::table* TomlReader::optional_table(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return nullptr;
  if (!found->is_table()) fail(key, "must be a table", describe(*found));
  return found->as_table();
}

std::vector<const toml::table*> TomlReader::table_array(const std::string& key) {
  const toml::node* found = node(key);
  if (!found) return {};
  const toml::array* array = found->as_array();
  if (!array) fail(key, "must be an array of tables ([[" + key_path(key) + "]])", describe(*found));
  std::vector<const toml::table*> tables;
  for (const toml::node& item : *array) {
    if (!item.is_table()) fail(key, "must be an array of tables ([[" + key_path(key) + "]])", describe(item));
    tables.push_back(item.as_table());
  }
  return tables;
}

TomlReader TomlReader::element(const toml::table& element, const std::string& array_key, std::size_t index) const {
  return TomlReader(element, file_, key_path(array_key) + "." + element_label(element, index), overrides_);
}

TomlReader TomlReader::child(const toml::table& table, const std::string& key) const {
  return TomlReader(table, file_, key_path(key), overrides_);
}

namespace {
// Edit distance counting an adjacent transposition as one edit (optimal string alignment), for
// "did you mean" suggestions: "nmae" is one edit from "name".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
}  // namespace

void TomlReader::finish() const {
  for (const auto& [key, value] : table_) {
    const std::string name(key.str());
    if (read_.count(name)) continue;
    // The closest known key, if it is a plausible typo (at most a third of the letters differ).
    std::string closest;
    std::size_t best = std::max<std::size_t>(1, name.size() / 3) + 1;
    for (const std::string& known : read_) {
      // The distance is at least the difference in length: skip what cannot be close (and a huge key's matrix).
      const std::size_t length_gap = name.size() > known.size() ? name.size() - known.size() : known.size() - name.size();
      if (length_gap >= best) continue;
      const std::size_t distance = edit_distance(name, known);
      if (distance < best) {
        best = distance;
        closest = known;
      }
    }
    fail(name, closest.empty() ? "unknown key" : "unknown key (did you mean " + closest + "?)", describe(value));
  }
}

}  // namespace fleetsim

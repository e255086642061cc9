#pragma once
// Strict, typed reading of one TOML table: every key read is checked for type and range, every key not
// read is an "unknown key" error, and every error names FILE:LINE: dotted.key. Array-of-table elements are
// named by their `name` (campus.paris.pue) or, without one, by index (workload.0.jobs): the same form
// `--set` takes, so a value set on the command line is reported against the --set argument.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "sim/core/input_error.hpp"

namespace fleetsim {

// Where each dotted key set with --set came from (so errors about it point at the command line).
using OverridePositions = std::map<std::string, SourcePosition>;

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string file, std::string path,
             const OverridePositions* overrides = nullptr);

  // Required values (error when missing).
  double number(const std::string& key);
  double positive_number(const std::string& key);  // > 0
  std::int64_t integer(const std::string& key);
  // > 0 and <= max (counts become ints and sizes of arrays: the bound keeps them sane).
  std::int64_t positive_integer(const std::string& key, std::int64_t max = 2147483647);
  double number_at_least(const std::string& key, double minimum, const std::string& why = "");
  std::string string(const std::string& key);
  // A required name: non-empty, at most max_bytes, no '/' (names become HDF5 group and file names).
  std::string name(const std::string& key, std::size_t max_bytes);
  double positive_duration_s(const std::string& key);  // "5min" > 0

  // Optional values.
  std::optional<double> optional_number(const std::string& key);
  std::optional<std::int64_t> optional_integer(const std::string& key);
  std::optional<bool> optional_bool(const std::string& key);
  std::optional<std::string> optional_string(const std::string& key);
  std::optional<double> optional_duration_s(const std::string& key);  // >= 0
  std::vector<std::string> optional_string_list(const std::string& key);

  // Raw access for values with several accepted forms (number or table...). Marks the key as read.
  const toml::node* node(const std::string& key);
  // Sub-tables: an inline table or [a.b] table; nullptr when absent.
  const toml::table* optional_table(const std::string& key);
  // Array of tables ([[x]]); empty when absent.
  std::vector<const toml::table*> table_array(const std::string& key);

  // Error for `key` of this table (position of the key if present, of the table otherwise).
  [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& got = {}) const;
  SourcePosition position_of(const std::string& key) const;
  std::string key_path(const std::string& key) const;
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  const OverridePositions* overrides() const { return overrides_; }

  // The current value of `key`, described for "(got ...)".
  std::string got(const std::string& key) const;

  // Child reader for an element of an array of tables, labelled by element_label().
  TomlReader element(const toml::table& element, const std::string& array_key, std::size_t index) const;
  TomlReader child(const toml::table& table, const std::string& key) const;

  // Errors on the first key present in the table and never read.
  void finish() const;

 private:
  const toml::node* require(const std::string& key);
  const toml::table& table_;
  std::string file_;
  std::string path_;
  const OverridePositions* overrides_;
  std::set<std::string> read_;
};

// Parses TOML text read from `file`; a syntax error becomes InputError `FILE:LINE: syntax: description`.
toml::table parse_toml(std::string_view text, const std::string& file);
// The same for a file read by toml++ (an unreadable file is reported as a syntax error at line 0).
toml::table parse_toml_file(const std::string& path);

// A string value as it appears in "(got ...)": between double quotes.
inline std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// How an element of an array of tables is named in keys: its `id` (hardware), else its `name`, else its
// 0-based index. The same labels address elements in --set.
std::string element_label(const toml::table& element, std::size_t index);

// A number as TOML writes it: 2.0, 0.5, 1e+20 (always readable as a float).
std::string format_number(double value);

// Short description of a TOML value for "(got ...)": the value and its type, e.g. `"abc" (string)`.
std::string describe(const toml::node& node);

// A number node's value as a double: a float as it is, an integer converted (rounded to the nearest double above
// 2^53, where toml++'s value<double>() gives nothing); empty for anything else.
std::optional<double> number_of(const toml::node& node);

// The value of `key` as one of `choices` (by name), `otherwise` when the key is absent; any other string is an
// error listing the names.
template <class Enum>
Enum optional_choice(TomlReader& reader, const std::string& key,
                     std::initializer_list<std::pair<const char*, Enum>> choices, Enum otherwise) {
  if (!reader.node(key)) return otherwise;
  const std::string value = reader.string(key);
  std::string names;
  for (const auto& [name, choice] : choices) {
    if (value == name) return choice;
    names += std::string(names.empty() ? "" : ", ") + name;
  }
  reader.fail(key, "must be one of: " + names, reader.got(key));
}

}  // namespace fleetsim

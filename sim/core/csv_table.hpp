#pragma once
// A CSV file with a header line, read row by row with typed access to its fields; every error is an
// InputError naming file, line and column. Shared by the trace readers (sim/workload/trace/) and the node-list
// reader of the scenario (sim/scenario/openb_node_list.hpp).
#include <cstdint>
#include <functional>
#include <istream>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/input_file.hpp"

namespace fleetsim {

bool is_blank(const std::vector<std::string>& fields);

// The header's column names (the first line that is not blank). A byte order mark is the file's business
// (InputFile skips it).
std::vector<std::string> read_header(std::istream& in, const std::string& path, long& line);

int column_index(const std::vector<std::string>& header, const std::string& name);

// Index of every required column in the header, in the order asked; one error names all missing ones.
std::vector<int> required_columns(const std::vector<std::string>& header, const std::vector<std::string>& names,
                                  const std::string& path, long line);

// A finite decimal number filling the whole field (no space before or after it).
bool parse_number(const std::string& field, double& value);

// What a number field may hold: [min, max], whole numbers only when `whole`.
struct NumberRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool whole = false;
};
// The number in `field` when it is one within `range`; false otherwise.
bool parse_number(const std::string& field, const NumberRange& range, double& value);
// What a field out of `range` is told: "must be a number", "must be a whole number from 0 to 1024"...
std::string number_requirement(const NumberRange& range);

// One data row: typed access to its fields, errors naming file, line and column.
class CsvRow {
 public:
  CsvRow(const std::string& path, int line, const std::vector<std::string>& header,
         const std::vector<std::string>& fields);

  const std::string& text(int column) const;
  double number(int column, const NumberRange& range = {}) const;
  std::int64_t whole(int column, std::int64_t max) const;

  // InputError naming file, line and the column, echoing the field (shortened to kEchoedFieldBytes, escaped).
  [[noreturn]] void fail(int column, const std::string& problem) const;
  [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& got) const;

  static constexpr std::int64_t kNoLimit = std::int64_t(1) << 52;  // exact in a double

 private:
  const std::string& path_;
  int line_;
  const std::vector<std::string>& header_;
  const std::vector<std::string>& fields_;
};

// A CSV file read through its header: the header's columns, then every data row that is not blank, in order.
class CsvFile {
 public:
  explicit CsvFile(const std::string& path);
  const std::vector<std::string>& header() const { return header_; }
  long header_line() const { return header_line_; }
  long line() const { return line_; }  // the last line read
  // Index of every required column (one error names all missing ones).
  std::vector<int> required(const std::vector<std::string>& names) const {
    return required_columns(header_, names, path_, header_line_);
  }
  void for_each_row(const std::function<void(const CsvRow&)>& on_row);

 private:
  std::string path_;
  InputFile input_;
  long line_ = 0;
  std::vector<std::string> header_;
  long header_line_ = 0;
};

}  // namespace fleetsim

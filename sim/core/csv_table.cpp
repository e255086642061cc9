#include "sim/core/csv_table.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sim/core/csv_row.hpp"
#include "sim/core/input_error.hpp"

namespace fleetsim {

namespace {
std::string joined(const std::vector<std::string>& names, const char* separator) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}
}  // namespace

bool is_blank(const std::vector<std::string>& fields) { return fields.size() == 1 && fields[0].empty(); }

std::vector<std::string> read_header(std::istream& in, const std::string& path, long& line) {
  std::vector<std::string> names;
  while (read_csv_row(in, names, line, path)) {
    if (is_blank(names)) continue;
    return names;
  }
  throw InputError({path, static_cast<int>(line)}, "header", "missing: the file is empty, a header line was expected");
}

int column_index(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<int> required_columns(const std::vector<std::string>& header, const std::vector<std::string>& names,
                                  const std::string& path, long line) {
  std::vector<int> indexes;
  std::vector<std::string> missing;
  for (const auto& name : names) {
    indexes.push_back(column_index(header, name));
    if (indexes.back() < 0) missing.push_back(name);
  }
  if (!missing.empty())
    throw InputError({path, static_cast<int>(line)}, "header",
                     shortened(std::string(missing.size() == 1 ? "missing column " : "missing columns ") +
                                   joined(missing, ", "), 2 * kEchoedFieldBytes),
                     shortened(joined(header, ","), kEchoedFieldBytes));
  return indexes;
}

bool parse_number(const std::string& field, double& value) {
  if (field.empty() || std::isspace(static_cast<unsigned char>(field[0]))) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(field.c_str(), &end);
  return end == field.c_str() + field.size() && errno != ERANGE && std::isfinite(value);
}

bool parse_number(const std::string& field, const NumberRange& range, double& value) {
  return parse_number(field, value) && value >= range.min && value <= range.max &&
         (!range.whole || value == std::floor(value));
}

namespace {
std::string bound_text(double bound) {
  if (bound == std::floor(bound) && std::fabs(bound) < 1e15) return std::to_string(static_cast<long long>(bound));
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", bound);
  return text;
}
}  // namespace

std::string number_requirement(const NumberRange& range) {
  const std::string kind = range.whole ? "a whole number" : "a number";
  const bool has_min = std::isfinite(range.min), has_max = std::isfinite(range.max);
  if (has_min && has_max) return "must be " + kind + " from " + bound_text(range.min) + " to " + bound_text(range.max);
  if (has_min) return "must be " + kind + " >= " + bound_text(range.min);
  if (has_max) return "must be " + kind + " <= " + bound_text(range.max);
  return "must be " + kind;
}

CsvRow::CsvRow(const std::string& path, int line, const std::vector<std::string>& header,
               const std::vector<std::string>& fields)
    : path_(path), line_(line), header_(header), fields_(fields) {
  if (csv_row_had_unterminated_quote()) fail("row", "has a quoted field that is never closed", "end of file");
  if (fields.size() != header.size())
    fail("row", "expected " + std::to_string(header.size()) + " fields like the header", std::to_string(fields.size()));
}

const std::string& CsvRow::text(int column) const {
  static const std::string absent;
  return column < 0 ? absent : fields_[column];
}

double CsvRow::number(int column, const NumberRange& range) const {
  double value = 0;
  if (!parse_number(fields_[column], range, value)) fail(column, number_requirement(range));
  return value;
}

std::int64_t CsvRow::whole(int column, std::int64_t max) const {
  const NumberRange range{0, static_cast<double>(max), true};
  double value = 0;
  if (!parse_number(fields_[column], range, value))
    fail(column, number_requirement(max == kNoLimit ? NumberRange{0, HUGE_VAL, true} : range));
  return static_cast<std::int64_t>(value);
}

void CsvRow::fail(int column, const std::string& problem) const {
  const std::string& field = fields_[column];
  fail(header_[column], problem, field.empty() ? "an empty field" : field);
}

void CsvRow::fail(const std::string& key, const std::string& problem, const std::string& got) const {
  throw InputError({path_, line_}, key, problem, shortened(got, kEchoedFieldBytes));
}

CsvFile::CsvFile(const std::string& path) : path_(path), input_(path) {
  header_ = read_header(input_.stream(), path_, line_);
  header_line_ = line_;
}

void CsvFile::for_each_row(const std::function<void(const CsvRow&)>& on_row) {
  std::vector<std::string> fields;
  while (true) {
    const long row_line = line_ + 1;
    if (!read_csv_row(input_.stream(), fields, line_, path_)) break;
    if (is_blank(fields)) continue;
    on_row(CsvRow(path_, static_cast<int>(row_line), header_, fields));
  }
}

}  // namespace fleetsim

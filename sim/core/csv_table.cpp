#include "sim/core/csv_table.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

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

std::ifstream open_csv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError({path, 0}, "file", std::string("cannot be opened: ") + std::strerror(errno));
  return file;
}

bool is_blank(const std::vector<std::string>& fields) { return fields.size() == 1 && fields[0].empty(); }

std::vector<std::string> read_header(std::istream& in, const std::string& path, long& line) {
  std::vector<std::string> names;
  while (read_csv_row(in, names, line, path)) {
    if (is_blank(names)) continue;
    if (names[0].rfind("\xEF\xBB\xBF", 0) == 0) names[0].erase(0, 3);
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
                     std::string(missing.size() == 1 ? "missing column " : "missing columns ") + joined(missing, ", "),
                     joined(header, ","));
  return indexes;
}

bool parse_number(const std::string& field, double& value) {
  if (field.empty() || std::isspace(static_cast<unsigned char>(field[0]))) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(field.c_str(), &end);
  return end == field.c_str() + field.size() && errno != ERANGE && std::isfinite(value);
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

double CsvRow::number(int column) const {
  double value = 0;
  if (!parse_number(fields_[column], value)) fail(column, "must be a number");
  return value;
}

std::int64_t CsvRow::whole(int column, std::int64_t max) const {
  double value = 0;
  if (!parse_number(fields_[column], value) || value != std::floor(value) || value < 0 ||
      value > static_cast<double>(max))
    fail(column, max == kNoLimit ? std::string("must be a whole number >= 0")
                                 : "must be a whole number from 0 to " + std::to_string(max));
  return static_cast<std::int64_t>(value);
}

void CsvRow::fail(int column, const std::string& problem) const {
  const std::string& field = fields_[column];
  fail(header_[column], problem, field.empty() ? "an empty field" : field);
}

void CsvRow::fail(const std::string& key, const std::string& problem, const std::string& got) const {
  throw InputError({path_, line_}, key, problem, got);
}

}  // namespace fleetsim

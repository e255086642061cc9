#include "sim/core/csv_row.hpp"

namespace fleetsim {

namespace {
thread_local bool last_unterminated_quote = false;

// Files written on Windows end lines with CRLF; getline leaves the '\r'.
void drop_carriage_return(std::string& text) {
  if (!text.empty() && text.back() == '\r') text.pop_back();
}
}  // namespace

bool csv_row_had_unterminated_quote() { return last_unterminated_quote; }

bool read_csv_row(std::istream& in, std::vector<std::string>& fields, long& line) {
  fields.clear();
  last_unterminated_quote = false;
  std::string text;
  if (!std::getline(in, text)) return false;
  ++line;
  drop_carriage_return(text);
  fields.emplace_back();
  bool quoted = false;       // inside a quoted field
  std::size_t i = 0;
  while (true) {
    if (i == text.size()) {
      if (!quoted) break;
      // A quoted field continues on the next physical line; the line break belongs to the field.
      if (!std::getline(in, text)) {
        last_unterminated_quote = true;
        break;
      }
      ++line;
      drop_carriage_return(text);
      fields.back() += '\n';
      i = 0;
      continue;
    }
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          fields.back() += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        fields.back() += c;
      }
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;  // a quote opens a quoted field only at its start, as in RFC 4180
    } else {
      fields.back() += c;
    }
    ++i;
  }
  return true;
}

}  // namespace fleetsim

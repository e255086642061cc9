#include "sim/core/csv_row.hpp"

#include <system_error>

#include "sim/core/input_file.hpp"

namespace fleetsim {

namespace {
thread_local bool last_unterminated_quote = false;

// Files written on Windows end lines with CRLF; getline leaves the '\r'.
void drop_carriage_return(std::string& text) {
  if (!text.empty() && text.back() == '\r') text.pop_back();
}
}  // namespace

bool csv_row_had_unterminated_quote() { return last_unterminated_quote; }

bool read_line(std::istream& in, std::string& text, const std::string& path, long line) {
  text.clear();
  std::istream::sentry ok(in, true);
  if (!ok) return false;
  std::streambuf& buffer = *in.rdbuf();
  try {
    for (;;) {
      const int c = buffer.sbumpc();
      if (c == std::char_traits<char>::eof()) {
        if (text.empty()) {
          in.setstate(std::ios::eofbit | std::ios::failbit);
          return false;
        }
        in.setstate(std::ios::eofbit);
        break;
      }
      if (c == '\n') break;
      if (text.size() == kMaxLineBytes)
        throw InputError({path, static_cast<int>(line + 1)}, "line", "longer than 1 MiB: not a line of a trace");
      text.push_back(static_cast<char>(c));
    }
  } catch (const std::system_error& error) {
    throw read_error(path, line + 1, error);
  }
  drop_carriage_return(text);
  return true;
}

bool read_csv_row(std::istream& in, std::vector<std::string>& fields, long& line, const std::string& path) {
  fields.clear();
  last_unterminated_quote = false;
  std::string text;
  if (!read_line(in, text, path, line)) return false;
  ++line;
  fields.emplace_back();
  bool quoted = false;       // inside a quoted field
  std::size_t i = 0;
  while (true) {
    if (i == text.size()) {
      if (!quoted) break;
      // A quoted field continues on the next physical line; the line break belongs to the field.
      if (!read_line(in, text, path, line)) {
        last_unterminated_quote = true;
        break;
      }
      ++line;
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

#pragma once
// A small streaming CSV record splitter shared by the trace readers (Helios, Acme, Alibaba...).
// Follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): fields separated by ',', a field may be
// enclosed in double quotes, a quote inside a quoted field is written "", and a quoted field may contain
// ',' and line breaks. Trailing '\r' (CRLF files) is dropped. Unquoted fields are returned verbatim (no
// trimming), so readers decide what whitespace means for their columns.
#include <istream>
#include <string>
#include <vector>

namespace fleetsim {

// Reads the next record from `in` into `fields` (cleared first). `line` is the 1-based number of the
// last physical line consumed so far: pass 0 before the first call and the same variable on every call;
// after a successful call it is the line the record ENDS on (records with quoted line breaks span several
// lines; readers reporting errors use the line the record started on, i.e. the value before the call + 1).
// Blank lines are records with one empty field, so callers skip `fields.size() == 1 && fields[0].empty()`.
// Returns false at end of input (no record read). An unterminated quote at end of file ends the record
// with what was read; callers that care can check `csv_row_had_unterminated_quote()` — kept out of the
// signature so the common call stays one line.
// `path` names the file in errors: a line longer than kMaxLineBytes (a file that is not a trace, no line breaks) and
// a read error (the std::system_error of an InputFile's source) are InputErrors, never a silent end of file.
bool read_csv_row(std::istream& in, std::vector<std::string>& fields, long& line, const std::string& path = "");

// One physical line into `text` (without its '\n' or a final '\r'), at most kMaxLineBytes; false at the end of the
// input. Throws InputError naming `path` and the line for a longer line or a read error.
bool read_line(std::istream& in, std::string& text, const std::string& path, long line);
constexpr std::size_t kMaxLineBytes = std::size_t(1) << 20;

// True when the last read_csv_row call on this thread hit end of file inside a quoted field.
bool csv_row_had_unterminated_quote();

}  // namespace fleetsim

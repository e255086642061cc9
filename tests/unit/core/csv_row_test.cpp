#include <catch2/catch.hpp>

#include <sstream>

#include "sim/core/csv_row.hpp"
#include "sim/core/input_error.hpp"

using fleetsim::read_csv_row;

TEST_CASE("csv rows split on commas, keep quoted commas, quotes and line breaks, and count lines") {
  std::istringstream in("a,b,,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast");
  std::vector<std::string> fields;
  long line = 0;

  REQUIRE(read_csv_row(in, fields, line));
  CHECK(fields == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(line == 1);

  REQUIRE(read_csv_row(in, fields, line));
  CHECK(fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
  CHECK(line == 3);  // the record started on line 2 and ends on line 3
  CHECK_FALSE(fleetsim::csv_row_had_unterminated_quote());

  REQUIRE(read_csv_row(in, fields, line));  // a blank line is one empty field
  CHECK(fields == std::vector<std::string>{""});

  REQUIRE(read_csv_row(in, fields, line));
  CHECK(fields == std::vector<std::string>{"last"});
  CHECK(line == 5);
  CHECK_FALSE(read_csv_row(in, fields, line));
}

TEST_CASE("csv rows report a quote left open at the end of the input") {
  std::istringstream in("1,\"open");
  std::vector<std::string> fields;
  long line = 0;
  REQUIRE(read_csv_row(in, fields, line));
  CHECK(fields == std::vector<std::string>{"1", "open"});
  CHECK(fleetsim::csv_row_had_unterminated_quote());
}

TEST_CASE("a line longer than 1 MiB is an error naming file and line, not an endless read") {
  using namespace fleetsim;
  // A file that is not a trace (zeros, a binary) may have no line break at all: it was read whole into memory.
  std::istringstream in("a,b\n" + std::string(kMaxLineBytes + 1, 'x') + "\n");
  std::vector<std::string> fields;
  long line = 0;
  REQUIRE(read_csv_row(in, fields, line, "big.csv"));
  CHECK_THROWS_WITH(read_csv_row(in, fields, line, "big.csv"),
                    "big.csv:2: line: longer than 1 MiB: not a line of a trace");
  std::istringstream exactly(std::string(kMaxLineBytes, 'y'));
  std::string text;
  CHECK(read_line(exactly, text, "ok.csv", 0));
  CHECK(text.size() == kMaxLineBytes);
  CHECK_FALSE(read_line(exactly, text, "ok.csv", 1));
}

TEST_CASE("messages echo input as one readable line: control characters and bytes that are not UTF-8 escaped") {
  using fleetsim::escaped;
  using fleetsim::shortened;
  CHECK(escaped("plain é ✓ 😀") == "plain é ✓ 😀");
  CHECK(escaped(std::string("a\nb\tc\x7f", 6)) == "a\\u000ab\\u0009c\\u007f");
  CHECK(escaped("\xff\xfe") == "\\xff\\xfe");
  CHECK(escaped("\xC3") == "\\xc3");               // a sequence cut short
  CHECK(escaped("\xED\xA0\x80") == "\\xed\\xa0\\x80");  // a UTF-16 surrogate is not UTF-8 (RFC 3629)
  CHECK(escaped("\xC0\xAF") == "\\xc0\\xaf");      // an overlong '/'
  CHECK(shortened("abcdef", 6) == "abcdef");
  CHECK(shortened("abcdefg", 6) == "abcdef... (7 bytes)");
  CHECK(shortened("abcdeé", 6) == "abcde... (7 bytes)");  // cut before the two bytes of é, not inside
}

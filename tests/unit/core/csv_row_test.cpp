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

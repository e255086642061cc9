#include <catch2/catch.hpp>

#include "sim/core/duration.hpp"

using fleetsim::format_duration;
using fleetsim::parse_duration_s;

TEST_CASE("durations are a number and a unit ms, s, min, h or d") {
  CHECK(parse_duration_s("0s") == 0.0);
  CHECK(parse_duration_s("450ms") == Approx(0.45));
  CHECK(parse_duration_s("40ms") == Approx(0.04));
  CHECK(parse_duration_s("90s") == 90.0);
  CHECK(parse_duration_s("5min") == 300.0);
  CHECK(parse_duration_s("1.5h") == 5400.0);
  CHECK(parse_duration_s("7d") == 7 * 86400.0);
  CHECK(parse_duration_s(" 2 h ") == 7200.0);
}

TEST_CASE("text that is not a duration is rejected") {
  for (const char* bad : {"", "5", "h", "5 weeks", "abc", "1e400s", "5m", "--1s", "5min5"})
    CHECK_FALSE(parse_duration_s(bad).has_value());
}

TEST_CASE("durations format to the largest exact unit and parse back") {
  CHECK(format_duration(300) == "5min");
  CHECK(format_duration(86400 * 7) == "7d");
  CHECK(format_duration(7200) == "2h");
  CHECK(format_duration(90) == "90s");
  for (double seconds : {1.0, 59.0, 61.0, 3600.5, 1e7})
    CHECK(parse_duration_s(format_duration(seconds)) == seconds);
}

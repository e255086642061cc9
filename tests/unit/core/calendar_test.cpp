// The run's calendar: dates, which data-year hour a simulation hour reads, months. Expected values worked out by
// hand from the Gregorian calendar (2023-01-01 is a Sunday, 2027-01-01 a Friday, 2028 a leap year).
#include <catch2/catch.hpp>

#include "sim/core/calendar.hpp"

using namespace fleetsim;

namespace {
constexpr double kDay = 86400;
// 2027-01-01: 19358 days to 2023-01-01, then 365 + 366 + 365 + 365.
constexpr double k2027 = (19358.0 + 1461) * kDay;
}  // namespace

TEST_CASE("dates parse to UTC seconds and print back") {
  CHECK(*parse_date_s("1970-01-02") == kDay);
  CHECK(*parse_date_s("2027-01-01") == k2027);
  CHECK(*parse_date_s("2027-01-01 06:00") == k2027 + 6 * 3600);
  CHECK(*parse_date_s("2027-01-01T06:30:15") == k2027 + 6 * 3600 + 30 * 60 + 15);
  CHECK_FALSE(parse_date_s("2027-02-29"));  // 2027 is not a leap year
  CHECK(parse_date_s("2028-02-29"));
  CHECK_FALSE(parse_date_s("2027-13-01"));
  CHECK_FALSE(parse_date_s("90d"));
  CHECK_FALSE(parse_date_s("2027-01-01x"));
  CHECK(format_date(k2027) == "2027-01-01");
  CHECK(format_date(k2027 + 59 * kDay + 13.5 * 3600) == "2027-03-01 13:30");
}

TEST_CASE("without a start date the signals are read cyclically from the offset, as before") {
  const Calendar calendar = Calendar::from_offset(5 * 3600);
  CHECK_FALSE(calendar.dated());
  CHECK(calendar.signal_hour(2) == 7);
  CHECK(calendar.signal_hour(9000) == 9005);  // HourlySignal wraps it
  CHECK(calendar.week_offset_s() == 5 * 3600);
  CHECK(calendar.start_epoch_s() == 19358 * kDay + 5 * 3600);
}

TEST_CASE("a dated run reads the data year's day of the same weekday nearest the same day of the year") {
  const Calendar calendar = Calendar::from_start(k2027);
  CHECK(calendar.dated());
  // Friday 1 January 2027 (day 0): the nearest Friday of 2023 is 29 December 2023 (day 362), two days back, wrapped.
  CHECK(calendar.signal_hour(0) == 362 * 24);
  CHECK(calendar.signal_hour(10) == 362 * 24 + 10);
  // Sunday 3 January 2027 (day 2): 1 January 2023, a Sunday, two days back.
  CHECK(calendar.signal_hour(48) == 0);
  CHECK(calendar.signal_hour(49) == 1);
  // Thursday 1 July 2027 (day 181): 2023's day 181 is a Saturday; Thursday 29 June (day 179).
  CHECK(calendar.signal_hour(181 * 24 + 12) == 179 * 24 + 12);
  // Sunday 31 December 2028 (a leap year's day 365): Sunday 31 December 2023 (day 364).
  CHECK(calendar.signal_hour((365 + 365) * 24) == 364 * 24);
  // t = 0 is Friday 00:00: five days after a Sunday.
  CHECK(calendar.week_offset_s() == 5 * kDay);
  CHECK(calendar.time_of(k2027 + 90 * kDay) == 90 * kDay);
}

TEST_CASE("a run is reported by the calendar months it overlaps, clipped to the horizon") {
  const Calendar calendar = Calendar::from_start(k2027 + 14 * kDay);  // 15 January 2027
  const auto months = calendar.months(60 * kDay);
  REQUIRE(months.size() == 3);
  CHECK((months[0].year == 2027 && months[0].month == 1 && months[0].start_s == 0 && months[0].end_s == 17 * kDay));
  CHECK((months[1].month == 2 && months[1].end_s == 45 * kDay));  // February 2027: 28 days
  CHECK((months[2].month == 3 && months[2].end_s == 60 * kDay));
  const auto years = Calendar::from_start(k2027).months(365 * kDay + 1);
  REQUIRE(years.size() == 13);
  CHECK((years[12].year == 2028 && years[12].month == 1 && years[12].end_s - years[12].start_s == 1));
}

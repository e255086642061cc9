#pragma once
// Calendar dates to days since 1970-01-01, for trace readers that parse wall-clock timestamps; and the
// current UTC time as ISO 8601 text, for the `created_utc` of output files.
#include <ctime>
#include <string>

namespace fleetsim {

// Timestamp text, one field at a time: `count` decimal digits at text[at] into `value` (advancing `at`);
// false when they are not all there.
inline bool read_digits(const std::string& text, std::size_t& at, int count, int& value) {
  value = 0;
  for (int i = 0; i < count; ++i, ++at) {
    if (at >= text.size() || text[at] < '0' || text[at] > '9') return false;
    value = value * 10 + (text[at] - '0');
  }
  return true;
}

// The separator `c` at text[at] (advancing `at`); false when it is something else or the text ended.
inline bool expect_char(const std::string& text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

// Now, as "2026-11-26T01:02:03Z".
inline std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", days_from_civil).
inline long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// A wall-clock date and time, "YYYY-MM-DD HH:MM:SS" ('T' may stand for the space, ISO 8601), at text[at]; `at`
// moves past the seconds. `seconds` counts from 1970-01-01 00:00 as if the wall clock were UTC (callers apply a
// zone). False for malformed text and for a date or time that does not exist: month 13, February 30 (the
// Gregorian calendar's month lengths and leap years), hour 24. Second 60, a leap second, is allowed as by POSIX.
struct WallClock {
  long long year = 0;
  double seconds = 0;
};
inline bool read_wall_clock(const std::string& text, std::size_t& at, WallClock& clock) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, at, 4, year) || !expect_char(text, at, '-') || !read_digits(text, at, 2, month) ||
      !expect_char(text, at, '-') || !read_digits(text, at, 2, day))
    return false;
  if (at >= text.size() || (text[at] != ' ' && text[at] != 'T')) return false;
  ++at;
  if (!read_digits(text, at, 2, hour) || !expect_char(text, at, ':') || !read_digits(text, at, 2, minute) ||
      !expect_char(text, at, ':') || !read_digits(text, at, 2, second))
    return false;
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] + (month == 2 && leap) || hour > 23 ||
      minute > 59 || second > 60)
    return false;
  clock.year = year;
  clock.seconds = static_cast<double>(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                                      hour * 3600 + minute * 60 + second);
  return true;
}

}  // namespace fleetsim

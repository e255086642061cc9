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

}  // namespace fleetsim

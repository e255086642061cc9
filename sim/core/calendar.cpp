#include "sim/core/calendar.hpp"

#include <cmath>
#include <cstdio>

#include "sim/core/civil_time.hpp"

namespace fleetsim {
namespace {

constexpr long long kDataYearFirstDay = 19358;  // 2023-01-01 (a Sunday) in days since 1970-01-01
constexpr double kDay = 86400;

// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms", civil_from_days).
struct Civil {
  long long year;
  unsigned month, day;
};
Civil civil_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<long long>(yoe) + era * 400 + (m <= 2), m, d};
}

long long floor_div(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<double> parse_date_s(const std::string& text) {
  std::string full = text;
  if (full.size() == 10) full += " 00:00:00";
  else if (full.size() == 16) full += ":00";
  std::size_t at = 0;
  WallClock clock;
  if (!read_wall_clock(full, at, clock) || at != full.size()) return std::nullopt;
  return clock.seconds;
}

std::string format_date(double epoch_s) {
  const long long seconds = static_cast<long long>(std::floor(epoch_s));
  const long long days = floor_div(seconds, 86400);
  const long long in_day = seconds - days * 86400;
  const Civil date = civil_from_days(days);
  char text[64];
  if (in_day == 0)
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u", date.year, date.month, date.day);
  else
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u %02lld:%02lld", date.year, date.month, date.day, in_day / 3600,
                  in_day % 3600 / 60);
  return text;
}

Calendar Calendar::from_offset(double year_offset_s) {
  Calendar calendar;
  calendar.epoch_s_ = double(kDataYearFirstDay) * kDay + year_offset_s;
  calendar.offset_hours_ = static_cast<long long>(std::floor(year_offset_s / 3600));
  calendar.week_offset_s_ = year_offset_s;
  return calendar;
}

Calendar Calendar::from_start(double epoch_s) {
  Calendar calendar;
  calendar.dated_ = true;
  calendar.epoch_s_ = epoch_s;
  const double since = epoch_s - double(kDataYearFirstDay) * kDay;
  calendar.week_offset_s_ = since - std::floor(since / (7 * kDay)) * 7 * kDay;
  return calendar;
}

long long Calendar::signal_hour(long long hour) const {
  if (!dated_) return hour + offset_hours_;
  const long long absolute = static_cast<long long>(std::llround(epoch_s_ / 3600)) + hour;
  const long long day = floor_div(absolute, 24), hour_of_day = absolute - day * 24;
  const Civil date = civil_from_days(day);
  const long long day_of_year = day - days_from_civil(date.year, 1, 1);
  // The data year's day k is a weekday k mod 7 (0 = Sunday); the date's weekday counts the same way.
  const long long weekday = ((day - kDataYearFirstDay) % 7 + 7) % 7;
  long long shift = ((weekday - day_of_year) % 7 + 7) % 7;
  if (shift > 3) shift -= 7;
  long long k = day_of_year + shift;
  if (k < 0) k += 364;      // 52 weeks: the weekday stays
  if (k >= 365) k -= 364;
  return k * 24 + hour_of_day;
}

std::vector<Calendar::Month> Calendar::months(double horizon_s) const {
  std::vector<Month> months;
  const long long first_day = floor_div(static_cast<long long>(std::floor(epoch_s_)), 86400);
  Civil date = civil_from_days(first_day);
  long long year = date.year;
  unsigned month = date.month;
  double start = 0;
  while (start < horizon_s) {
    const unsigned next_month = month == 12 ? 1 : month + 1;
    const long long next_year = month == 12 ? year + 1 : year;
    const double end = std::min(horizon_s, double(days_from_civil(next_year, next_month, 1)) * kDay - epoch_s_);
    months.push_back({static_cast<int>(year), static_cast<int>(month), start, end});
    start = end;
    year = next_year;
    month = next_month;
  }
  return months;
}

}  // namespace fleetsim

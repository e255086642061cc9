#pragma once
// The run's calendar: where simulation time t = 0 falls in real time, which hour of the hourly signals' data year
// each simulation hour reads, and the calendar months a run is reported by.
//
// Without `[simulation] start`, t = 0 is 1 January 00:00 UTC of the data year (2023) plus `year_offset`, and hour h
// reads the series' hour h + offset cyclically, as it always did. With `start = "2027-01-01"`, each simulation hour
// reads the data year's hour of the same time of day on the day of the same weekday nearest the same day of the
// year (at most three days away): the data year repeats year after year, seasons and weekday/weekend kept.
#include <optional>
#include <string>
#include <vector>

namespace fleetsim {

// A calendar date, "2027-01-01" or "2027-01-01 06:00[:00]" ('T' may stand for the space), as UTC seconds since
// 1970-01-01; empty when the text is not such a date or the date does not exist.
std::optional<double> parse_date_s(const std::string& text);
// Seconds since 1970-01-01 as "2027-01-01" (midnight) or "2027-01-01 06:00".
std::string format_date(double epoch_s);

class Calendar {
 public:
  // t = 0 at 1 January 00:00 of the data year plus `year_offset_s`, signals read cyclically.
  static Calendar from_offset(double year_offset_s);
  // t = 0 at `epoch_s` (UTC seconds since 1970, a whole hour).
  static Calendar from_start(double epoch_s);
  Calendar() = default;  // from_offset(0)

  bool dated() const { return dated_; }        // set by [simulation] start
  double start_epoch_s() const { return epoch_s_; }
  // The data year's hour (0 = 1 January 2023 00:00, a Sunday) simulation hour `hour` reads.
  long long signal_hour(long long hour) const;
  // Seconds from the Sunday 00:00 before t = 0 (modulo whole weeks) — what daily and weekly shapes need.
  double week_offset_s() const { return week_offset_s_; }
  // A time point written as a date: seconds since t = 0 (negative before the start).
  double time_of(double epoch_s) const { return epoch_s - epoch_s_; }

  struct Month {
    int year = 0, month = 0;     // 2027, 1..12
    double start_s = 0, end_s = 0;  // within [0, horizon]
  };
  // The calendar months [0, horizon_s) overlaps, clipped to it.
  std::vector<Month> months(double horizon_s) const;

 private:
  bool dated_ = false;
  double epoch_s_ = 19358.0 * 86400;  // 2023-01-01 00:00 UTC
  long long offset_hours_ = 0;  // undated: the signals' offset
  double week_offset_s_ = 0;
};

}  // namespace fleetsim

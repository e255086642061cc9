#include "sim/core/arrival_profile.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace fleetsim {

namespace {

// Hour-of-day shapes (UTC hours of the simulation clock), normalised to a mean of 1 below. ASSUMPTIONS, not
// measured: no public LLM trace spans a day here (the Azure 2023 trace is one hour). "office": working hours
// (8-18 h) about 4x the night; "consumer": an evening peak (18-22 h) about 5x the small hours.
constexpr std::array<double, 24> kOffice = {0.25, 0.2, 0.2, 0.2, 0.2, 0.25, 0.4, 0.7, 1.3, 1.8, 1.9, 1.9,
                                            1.6,  1.8, 1.9, 1.8, 1.7, 1.4, 1.0, 0.7, 0.6, 0.5, 0.4, 0.3};
constexpr std::array<double, 24> kConsumer = {0.6, 0.4, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1,
                                              1.2, 1.1, 1.1, 1.1, 1.2, 1.3, 1.5, 1.7, 1.8, 1.7, 1.4, 1.0};
// Weekend days against weekdays, with `weekly` (ASSUMPTIONS): office demand drops to 30%, consumer demand rises 15%.
constexpr double kOfficeWeekend = 0.3;
constexpr double kConsumerWeekend = 1.15;
constexpr int kFirstDayWeekday = 6;  // 1 January 2023 was a Sunday (Monday = 0)

double hour_shape(DailyProfile profile, int hour) {
  static const auto normalise = [](const std::array<double, 24>& shape) {
    double sum = 0;
    for (double v : shape) sum += v;
    std::array<double, 24> out{};
    for (int h = 0; h < 24; ++h) out[h] = shape[h] * 24 / sum;
    return out;
  };
  static const std::array<double, 24> office = normalise(kOffice), consumer = normalise(kConsumer);
  switch (profile) {
    case DailyProfile::flat: return 1.0;
    case DailyProfile::office: return office[hour];
    case DailyProfile::consumer: return consumer[hour];
  }
  return 1.0;
}

}  // namespace

double ArrivalProfile::factor(double time_s) const {
  const double absolute = time_s + year_offset_s;
  const long long day = static_cast<long long>(std::floor(absolute / 86400));
  const int hour = static_cast<int>(std::floor(absolute / 3600 - double(day) * 24));
  double value = hour_shape(daily, std::clamp(hour, 0, 23));
  if (weekly && daily != DailyProfile::flat) {
    const double weekend = daily == DailyProfile::office ? kOfficeWeekend : kConsumerWeekend;
    const double weekday_factor = 7.0 / (5.0 + 2.0 * weekend);  // a week's mean stays 1
    const int weekday = static_cast<int>(((day + kFirstDayWeekday) % 7 + 7) % 7);
    value *= weekday >= 5 ? weekend * weekday_factor : weekday_factor;
  }
  if (growth_per_year != 0) value *= std::pow(1 + growth_per_year, time_s / kGrowthYearS);
  return value;
}

double ArrivalProfile::hour_end_s(double time_s) const {
  return (std::floor((time_s + year_offset_s) / 3600) + 1) * 3600 - year_offset_s;
}

double next_arrival_s(const ArrivalProfile& profile, double mean_rate_per_s, double time_s, double gap, double until_s) {
  double t = time_s;
  while (t < until_s) {
    const double hour_end = std::min(until_s, profile.hour_end_s(t));
    const double rate = mean_rate_per_s * profile.factor(t);
    if (rate > 0 && gap <= rate * (hour_end - t)) return t + gap / rate;
    if (rate > 0) gap -= rate * (hour_end - t);
    t = std::max(hour_end, t + 1e-9);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace fleetsim

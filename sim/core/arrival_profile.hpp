#pragma once
// How an arrival rate varies over time: a daily shape by hour (UTC hours of the simulation clock), weekdays against
// the weekend, and growth from year to year. Shared by inference demand ([[service]] demand) and synthetic job
// workloads ([[workload]] kind = "synthetic"): rate(t) = mean rate x factor(t).
#include <string>
#include <vector>

namespace fleetsim {

enum class DailyProfile { flat, office, consumer };
inline std::vector<std::string> daily_profile_names() { return {"flat", "office", "consumer"}; }

// Length of a year for growth (`growth_per_year`): 365 days.
constexpr double kGrowthYearS = 365.0 * 86400;

struct ArrivalProfile {
  DailyProfile daily = DailyProfile::flat;
  bool weekly = false;           // weekend days differ from weekdays (the daily profile's weekend factor)
  double growth_per_year = 0;    // the rate x (1 + growth) ^ (t / 365 d); t from the start of the simulation
  double year_offset_s = 0;      // where t = 0 falls in the year: hour of day and day of week

  bool varies() const { return daily != DailyProfile::flat || growth_per_year != 0; }
  // Rate at time t relative to the mean rate of the first week: the daily shape's hour, weekdays against the weekend
  // (a week's mean stays 1), and the growth since t = 0. Day 0 of the year is 1 January 2023, a Sunday.
  double factor(double time_s) const;
  // The end of the hour (of the absolute clock) that holds t, within which factor is constant but for growth.
  double hour_end_s(double time_s) const;
};

// Draws arrival times of a Poisson process whose rate is `mean_rate_per_s` x profile.factor(t), constant within each
// hour (growth evaluated at the hour's start): the next arrival after `time_s`, spending a unit-rate exponential gap
// `gap` hour by hour. Infinite when none comes before `until_s`.
double next_arrival_s(const ArrivalProfile& profile, double mean_rate_per_s, double time_s, double gap, double until_s);

}  // namespace fleetsim

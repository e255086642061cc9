// ArrivalProfile: daily shapes, weekdays against the weekend, growth; arrivals spent hour by hour. Golden values by
// hand: the "office" shape's hourly values sum to 23.0, so hour h's factor is value[h] x 24 / 23.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/arrival_profile.hpp"

using namespace fleetsim;

namespace {
constexpr double kDay = 86400, kHour = 3600;
}

TEST_CASE("growth multiplies the rate by (1 + growth) each 365 days") {
  ArrivalProfile profile;
  profile.growth_per_year = 0.5;
  CHECK(profile.varies());
  CHECK(profile.factor(0) == 1.0);
  CHECK(profile.factor(365 * kDay) == Approx(1.5).epsilon(1e-12));
  CHECK(profile.factor(730 * kDay) == Approx(2.25).epsilon(1e-12));
  CHECK(profile.factor(182.5 * kDay) == Approx(std::sqrt(1.5)).epsilon(1e-12));
  CHECK_FALSE(ArrivalProfile{}.varies());
}

TEST_CASE("the office shape by hour, and its weekend with weekly") {
  ArrivalProfile profile;
  profile.daily = DailyProfile::office;
  // Hour 10 (value 1.9) and hour 2 (0.2), any day.
  CHECK(profile.factor(10 * kHour + 5) == Approx(1.9 * 24 / 23).epsilon(1e-12));
  CHECK(profile.factor(kDay + 2 * kHour) == Approx(0.2 * 24 / 23).epsilon(1e-12));
  profile.weekly = true;
  // Day 0 is Sunday 1 January 2023, day 1 a Monday; weekend 0.3 of a weekday, a week's mean 1: weekday x 7 / 5.6.
  CHECK(profile.factor(kDay + 10 * kHour) == Approx(1.9 * 24 / 23 * 7 / 5.6).epsilon(1e-12));
  CHECK(profile.factor(10 * kHour) == Approx(1.9 * 24 / 23 * 0.3 * 7 / 5.6).epsilon(1e-12));
  // year_offset moves t = 0: one day later, t = 0 is Monday.
  profile.year_offset_s = kDay;
  CHECK(profile.factor(10 * kHour) == Approx(1.9 * 24 / 23 * 7 / 5.6).epsilon(1e-12));
}

TEST_CASE("arrivals spend a unit-rate gap hour by hour") {
  ArrivalProfile flat;
  // A flat 2 per hour: a gap of 1 arrival is half an hour.
  CHECK(next_arrival_s(flat, 2 / kHour, 100, 1.0, 1e9) == Approx(100 + 1800).epsilon(1e-12));
  ArrivalProfile office;
  office.daily = DailyProfile::office;
  // A mean of 1 per hour from midnight: the hours give 24/23 x (0.25, 0.2, 0.2, 0.2, 0.2, 0.25, 0.4, ...) expected
  // arrivals. A gap of 1.0: hours 0-5 give 1.3 x 24/23 = 1.3565 > 1; hours 0-4 give 1.05 x 24/23 = 1.0957 > 1;
  // hours 0-3 give 0.85 x 24/23 = 0.8870; so it falls in hour 4, (1 - 0.8870) / (0.2 x 24/23) of the way in.
  const double before = 0.85 * 24 / 23, rate = 0.2 * 24 / 23;
  CHECK(next_arrival_s(office, 1 / kHour, 0, 1.0, 1e9) == Approx(4 * kHour + (1 - before) / rate * kHour).epsilon(1e-9));
  // None before the horizon: infinite.
  CHECK(std::isinf(next_arrival_s(office, 1 / kHour, 0, 1.0, 3 * kHour)));
}

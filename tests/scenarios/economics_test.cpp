// The economics of a run end to end (scenarios/validation/economics-gpu-hour.toml): a published cost per GPU-hour
// reproduced from its own inputs, within 15%.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/support/run_scenario.hpp"

using namespace fleetsim;

namespace {
const std::string kScenario = "../../scenarios/validation/economics-gpu-hour.toml";

// Depreciation over the 365-day run of a $240,000 server with a life of `years` Julian years, over its 8 x 6,132
// busy GPU-hours.
double by_hand(double years) { return 240000.0 / years * 365 / 365.25 / (8 * 6132.0); }
}  // namespace

TEST_CASE("economics: a GPU-hour depreciated over 3 years costs the published $1.64 within 15%") {
  const RunRecord run = testing::run_scenario(kScenario, {});
  const double per_gpu_hour = run.summary.tco_per_gpu_hour_eur;
  CHECK(per_gpu_hour == Approx(by_hand(3)).epsilon(1e-9));
  const double error = per_gpu_hour / 1.64 - 1;
  INFO("fleetsim " << per_gpu_hour << " against the published 1.64: " << error * 100 << "%");
  CHECK(std::abs(error) <= 0.15);
  CHECK(run.summary.capex_eur == Approx(240000.0));
  REQUIRE(run.economics.years.size() == 1);
  CHECK(run.economics.years[0].year == 2023);
}

TEST_CASE("economics: a GPU-hour depreciated over 5 years costs the published $0.98 within 15%") {
  const RunRecord run = testing::run_scenario(kScenario, {"economics.node_life_years=5"});
  const double per_gpu_hour = run.summary.tco_per_gpu_hour_eur;
  CHECK(per_gpu_hour == Approx(by_hand(5)).epsilon(1e-9));
  const double error = per_gpu_hour / 0.98 - 1;
  INFO("fleetsim " << per_gpu_hour << " against the published 0.98: " << error * 100 << "%");
  CHECK(std::abs(error) <= 0.15);
}

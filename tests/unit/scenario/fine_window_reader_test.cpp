// [telemetry] fine and [power.smoothing]: read into SI units; absent, nothing changes.
#include <catch2/catch.hpp>

#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

TEST_CASE("the fine window and the smoothing keys are read in SI units") {
  const Scenario scenario = load_scenario_text(
      "[simulation]\nduration = \"40d\"\n" + testing::campus_toml("paris", 2) +
          "[telemetry]\nfine = { start = \"30d\", duration = \"10min\", interval = \"100ms\" }\n"
          "[power.smoothing]\ngpu_power_floor = 0.6\nrack_storage_kwh = 5.0\nrack_storage_kw = 40.0\n"
          "storage_time_constant = \"1min\"\n",
      {"fine.toml", {}, {}});
  const FineWindowConfig& fine = scenario.telemetry.fine;
  CHECK(fine.enabled());
  CHECK(fine.start_s == 30 * 86400.0);
  CHECK(fine.duration_s == 600.0);
  CHECK(fine.interval_s == Approx(0.1));
  CHECK(fine.samples() == 6000);
  CHECK(fine.default_step_s == 2.0);
  CHECK(fine.default_communication_share == 0.3);
  const PowerSmoothingConfig& smoothing = scenario.power_smoothing;
  CHECK(smoothing.gpu_power_floor == 0.6);
  CHECK(smoothing.rack_storage_j == Approx(5 * 3.6e6));
  CHECK(smoothing.rack_storage_w == Approx(40e3));
  CHECK(smoothing.storage_time_constant_s == 60.0);
}

TEST_CASE("without [telemetry] and [power.smoothing] there is no fine window and no mitigation") {
  const Scenario scenario =
      load_scenario_text("[simulation]\nduration = \"1d\"\n" + testing::campus_toml("paris", 2), {"plain.toml", {}, {}});
  CHECK_FALSE(scenario.telemetry.fine.enabled());
  CHECK_FALSE(scenario.power_smoothing.any());
}

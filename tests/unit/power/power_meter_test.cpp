// The power meter as a component: fed lifecycle events by hand, no engine.
#include <catch2/catch.hpp>

#include "sim/power/power_meter.hpp"
#include "tests/support/toy_fleet.hpp"

using namespace fleetsim;

TEST_CASE("the power meter follows job starts and ends and nodes powered off and on") {
  const Scenario scenario = testing::toy_scenario();
  Fleet fleet = build_fleet(scenario);
  Lifecycle lifecycle;
  PowerMeter meter(scenario, fleet, lifecycle);
  // Idle: 2 nodes x (1000 W + 8 x 100 W) = 3600 W. A job on node 0's 8 GPUs at full load adds 8 x 600 W.
  const Job job = testing::toy_job(0, 8);
  const Placement placement{0, {{0, 8}}};
  lifecycle.job_started(JobRun{job, placement, 8, -1, 0, 0, 1});
  CHECK(meter.sample(0, 3600).it_power_w == Approx(3600 + 4800.0));
  // Node 1 goes down for maintenance at 3600 s (powered off, still installed), the job ends at 5400 s.
  lifecycle.nodes_down(NodeChange{0, {1}, 3600, CapacityReason::maintenance, false, true});
  lifecycle.job_ended(JobRun{job, placement, 8, -1, 0, 5400, 1});
  // Hour 2 (3600-7200 s): node 0 at 1800 W, plus the job's 4800 W for half the hour; node 1 off.
  CHECK(meter.sample(0, 7200).it_power_w == Approx(1800 + 2400.0));
  lifecycle.nodes_up(NodeChange{0, {1}, 7200, CapacityReason::maintenance, false, true});
  meter.finish(10800);
  CHECK(meter.campus(0).it_energy_j() == Approx(3600.0 * 10800 - 1800.0 * 3600 + 4800.0 * 5400));
  // Both nodes stay installed throughout: 16 GPUs x 3 h.
  CHECK(meter.gpu_seconds_installed(0) == 16 * 10800.0);
  // The rack (both nodes, limit 10 kW) peaked at 3600 + 4800 W.
  CHECK(meter.peak_rack_ratio(0) == Approx(8400.0 / 10000));
}

TEST_CASE("the power meter counts installed GPUs from commissioning to decommissioning") {
  const Scenario scenario = testing::toy_scenario();
  Fleet fleet = build_fleet(scenario);
  Lifecycle lifecycle;
  PowerMeter meter(scenario, fleet, lifecycle);
  // Node 1 leaves the installed fleet at 1 h (decommissioned, powered off).
  lifecycle.nodes_down(NodeChange{0, {1}, 3600, CapacityReason::decommissioning, true, true});
  meter.finish(7200);
  CHECK(meter.gpu_seconds_installed(0) == 16 * 3600.0 + 8 * 3600.0);
  CHECK(meter.campus(0).it_energy_j() == Approx(3600.0 * 3600 + 1800.0 * 3600));
}

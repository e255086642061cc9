// Training power swings (issue 15): the phase arithmetic, swing statistics and rack storage, by hand.
#include <catch2/catch.hpp>

#include "sim/power/power_swing.hpp"
#include "sim/power/rack_storage.hpp"

using namespace fleetsim;

TEST_CASE("time in a phase of a periodic step counts whole steps and the part of the current one") {
  // Step of 2 s: compute [0, 1.5), communication [1.5, 2).
  CHECK(time_in_phase_s(0.0, 2, 0.5, 1.5, 0.5) == 0.0);
  CHECK(time_in_phase_s(1.5, 2, 0.5, 1.5, 0.5) == 0.0);
  CHECK(time_in_phase_s(1.75, 2, 0.5, 1.5, 0.5) == Approx(0.25));
  CHECK(time_in_phase_s(2.0, 2, 0.5, 1.5, 0.5) == Approx(0.5));
  CHECK(time_in_phase_s(7.0, 2, 0.5, 1.5, 0.5) == Approx(3 * 0.5));  // three steps, then 1 s of compute
  CHECK(time_in_phase_s(7.9, 2, 0.5, 1.5, 0.5) == Approx(3 * 0.5 + 0.4));
}

TEST_CASE("a GPU's extra power in a phase follows its curve and is held at the floor") {
  hw::GpuSpec gpu;
  gpu.idle_w = 100;
  gpu.max_w = 700;
  hw::NodeSpec node;
  node.gpus = 8;
  node.base_w = 1000;
  node.base_full_w = 1800;  // 100 W per GPU at full load
  // Communication at utilisation 0.25: GPU 250 W (150 above idle) + 25 W of the node's base.
  CHECK(gpu_extra_power_w(gpu, node, kCommunicationUtilization, 0) == Approx(175.0));
  // A floor of 50 % of the TDP (350 W): 250 above idle + 25.
  CHECK(gpu_extra_power_w(gpu, node, kCommunicationUtilization, 0, 350) == Approx(275.0));
  // Under a 400 W cap the compute phase draws 400 W: 300 above idle + 100.
  CHECK(gpu_extra_power_w(gpu, node, kComputeUtilization, 400) == Approx(400.0));
}

TEST_CASE("swing statistics: peak to trough, the median step swing, the largest ramp") {
  const SwingStats stats = swing_stats({1, 3, 2, 5}, 0.5, 1.0);
  CHECK(stats.peak_w == 5);
  CHECK(stats.trough_w == 1);
  CHECK(stats.swing_w == 4);
  CHECK(stats.max_ramp_w_per_s == Approx(6.0));  // 2 -> 5 in 0.5 s
  CHECK(stats.step_swing_w == 3);                // windows of 2 samples: 2 and 3, upper median 3
  CHECK(stats.mean_w == Approx(2.75));
  CHECK(stats.energy_j == Approx(5.5));
}

TEST_CASE("rack storage discharges above the moving average and charges below it, within its power") {
  // E = 1000 J, P = 100 W, tau = 10 s, 1 s samples (a = 0.1); starts half full, its target the mean of the first
  // tau of samples (here all four: 1100 W).
  const RackStorage storage{1000, 100, 10};
  const StorageRun run = run_rack_storage(storage, {1000, 1200, 1000, 1200}, 1.0);
  // k0: target 1100, wanted -100 W: charges to 600 J.
  // k1: target 1110, wanted 90 - (500 - 600) / 10 = 100 W, charge 500 J.
  // k2: target 1099, wanted -99 W, charge 599 J.
  // k3: target 1109.1, wanted 90.9 - (500 - 599) / 10 = 100.8 -> 100 W (the power limit), charge 499 J.
  REQUIRE(run.power_w.size() == 4);
  CHECK(run.power_w[0] == Approx(-100));
  CHECK(run.power_w[1] == Approx(100));
  CHECK(run.power_w[2] == Approx(-99));
  CHECK(run.power_w[3] == Approx(100));
  CHECK(run.energy_j[0] == Approx(600));
  CHECK(run.energy_j[1] == Approx(500));
  CHECK(run.energy_j[2] == Approx(599));
  CHECK(run.energy_j[3] == Approx(499));
}

TEST_CASE("rack storage cannot charge beyond its capacity nor discharge more than it holds") {
  // E = 100 J, P = 1000 W, tau = 10 s; target 250 W. k0 wants -250 W but only 50 J of room: -50 W, full.
  // k1: target 275, wanted 225 - (50 - 100) / 10 = 230 W, the 100 J held give 100 W for 1 s.
  const StorageRun run = run_rack_storage(RackStorage{100, 1000, 10}, {0, 500}, 1.0);
  CHECK(run.power_w[0] == Approx(-50));
  CHECK(run.energy_j[0] == Approx(100));
  CHECK(run.power_w[1] == Approx(100));
  CHECK(run.energy_j[1] == Approx(0).margin(1e-12));
  // No storage: nothing moves.
  const StorageRun none = run_rack_storage(RackStorage{}, {0, 500}, 1.0);
  CHECK(none.power_w[1] == 0);
}

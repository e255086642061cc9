// Training power swings end to end (issue 15): a Llama 3 405B run on 8,192 H100 through the real engine, its
// campus's power every 100 ms for 10 minutes from 1 h, against what the step-time model and the catalog's power
// curve give by hand.
#include <catch2/catch.hpp>

#include "sim/power/power_swing.hpp"
#include "sim/training/machine.hpp"
#include "tests/support/run_scenario.hpp"
#include "tests/support/toy_training.hpp"

using namespace fleetsim;
using testing::run_scenario;

TEST_CASE("power swing: a training run's campus power alternates once per step between compute and its low phases") {
  const std::string job =
      "\n[[job]]\nname = \"llama\"\ncampus = \"paris\"\nmodel = \"llama3-405b\"\ngpus = 8192\nsteps = 2000\n"
      "sequence_length = 8192\nglobal_batch_size = 2048\nprecision = \"bf16\"\nsharding = \"gradients\"\n"
      "reduce_in_fp32 = true\nparallelism = { tp = 8, pp = 16 }\n"
      "[telemetry]\nfine = { start = \"1h\", duration = \"10min\", interval = \"100ms\" }\n"
      "[power.smoothing]\ngpu_power_floor = 0.6\n";
  const RunRecord run = run_scenario("training.toml", {"simulation.duration=3h"}, job);
  REQUIRE(run.fine.campuses.size() == 1);
  const FineCampusSeries& paris = run.fine.campuses[0];
  REQUIRE(paris.samples.size() == 6000);
  CHECK(paris.samples.front().time_s == 3600.0);
  CHECK(paris.samples.back().time_s == Approx(3600 + 599.9));
  CHECK(paris.jobs_seen == 1);

  // The step, by hand: the step-time model on this campus's hardware.
  const hw::Catalog catalog = hw::Catalog::builtin();
  const hw::NodeSpec& node = *catalog.find_node("dgx-h100");
  const training::StepBreakdown step = testing::llama3_405b_8192_step(catalog);
  CHECK(paris.swing_window_s == Approx(step.step_time_s));
  REQUIRE(step.bubble_s > 0.2);  // some sample lies wholly in a bubble
  REQUIRE(step.exposed_comm_s > 0.2);

  // The hour holding the window has no event: the meter's hourly mean is the compute-phase power of the fleet.
  const double compute_it_w = run.timeseries[0][1].it_power_w;
  const double pue = 1.2;
  const hw::GpuSpec& gpu = *catalog.find_gpu(node.gpu);
  const double full_w = gpu_extra_power_w(gpu, node, 1.0, 0);
  const double bubble_drop_w = 8192 * (full_w - gpu_extra_power_w(gpu, node, kBubbleUtilization, 0));
  const double comm_drop_w = 8192 * (full_w - gpu_extra_power_w(gpu, node, kCommunicationUtilization, 0));
  CHECK(paris.unmitigated.peak_w == Approx(compute_it_w * pue));
  CHECK(paris.unmitigated.trough_w == Approx((compute_it_w - bubble_drop_w) * pue));
  CHECK(paris.unmitigated.swing_w == Approx(bubble_drop_w * pue));
  // The mean over the window: each phase's share of the step (to within one step's worth of the 10 minutes).
  const double mean_it_w =
      compute_it_w - (bubble_drop_w * step.bubble_s + comm_drop_w * step.exposed_comm_s) / step.step_time_s;
  CHECK(std::abs(paris.unmitigated.mean_w - mean_it_w * pue) <= bubble_drop_w * pue * step.step_time_s / 600);
  // A phase change lands inside one 100 ms sample at most once per boundary: the steepest ramp is the bubble's
  // whole drop over one interval or less.
  CHECK(paris.unmitigated.max_ramp_w_per_s <= bubble_drop_w * pue / 0.1 * (1 + 1e-9));
  CHECK(paris.unmitigated.max_ramp_w_per_s >= 0.5 * comm_drop_w * pue / 0.1);

  // The floor (60 % of the TDP) holds the idle bubble's GPUs at 420 W.
  const double floor_w = 0.6 * gpu.max_w;
  const double floored_bubble_drop_w = 8192 * (full_w - gpu_extra_power_w(gpu, node, kBubbleUtilization, 0, floor_w));
  CHECK(paris.floored.trough_w == Approx((compute_it_w - floored_bubble_drop_w) * pue));
  CHECK(paris.floored.energy_j > paris.unmitigated.energy_j);
  // No storage: the grid sees the floored power.
  CHECK(paris.mitigated.swing_w == Approx(paris.floored.swing_w));
  CHECK(paris.storage_capacity_j == 0);
}

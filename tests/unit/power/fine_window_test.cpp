// The fine power window as a component: fed lifecycle events by hand, its callbacks run by a manual control.
#include <catch2/catch.hpp>

#include <functional>
#include <utility>

#include "sim/power/fine_window.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/toy_fleet.hpp"

using namespace fleetsim;

namespace {

// Two nodes of 8 toy GPUs (idle 100 W, full 700 W, linear), 1000 W of base each, PUE 1; a 10 s window of 0.5 s
// samples from 1 h; plain jobs step every 2 s, a quarter of it communicating.
Scenario swing_scenario(const std::string& smoothing) {
  return load_scenario_text(
      "[simulation]\nduration = \"4h\"\n"
      "[[hw.gpu]]\nid = \"toy-gpu\"\nidle_w = 100.0\nmax_w = 700.0\n"
      "[[hw.node]]\nid = \"toy-node\"\ngpu = \"toy-gpu\"\ngpus = 8\nbase_w = 1000.0\n"
      "[[campus]]\nname = \"paris\"\ngrid_connection_mw = 1.0\npue = 1.0\ncarbon_intensity_g_per_kwh = 0.0\n"
      "[[campus.cluster]]\nname = \"a\"\nnode = \"toy-node\"\nnodes = 2\nnodes_per_rack = 1\n"
      "[telemetry]\nfine = { start = \"1h\", duration = \"10s\", interval = \"500ms\", default_step = \"2s\", "
      "default_communication_share = 0.25 }\n" +
          smoothing,
      {"swing.toml", {}, {}});
}

class ManualControl final : public FleetControl {
 public:
  double now_s() const override { return now_; }
  void set_job_rate(std::uint64_t, double) override {}
  void at(double time_s, std::function<void()> action) override { timers_.emplace_back(time_s, std::move(action)); }
  FailureImpact fail_node(int, int, double) override { return {}; }
  std::vector<int> take_nodes(int, int, int) override { return {}; }
  void give_back_nodes(int, const std::vector<int>&) override {}
  void set_service_load(const ServiceLoad&) override {}
  void set_job_cap(std::uint64_t, double) override {}
  void stop_job(std::uint64_t, bool) override {}
  RunProgress progress(std::uint64_t) const override { return {}; }
  void reschedule(int) override {}
  void set_start_gate(StartGate*) override {}
  // Runs the callback set for `time_s`.
  void fire(double time_s) {
    now_ = time_s;
    for (auto& [when, action] : timers_)
      if (when == time_s) action();
  }

 private:
  double now_ = 0;
  std::vector<std::pair<double, std::function<void()>>> timers_;
};

// A fine window on swing_scenario(smoothing) with one 8-GPU toy job to feed it, its callbacks run by hand.
struct WindowBench {
  Scenario scenario;
  Fleet fleet;
  Lifecycle lifecycle;
  PowerMeter meter;
  std::vector<Job> jobs;
  FineWindow fine;
  ManualControl control;
  explicit WindowBench(const std::string& smoothing)
      : scenario(swing_scenario(smoothing)),
        fleet(build_fleet(scenario)),
        meter(scenario, fleet, lifecycle),
        jobs{testing::toy_job(0, 8)},
        fine(scenario, fleet, jobs, meter, lifecycle) {
    fine.start(control);
  }
  struct Parts {
    Lifecycle& lifecycle;
    std::vector<Job>& jobs;
    FineWindow& fine;
    ManualControl& control;
  };
  Parts parts() { return {lifecycle, jobs, fine, control}; }
};

}  // namespace

TEST_CASE("the fine window alternates a job's power between its compute and communication phases") {
  WindowBench bench("");
  auto [lifecycle, jobs, fine, control] = bench.parts();  // references into the bench
  // The job starts half a second before the window: its steps run from 3599.5 s (compute 1.5 s, communication 0.5 s).
  const Placement placement{0, {{0, 8}}};
  lifecycle.job_started(JobRun{jobs[0], placement, 8, -1, 3599.5, 3599.5, 1});
  control.fire(3600);
  // It ends at 3605.25 s, a quarter into the 11th sample.
  lifecycle.job_ended(JobRun{jobs[0], placement, 8, -1, 3599.5, 3605.25, 1});
  control.fire(3610);
  const FineWindowRecord& record = fine.record();
  REQUIRE(record.campuses.size() == 1);
  const FineCampusSeries& paris = record.campuses[0];
  REQUIRE(paris.samples.size() == 20);
  // Idle 2 x 1800 W = 3600 W; the job's compute phase adds 8 x 600 W = 4800 W; in communication its GPUs draw
  // 250 W, 8 x 450 W = 3600 W less. Samples start 0.5, 1.0, 1.5, 2.0 s into a step: compute, compute,
  // communication, compute.
  const double expected[] = {8400, 8400, 4800, 8400, 8400, 8400, 4800, 8400, 8400, 8400, 4200, 3600};
  for (std::size_t k = 0; k < 12; ++k) {
    INFO("sample " << k);
    CHECK(paris.samples[k].time_s == Approx(3600 + 0.5 * k));
    CHECK(paris.samples[k].it_power_w == Approx(expected[k]));
    CHECK(paris.samples[k].facility_power_w == Approx(expected[k]));  // PUE 1
  }
  // Sample 10, [3605, 3605.5): communication until the job ends at 3605.25, idle after.
  CHECK(paris.samples[19].it_power_w == Approx(3600));
  CHECK(paris.unmitigated.peak_w == Approx(8400));
  CHECK(paris.unmitigated.trough_w == Approx(3600));
  CHECK(paris.unmitigated.swing_w == Approx(4800));
  CHECK(paris.swing_window_s == Approx(2.0));
  CHECK(paris.unmitigated.step_swing_w == Approx(3600));  // 4-sample windows: 8400 - 4800 while the job runs
  CHECK(paris.unmitigated.max_ramp_w_per_s == Approx((8400 - 4200) / 0.5));  // samples 9 -> 10
  // No mitigation: the grid sees the same.
  CHECK(paris.mitigated.swing_w == Approx(4800));
  CHECK(paris.samples[2].grid_power_w == Approx(4800));
  CHECK(paris.jobs_seen == 1);
}

TEST_CASE("a GPU power floor raises the communication phase, rack storage flattens what is left") {
  // Floor 50 % of 700 W = 350 W: a communicating GPU draws 350 W, 8 x 350 = 2800 W less than computing.
  WindowBench bench("[power.smoothing]\ngpu_power_floor = 0.5\n");
  auto [lifecycle, jobs, fine, control] = bench.parts();  // references into the bench
  const Placement placement{0, {{0, 8}}};
  lifecycle.job_started(JobRun{jobs[0], placement, 8, -1, 3599.5, 3599.5, 1});
  control.fire(3600);
  control.fire(3610);
  const FineCampusSeries& paris = fine.record().campuses.at(0);
  CHECK(paris.samples[2].it_power_w == Approx(4800));
  CHECK(paris.samples[2].floored_it_power_w == Approx(5600));
  CHECK(paris.floored.swing_w == Approx(2800));
  CHECK(paris.unmitigated.swing_w == Approx(3600));
  // The floor costs energy: 10 s, 5 communication samples of 0.5 s at 800 W more.
  CHECK(paris.floored.energy_j - paris.unmitigated.energy_j == Approx(5 * 0.5 * 800));
}

TEST_CASE("rack storage in the fine window holds the grid near the moving average") {
  // Two racks of one node, each 1 kWh and 2 kW: E = 7.2 MJ, P = 4 kW, tau 30 s. The swing of 3600 W is within P, so
  // the grid sees the moving average of the load and what steers the charge, far less than the swing.
  WindowBench bench("[power.smoothing]\nrack_storage_kwh = 1.0\nrack_storage_kw = 2.0\n");
  auto [lifecycle, jobs, fine, control] = bench.parts();  // references into the bench
  const Placement placement{0, {{0, 8}}};
  lifecycle.job_started(JobRun{jobs[0], placement, 8, -1, 3599.5, 3599.5, 1});
  control.fire(3600);
  control.fire(3610);
  const FineCampusSeries& paris = fine.record().campuses.at(0);
  CHECK(paris.racks == 2);
  CHECK(paris.storage_capacity_j == Approx(2 * 3.6e6));
  CHECK(paris.storage_power_w == Approx(4000));
  CHECK(paris.unmitigated.swing_w == Approx(3600));
  // The storage takes the difference between the load and the grid (PUE 1), and leaves a small share of the swing.
  for (const FineSample& sample : paris.samples)
    CHECK(sample.grid_power_w == Approx(sample.floored_it_power_w - sample.storage_power_w));
  CHECK(paris.samples[2].storage_power_w < -2000);  // charging in the communication phase
  CHECK(paris.mitigated.swing_w < 0.1 * paris.unmitigated.swing_w);
  CHECK(paris.stored.swing_w == Approx(paris.mitigated.swing_w));  // no floor: storage alone is everything
  // Lossless: the energy the grid delivered and what the storage gained add up to the load's.
  const double stored = paris.samples.back().storage_energy_j - paris.storage_capacity_j / 2;
  CHECK(paris.mitigated.energy_j - stored == Approx(paris.unmitigated.energy_j));
}

TEST_CASE("a new rate restarts a job's steps at the change and stretches them, a rate of 0 stops the swing") {
  WindowBench bench("");
  auto [lifecycle, jobs, fine, control] = bench.parts();  // references into the bench
  const Placement placement{0, {{0, 8}}};
  control.fire(3600);
  lifecycle.job_started(JobRun{jobs[0], placement, 8, -1, 3600, 3600, 1});
  // At 3601 s (1 s into its first step, computing) it runs at half its rate: steps of 4 s from 3601 s, 3 s of
  // compute then 1 s of communication. At 3609 s it pauses (rate 0): it holds its compute-phase power.
  lifecycle.job_rate_changed(JobRun{jobs[0], placement, 8, -1, 3600, 3601, 0.5}, 1.0);
  lifecycle.job_rate_changed(JobRun{jobs[0], placement, 8, -1, 3600, 3609, 0.0}, 0.5);
  control.fire(3610);
  const FineCampusSeries& paris = fine.record().campuses.at(0);
  const double expected[] = {8400, 8400, 8400, 8400, 8400, 8400, 8400, 8400, 4800, 4800,
                             8400, 8400, 8400, 8400, 8400, 8400, 4800, 4800, 8400, 8400};
  for (std::size_t k = 0; k < 20; ++k) {
    INFO("sample " << k);
    CHECK(paris.samples[k].it_power_w == Approx(expected[k]));
  }
  CHECK(paris.swing_window_s == Approx(4.0));
  CHECK(paris.jobs_seen == 1);
}

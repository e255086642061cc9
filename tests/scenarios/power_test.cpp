// End-to-end runs of tests/scenarios/power.toml: campus power budgets held by admission, caps (uniform and by
// priority), checkpoint-and-stop, and a demand-response event, against numbers computed by hand here (the toy
// node and GPU are described in power.toml). PUE 1: facility power = IT power.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "sim/power/job_power.hpp"
#include "tests/support/run_scenario.hpp"

using namespace fleetsim;
using testing::run_scenario;

namespace {
constexpr double kRel = 1e-9;
constexpr double kIdleW = 2 * 1800.0;

using testing::job_toml;

// The job's record; a missing job fails the test case.
const JobRecord& named(const RunRecord& run, const std::string& name) {
  const JobRecord& record = testing::named_job(run, name);
  if (record.name != name) FAIL("no job " << name);
  return record;
}

double relative(double cap_w) { return 0.5 + (cap_w - 300) / 800; }
}  // namespace

TEST_CASE("admission starts a job only when its power fits the grid connection") {
  // 9 kW: "a" (8 GPUs, 1 h) brings the campus to 3600 + 4800 = 8400 W; "b" would bring it to 13200 W, so it
  // waits for "a" to end at 1 h, although a node is free.
  const RunRecord run = run_scenario("power.toml", {"campus.paris.grid_connection_mw=0.009"},
                                     "\n[power]\npolicy = \"admission\"\n" + job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "1h"));
  CHECK(named(run, "a").start_s == 0.0);
  CHECK(named(run, "b").start_s == 3600.0);
  CHECK(named(run, "b").end_s == 7200.0);
  CHECK(run.summary.jobs_delayed_by_power == 1);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  CHECK(run.summary.power.time_capped_s == 0.0);
  CHECK(run.totals[0].peak_facility_w == Approx(8400.0).epsilon(kRel));
}

TEST_CASE("without control the budget is only reported: seconds above it are counted") {
  const RunRecord run = run_scenario("power.toml", {"campus.paris.grid_connection_mw=0.009"},
                                     job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "2h"));
  CHECK(named(run, "b").start_s == 0.0);
  // 13200 W > 9000 W while both run (1 h); 8400 W after.
  CHECK(run.summary.power.budget_exceeded_s == 3600.0);
}

TEST_CASE("uniform caps lower every running GPU to the first level that fits and rise again at a control tick") {
  // 12 kW, control every 30 min. "b" (8 GPUs, 2 h) would bring the campus to 13200 W: caps go down to the first
  // level with 3600 + 16 x (cap - 100) <= 12000: 595 W (level 3; 630 W gives 12080 W). Both jobs then run at
  // relative(595) = 0.86875; "a" (1 h of work) ends at 3600 / 0.86875 s. At the 5400 s tick "b" alone uncapped
  // (8400 W) fits under 12000 x 0.99: caps rise; "b" has 7200 - 5400 x 0.86875 s of work left at full speed.
  const RunRecord run = run_scenario("power.toml", {},
                                     "\n[power]\npolicy = \"cap\"\ncontrol_interval = \"30min\"\n" + job_toml("a", 8, "0s", "1h") +
                                         job_toml("b", 8, "0s", "2h"));
  const double rate = relative(595);
  CHECK(named(run, "a").start_s == 0.0);
  CHECK(named(run, "b").start_s == 0.0);
  CHECK(named(run, "a").end_s == Approx(3600 / rate).epsilon(kRel));
  CHECK(named(run, "b").end_s == Approx(5400 + (7200 - 5400 * rate)).epsilon(kRel));
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  CHECK(run.summary.power.time_capped_s == Approx(5400).epsilon(kRel));
  // Slowed GPU-seconds: 16 GPUs x (1 - rate) until "a" ends, then 8 until the tick.
  const double a_end = 3600 / rate;
  CHECK(run.summary.power.work_slowed_gpu_s ==
        Approx(16 * (1 - rate) * a_end + 8 * (1 - rate) * (5400 - a_end)).epsilon(kRel));
  CHECK(run.totals[0].peak_facility_w == Approx(kIdleW + 16 * 495.0).epsilon(kRel));
  // IT energy: idle all 8 h; each job's GPUs at 495 W above idle while capped, 600 W after.
  const double b_end = 5400 + (7200 - 5400 * rate);
  const double expected_j = kIdleW * 28800 + 8 * 495.0 * a_end + 8 * 495.0 * 5400 + 8 * 600.0 * (b_end - 5400);
  CHECK(run.summary.it_energy_j == Approx(expected_j).epsilon(kRel));
  // /jobs: energy follows the cap changes; "a" ran capped all along.
  CHECK(named(run, "a").power_cap_w == Approx(595.0).epsilon(kRel));
  CHECK(named(run, "b").power_cap_w != named(run, "b").power_cap_w);  // NaN: uncapped at the end
}

TEST_CASE("priority caps take the lowest priority down first, to its floor, before touching the next") {
  // 11 kW; "low" (priority 0) runs, "high" (priority 1) arrives at 0 too. Lowering "low" alone: 3600 + 4800 +
  // 8 x (cap - 100) <= 11000 needs cap <= 425 W: level 8, 420 W (10960 W). "high" runs uncapped (ends at 1 h);
  // "low" at relative(420) = 0.65 until the end (no control tick within the run to raise it).
  const RunRecord run = run_scenario("power.toml", {"campus.paris.grid_connection_mw=0.011"},
                                     "\n[power]\npolicy = \"cap\"\ncap = \"priority\"\ncontrol_interval = \"7d\"\n" +
                                         job_toml("low", 8, "0s", "1h") + job_toml("high", 8, "0s", "1h", "priority = 1\n"));
  CHECK(named(run, "high").end_s == 3600.0);
  CHECK(named(run, "low").end_s == Approx(3600 / relative(420)).epsilon(kRel));
  CHECK(named(run, "high").power_cap_w != named(run, "high").power_cap_w);  // NaN
  CHECK(named(run, "low").power_cap_w == Approx(420.0).epsilon(kRel));
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
}

TEST_CASE("preempt checkpoints and stops lower-priority work so that a higher-priority job fits") {
  // 9 kW. "low" (priority 0, checkpoints every 10 min, 1 h) runs from 0; "high" (priority 1, 1 h) arrives at 30
  // min: both would draw 13200 W, so "low" is checkpointed and stopped (it keeps its 30 min). "high" runs 30 min ->
  // 90 min; "low" waits for the power (refused once) and resumes at 90 min with 30 min left.
  const RunRecord run = run_scenario(
      "power.toml", {"campus.paris.grid_connection_mw=0.009"},
      "\n[power]\npolicy = \"preempt\"\n" + job_toml("low", 8, "0s", "1h", "checkpoint = { interval = \"10min\" }\n") +
          job_toml("high", 8, "30min", "1h", "priority = 1\n"));
  CHECK(named(run, "high").start_s == 1800.0);
  CHECK(named(run, "high").end_s == 5400.0);
  CHECK(named(run, "low").end_s == 7200.0);
  CHECK(named(run, "low").interruptions == 1);
  CHECK(named(run, "low").work_lost_gpu_s == 0.0);
  CHECK(run.summary.power.power_stops == 1);
  CHECK(run.summary.jobs_delayed_by_power == 1);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
}

TEST_CASE("a job that no control can fit does not start, and one of lower priority is never stopped for it") {
  // 6 kW: one 8-GPU job at its floor (300 W) draws 3600 + 8 x 200 = 5200 W; two would need 6800 W.
  const RunRecord run = run_scenario("power.toml", {"campus.paris.grid_connection_mw=0.006"},
                                     "\n[power]\npolicy = [\"cap\", \"preempt\"]\ncontrol_interval = \"7d\"\n" +
                                         job_toml("first", 8, "0s", "1h", "priority = 1\n") + job_toml("second", 8, "0s", "1h"));
  // "first" alone: 8400 W > 6000: capped to the first level with 3600 + 8 x (cap - 100) <= 6000, 385 W (level 9).
  CHECK(named(run, "first").start_s == 0.0);
  CHECK(named(run, "first").power_cap_w == Approx(385.0).epsilon(kRel));
  CHECK(named(run, "second").start_s == Approx(3600 / relative(385)).epsilon(kRel));
  CHECK(run.summary.power.power_stops == 0);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
}

TEST_CASE("a demand-response event lowers the budget for its window: caps hold it, the curtailment is reported") {
  // 20 kW, two 8-GPU jobs of 4 h from 0 (13200 W). From 1 h to 2 h the event holds the campus under 9 kW:
  // 3600 + 16 x (cap - 100) <= 9000 gives 437.5 W: level 8, 420 W (8720 W), rate 0.65; at 2 h the budget returns
  // and the caps rise at once. Work left at 2 h: 14400 - 3600 - 3600 x 0.65 s. Baseline: the hour before, 13200 W.
  const RunRecord run = run_scenario(
      "power.toml", {"campus.paris.grid_connection_mw=0.02"},
      "\n[power]\npolicy = \"cap\"\n[[power.event]]\nstart = \"1h\"\nduration = \"1h\"\ntarget_mw = 0.009\n" +
          job_toml("a", 8, "0s", "4h") + job_toml("b", 8, "0s", "4h"));
  const double rate = relative(420);
  CHECK(named(run, "a").end_s == Approx(7200 + (14400 - 3600 - 3600 * rate)).epsilon(kRel));
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  CHECK(run.summary.power.grid_event_s == 3600.0);
  CHECK(run.summary.power.time_capped_s == 3600.0);
  const double curtailed_w = 13200.0 - (kIdleW + 16 * 320.0);
  CHECK(run.summary.power.curtailed_j == Approx(curtailed_w * 3600).epsilon(1e-6));
  // 100 EUR/MWh = 1e-7 EUR/Wh; 50 g/kWh = 5e-5 kg/Wh.
  CHECK(run.summary.power.curtailed_cost_eur == Approx(curtailed_w * 1.0 * 100 / 1e6).epsilon(1e-6));
  CHECK(run.summary.power.curtailed_carbon_kg == Approx(curtailed_w * 1.0 * 50 / 1e6).epsilon(1e-6));
}

TEST_CASE("a price rule lowers the budget in the hours the price is above its threshold") {
  // Price 100 EUR/MWh all the time, above the rule's 80: the budget is 0.5 x 20 kW = 10 kW from the start. Two
  // 8-GPU jobs: 3600 + 16 x (cap - 100) <= 10000 gives 500 W: level 6, 490 W.
  const RunRecord run = run_scenario(
      "power.toml", {"campus.paris.grid_connection_mw=0.02"},
      "\n[power]\npolicy = \"cap\"\n[[power.rule]]\nsignal = \"price\"\nabove = 80.0\nfraction = 0.5\n" +
          job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "1h"));
  CHECK(named(run, "a").power_cap_w == Approx(490.0).epsilon(kRel));
  CHECK(named(run, "a").end_s == Approx(3600 / relative(490)).epsilon(kRel));
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  CHECK(run.summary.power.grid_event_s == 28800.0);
}

namespace {
// A busy oversubscribed campus (40 toy nodes) under `limits` (overrides: a campus connection or a hall limit of
// `budget_w`): after every signal the kernel announces, IT power (PUE 1: facility power too) is within it.
void check_budget_after_every_event(const std::vector<std::string>& limits, double budget_w) {
  // 40 toy nodes (320 GPUs), connection 120 kW, 45% of their nameplate (40 x 6600 W = 264 kW) and below a full campus at its floor (136 kW): two synthetic workloads of
  // different priority, utilisations 0.3-1, checkpointing. After every signal the kernel announces, facility power
  // (idle + the running jobs under their caps, computed here from the signals) is within the budget.
  struct Check {
    double power_w = 40 * 1800.0;
    double worst_w = 0;
    int events = 0;
  };
  auto check = std::make_shared<Check>();
  // The power each run adds depends on its cluster (the toy GPU): computed with the engine's pure functions.
  Scenario scenario = load_scenario_text(
      [] {
        std::ifstream file(FLEETSIM_SOURCE_DIR "/tests/scenarios/power.toml");
        std::stringstream text;
        text << file.rdbuf();
        return text.str();
      }() + "\n[power]\npolicy = [\"cap\", \"preempt\"]\ncap = \"priority\"\ncontrol_interval = \"5min\"\n"
            "\n[[workload]]\nkind = \"synthetic\"\nname = \"low\"\ncampus = \"paris\"\njobs = 400\nrate_per_h = 12\n"
            "gpus = { values = [1, 8, 32], weights = [0.3, 0.5, 0.2] }\nduration = { distribution = \"exponential\", mean = \"2h\" }\n"
            "gpu_utilization = { min = 0.3, max = 1.0 }\ncheckpoint = { interval = \"20min\" }\n"
            "\n[[workload]]\nkind = \"synthetic\"\nname = \"high\"\ncampus = \"paris\"\njobs = 200\nrate_per_h = 6\npriority = 2\n"
            "gpus = { values = [8, 64], weights = [0.7, 0.3] }\nduration = { distribution = \"exponential\", mean = \"1h\" }\n"
            "gpu_utilization = { min = 0.6, max = 1.0 }\n",
      {FLEETSIM_SOURCE_DIR "/tests/scenarios/power.toml",
       [&limits] {
         std::vector<std::string> overrides{"campus.paris.cluster.a.nodes=40", "simulation.duration=3d"};
         overrides.insert(overrides.end(), limits.begin(), limits.end());
         return overrides;
       }(),
       {}});
  Fleet fleet = build_fleet(scenario);
  std::vector<Job> jobs = build_job_list(scenario);
  auto policy = make_scheduler(scenario.scheduler);
  MemoryRecorder recorder;
  recorder.begin({"", "", 1, "", "", "", scenario.simulation.duration_s, scenario.simulation.telemetry_interval_s,
                  jobs.size(), {}},
                 describe_campuses(scenario, fleet));
  EngineOptions options;
  options.add_components = [check, &fleet, budget_w](Lifecycle& lifecycle, FleetControl&) {
    auto power_of = [&fleet](const JobRun& run, double cap_w) {
      return job_gpu_share(run.job, run.placement) * extra_power_per_gpu_w(run.job, fleet.clusters[run.placement.cluster], cap_w);
    };
    auto watch = [check, budget_w] {
      ++check->events;
      check->worst_w = std::max(check->worst_w, check->power_w);
      CHECK(check->power_w <= budget_w * (1 + 1e-9));
    };
    lifecycle.job_started.connect([=](const JobRun& run) {
      check->power_w += power_of(run, run.cap_w);
      watch();
    });
    lifecycle.job_ended.connect([=](const JobRun& run) {
      check->power_w -= power_of(run, run.cap_w);
      watch();
    });
    lifecycle.job_interrupted.connect([=](const JobRun& run, const Interruption&) {
      check->power_w -= power_of(run, run.cap_w);
      watch();
    });
    lifecycle.job_cap_changed.connect([=](const JobRun& run, double old_cap_w) {
      check->power_w += power_of(run, run.cap_w) - power_of(run, old_cap_w);
      watch();
    });
  };
  run_simulation(scenario, fleet, jobs, *policy, recorder, options);
  const RunRecord run = recorder.record();
  INFO("events " << check->events << ", highest power " << check->worst_w);
  CHECK(check->events > 1000);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  CHECK(run.summary.power.time_capped_s > 0);   // the budget binds: caps were needed...
  if (budget_w < 0.5e6) {
    CHECK(run.summary.power.power_stops > 0);   // ... and stops
    CHECK(check->worst_w > 0.95 * budget_w);    // and the campus ran close to it
  }
  CHECK(run.totals[0].peak_rack_ratio <= 1 + 1e-9);  // no rack above its limit (0 without rack limits)
}
}  // namespace

TEST_CASE("the budget holds after every event of a busy campus with caps by priority and stops") {
  check_budget_after_every_event({"campus.paris.grid_connection_mw=0.12"}, 0.12e6);
}

TEST_CASE("rack limits hold on a busy campus with caps by priority") {
  // Racks of 4 nodes limited to 15 kW (4 x 1800 W idle + 7.8 kW of jobs, against 26.4 kW at full load); the campus
  // connection (1 MW) never binds: every rack's peak stays within its limit (the meter's rack ratio).
  check_budget_after_every_event({"campus.paris.grid_connection_mw=1", "campus.paris.cluster.a.nodes_per_rack=4",
                                  "campus.paris.cluster.a.rack_limit_kw=15"},
                                 1e6);
}

TEST_CASE("a hall limit holds after every event of a busy hall with caps by priority and stops") {
  // The campus connection (1 MW) never binds; the cluster's 110 kW limit does.
  check_budget_after_every_event({"campus.paris.grid_connection_mw=1", "campus.paris.cluster.a.power_limit_mw=0.11"}, 0.11e6);
}

TEST_CASE("a hall (cluster) power limit is held like the campus budget: admission, then caps") {
  // Campus connection 40 kW (never binding), cluster "a" limited to 9 kW of IT power: as in the admission test,
  // "b" waits for "a" (13200 W > 9000 W). With a 12 kW hall limit and caps, as in the uniform cap test: 595 W.
  const RunRecord admission = run_scenario(
      "power.toml", {"campus.paris.grid_connection_mw=0.04", "campus.paris.cluster.a.power_limit_mw=0.009"},
      "\n[power]\npolicy = \"admission\"\n" + job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "1h"));
  CHECK(named(admission, "b").start_s == 3600.0);
  CHECK(admission.summary.jobs_delayed_by_power == 1);
}

TEST_CASE("caps hold a hall limit below the campus budget") {
  const RunRecord run = run_scenario(
      "power.toml", {"campus.paris.grid_connection_mw=0.04", "campus.paris.cluster.a.power_limit_mw=0.012"},
      "\n[power]\npolicy = \"cap\"\ncontrol_interval = \"7d\"\n" + job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "1h"));
  CHECK(named(run, "a").power_cap_w == Approx(595.0).epsilon(kRel));
  CHECK(named(run, "b").power_cap_w == Approx(595.0).epsilon(kRel));
  CHECK(named(run, "a").end_s == Approx(3600 / relative(595)).epsilon(kRel));
  CHECK(run.totals[0].peak_it_w == Approx(kIdleW + 16 * 495.0).epsilon(kRel));
}

TEST_CASE("a rack limit is held like the campus budget: admission, then caps") {
  // One rack of both nodes (nodes_per_rack = 2); the campus connection (40 kW) never binds. A 9 kW rack limit makes
  // "b" wait for "a" (13200 W > 9000 W); a 12 kW one is held by caps at 595 W, as in the uniform cap test.
  const RunRecord admission = run_scenario(
      "power.toml",
      {"campus.paris.grid_connection_mw=0.04", "campus.paris.cluster.a.nodes_per_rack=2", "campus.paris.cluster.a.rack_limit_kw=9"},
      "\n[power]\npolicy = \"admission\"\n" + job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "1h"));
  CHECK(named(admission, "b").start_s == 3600.0);
  CHECK(admission.summary.jobs_delayed_by_power == 1);
}

TEST_CASE("caps hold a rack limit below the campus budget") {
  const RunRecord run = run_scenario(
      "power.toml",
      {"campus.paris.grid_connection_mw=0.04", "campus.paris.cluster.a.nodes_per_rack=2", "campus.paris.cluster.a.rack_limit_kw=12"},
      "\n[power]\npolicy = \"cap\"\ncontrol_interval = \"30min\"\n" + job_toml("a", 8, "0s", "1h") + job_toml("b", 8, "0s", "2h"));
  const double rate = relative(595);
  CHECK(named(run, "a").power_cap_w == Approx(595.0).epsilon(kRel));
  CHECK(named(run, "a").end_s == Approx(3600 / rate).epsilon(kRel));
  // At the 5400 s tick "b" alone uncapped (8400 W) fits 12 kW x 0.99: caps rise, as for a campus budget.
  CHECK(named(run, "b").end_s == Approx(5400 + (7200 - 5400 * rate)).epsilon(kRel));
  CHECK(run.totals[0].peak_rack_ratio <= 1.0 + 1e-9);
}

// An event holding the campus under 9 kW from 2 h to 3 h, announced 1 h before; 20 kW otherwise.
const char* const kAnnouncedEvent = "[[power.event]]\nstart = \"2h\"\nduration = \"1h\"\ntarget_mw = 0.009\nnotice = \"1h\"\n";
const std::vector<std::string> k20kW{"campus.paris.grid_connection_mw=0.02"};

// "low" (priority 0, 4 h, a checkpoint every 25 min of work) and "high" (priority 1, 4 h) from 0 draw 13200 W. In
// the event one job (8400 W) fits, so "low" must go; either way it may not start again before the event ends (the
// coming budget binds from the notice on) and restarts at 3 h with 14400 - 6000 = 8400 s left: it ends at 19200 s.
std::string low_and_high() {
  return job_toml("low", 8, "0s", "4h", "checkpoint = { interval = \"25min\" }\n") + job_toml("high", 8, "0s", "4h", "priority = 1\n");
}

TEST_CASE("with stop = \"last-checkpoint\" a stopped job loses the work since its last checkpoint") {
  // Stopped when the event begins (7200 s done), "low" keeps 4 whole intervals (6000 s) and loses 1200 s x 8 GPUs.
  const RunRecord run = run_scenario("power.toml", k20kW,
                                     std::string("\n[power]\npolicy = \"preempt\"\nstop = \"last-checkpoint\"\n") + kAnnouncedEvent + low_and_high());
  CHECK(run.summary.power.power_stops == 1);
  CHECK(run.summary.power.power_pauses == 0);
  CHECK(run.summary.power.power_work_lost_gpu_s == Approx(1200.0 * 8).epsilon(kRel));
  CHECK(named(run, "low").work_lost_gpu_s == Approx(1200.0 * 8).epsilon(kRel));
  CHECK(named(run, "low").end_s == Approx(19200.0).epsilon(kRel));
  CHECK(named(run, "high").end_s == 14400.0);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  // IT energy: idle all 8 h; "high" 4800 W for 4 h; "low" 4800 W for 7200 s, then 8400 s.
  CHECK(run.summary.it_energy_j == Approx(kIdleW * 28800 + 4800.0 * (14400 + 7200 + 8400)).epsilon(kRel));
}

TEST_CASE("ahead of an announced event, pause = \"checkpoint\" pauses a job at its last checkpoint before it") {
  // "low" pauses at its last checkpoint before the event (6000 s of work, at 6000 s): nothing lost, and its GPUs
  // draw nothing in vain from 6000 s to 7200 s.
  const RunRecord run = run_scenario(
      "power.toml", k20kW,
      std::string("\n[power]\npolicy = \"preempt\"\nstop = \"last-checkpoint\"\npause = \"checkpoint\"\n") + kAnnouncedEvent + low_and_high());
  CHECK(run.summary.power.power_stops == 0);
  CHECK(run.summary.power.power_pauses == 1);
  CHECK(run.summary.power.power_work_lost_gpu_s == 0.0);
  CHECK(named(run, "low").work_lost_gpu_s == 0.0);
  CHECK(named(run, "low").interruptions == 1);
  CHECK(named(run, "low").end_s == Approx(19200.0).epsilon(kRel));
  CHECK(named(run, "high").end_s == 14400.0);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
  CHECK(run.summary.it_energy_j == Approx(kIdleW * 28800 + 4800.0 * (14400 + 6000 + 8400)).epsilon(kRel));
}

// "a" (priority 1, 4 h) from 0 draws 8400 W; "b" (1 h, no checkpoints) arrives at 1.5 h.
std::string a_and_late_b() { return job_toml("a", 8, "0s", "4h", "priority = 1\n") + job_toml("b", 8, "90min", "1h"); }

TEST_CASE("without pauses a job starts during an event's notice and is stopped when it begins") {
  // 13200 W fits 20 kW: "b" starts at 1.5 h, is stopped at 2 h (no checkpoints: it starts over) and runs 3 h -> 4 h.
  const RunRecord run = run_scenario("power.toml", k20kW, std::string("\n[power]\npolicy = \"preempt\"\n") + kAnnouncedEvent + a_and_late_b());
  CHECK(run.summary.power.power_stops == 1);
  CHECK(run.summary.power.power_work_lost_gpu_s == Approx(1800.0 * 8).epsilon(kRel));
  CHECK(named(run, "b").end_s == 14400.0);
}

TEST_CASE("with pause = \"checkpoint\" a job starting while an event is announced must fit the event's budget") {
  // 13200 W does not fit the coming 9 kW: "b" waits until the event ends, at 3 h.
  const RunRecord run = run_scenario("power.toml", k20kW,
                                     std::string("\n[power]\npolicy = \"preempt\"\npause = \"checkpoint\"\n") + kAnnouncedEvent + a_and_late_b());
  CHECK(named(run, "b").start_s == 10800.0);
  CHECK(named(run, "b").end_s == 14400.0);
  CHECK(run.summary.power.power_stops == 0);
  CHECK(run.summary.jobs_delayed_by_power == 1);
  CHECK(run.summary.power.budget_exceeded_s == 0.0);
}

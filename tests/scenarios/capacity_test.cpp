// End-to-end runs of tests/scenarios/capacity.toml: nodes leaving and joining the pool (maintenance with and
// without draining, commissioning, decommissioning) and jobs whose rate changes while they run, against numbers
// computed by hand here. Toy node: 8 GPUs, idle 1000 W + 8 x 100 W = 1800 W; a GPU at full load adds 600 W.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/support/run_scenario.hpp"

using namespace fleetsim;
using testing::run_scenario;

namespace {
constexpr double kRel = 1e-12;

using testing::job_toml;

// The job's record; a missing job fails the test case.
const JobRecord& named(const RunRecord& run, const std::string& name) {
  const JobRecord& record = testing::named_job(run, name);
  if (record.name != name) FAIL("no job " << name);
  return record;
}

double gpu_utilization(const RunRecord& run) { return run.summary.gpu_utilization; }
}  // namespace

TEST_CASE("maintenance interrupts the jobs on its nodes, which resume elsewhere from their last checkpoint") {
  // "long" (8 GPUs, 4 h of work, checkpoint every 40 min) starts at 0 on node 0 (best fit takes node 0 first).
  // Node 0 goes into maintenance at 1 h for 2 h: the job has done 60 min and kept 40 min (one checkpoint), so
  // 20 min x 8 GPUs are lost; it restarts at once on node 1 with 3 h 20 min left and ends at 1 h + 3 h 20 min.
  const RunRecord run = run_scenario(
      "capacity.toml", {},
      job_toml("long", 8, "0s", "4h", "checkpoint = { interval = \"40min\" }\n") +
          "\n[[maintenance]]\ncampus = \"paris\"\ncluster = \"a\"\nnodes = 1\nstart = \"1h\"\nduration = \"2h\"\n");
  const JobRecord& long_job = named(run, "long");
  CHECK(long_job.start_s == 0.0);
  CHECK(long_job.end_s == 3600.0 + 12000.0);
  CHECK(long_job.interruptions == 1);
  CHECK(long_job.preemptions == 0);  // maintenance, not the scheduler
  CHECK(long_job.work_lost_gpu_s == 20 * 60.0 * 8);
  CHECK(run.summary.interruptions == 1);
  CHECK(run.summary.preemptions == 0);
  // IT energy over 8 h: idle 3600 W, less node 0's 1800 W while it is off (1 h to 3 h); the job adds 8 x 600 W
  // for its two runs (1 h and 3 h 20 min).
  const double idle_j = 3600.0 * 28800 - 1800.0 * 7200;
  const double job_j = 8 * 600.0 * (3600 + 12000);
  CHECK(run.summary.it_energy_j == Approx(idle_j + job_j).epsilon(kRel));
  // Busy GPU-seconds over installed GPU-seconds (nodes in maintenance are still installed).
  CHECK(gpu_utilization(run) == Approx(8 * 15600.0 / (16 * 28800.0)).epsilon(kRel));
  // The hourly series sees node 0 off in hours 1 and 2: IT power 1800 W + the job's 1800 + 4800 W.
  REQUIRE(run.timeseries[0].size() == 8);
  CHECK(run.timeseries[0][0].it_power_w == Approx(3600 + 4800.0).epsilon(kRel));
  CHECK(run.timeseries[0][1].it_power_w == Approx(1800 + 4800.0).epsilon(kRel));
  CHECK(run.timeseries[0][3].it_power_w == Approx(3600 + 4800.0).epsilon(kRel));
}

TEST_CASE("maintenance with drain waits for the jobs to end, and its nodes take no new work meanwhile") {
  // "long" (8 GPUs, 4 h) runs 0 -> 4 h on node 0. "wide" (16 GPUs, both nodes) is submitted at 30 min and waits.
  // Node 0 drains from 1 h: no interruption; it goes down when "long" ends at 4 h and is back at 6 h, when
  // "wide" can start at last (until 7 h).
  const RunRecord run = run_scenario("capacity.toml", {},
                                     job_toml("long", 8, "0s", "4h") + job_toml("wide", 16, "30min", "1h") +
                                         "\n[[maintenance]]\ncampus = \"paris\"\ncluster = \"a\"\nnodes = 1\n"
                                         "start = \"1h\"\nduration = \"2h\"\ndrain = true\n");
  CHECK(named(run, "long").end_s == 4 * 3600.0);
  CHECK(named(run, "long").interruptions == 0);
  CHECK(named(run, "wide").start_s == 6 * 3600.0);
  CHECK(named(run, "wide").end_s == 7 * 3600.0);
  const double idle_j = 3600.0 * 28800 - 1800.0 * 7200;  // node 0 off from 4 h to 6 h
  const double jobs_j = 8 * 600.0 * 4 * 3600 + 16 * 600.0 * 3600;
  CHECK(run.summary.it_energy_j == Approx(idle_j + jobs_j).epsilon(kRel));
}

TEST_CASE("a small node job may still use the draining window's other nodes") {
  // Maintenance of node 0 with drain while "first" runs on it; "second" (8 GPUs) arrives at 2 h and takes node 1.
  const RunRecord run = run_scenario("capacity.toml", {},
                                     job_toml("first", 8, "0s", "3h") + job_toml("second", 8, "2h", "1h") +
                                         "\n[[maintenance]]\ncampus = \"paris\"\ncluster = \"a\"\nnodes = 1\n"
                                         "start = \"1h\"\nduration = \"1h\"\ndrain = true\n");
  CHECK(named(run, "second").start_s == 2 * 3600.0);
  CHECK(named(run, "first").end_s == 3 * 3600.0);
}

TEST_CASE("a cluster commissioned later joins the pool then, and power and utilisation count it from then on") {
  // Cluster a (2 nodes) is busy with "a-busy" (16 GPUs, 0 -> 5 h). "later" (16 GPUs) waits until cluster b
  // (2 more nodes) is commissioned at 2 h, and runs there 2 h -> 3 h.
  const RunRecord run = run_scenario(
      "capacity.toml", {},
      "\n[[campus.cluster]]\nname = \"b\"\nnode = \"toy-node\"\nnodes = 2\ncommission = \"2h\"\n" +
          job_toml("a-busy", 16, "0s", "5h") + job_toml("later", 16, "0s", "1h"));
  CHECK(named(run, "a-busy").cluster == "a");
  CHECK(named(run, "later").cluster == "b");
  CHECK(named(run, "later").start_s == 2 * 3600.0);
  CHECK(named(run, "later").end_s == 3 * 3600.0);
  // Idle: cluster a 3600 W for 8 h, cluster b 3600 W from 2 h; jobs add 16 x 600 W each while they run.
  const double idle_j = 3600.0 * 28800 + 3600.0 * 21600;
  const double jobs_j = 16 * 600.0 * 5 * 3600 + 16 * 600.0 * 3600;
  CHECK(run.summary.it_energy_j == Approx(idle_j + jobs_j).epsilon(kRel));
  // Installed GPU-seconds: 16 x 8 h + 16 x 6 h.
  CHECK(gpu_utilization(run) == Approx((16 * 18000.0 + 16 * 3600.0) / (16 * 28800.0 + 16 * 21600.0)).epsilon(kRel));
  // The limits report the most the installed clusters can draw at once: all 4 nodes at full load.
  CHECK(run.campuses[0].nameplate_it_w == Approx(4 * (1000 + 8 * 700.0)).epsilon(kRel));
  REQUIRE(run.timeseries[0].size() == 8);
  CHECK(run.timeseries[0][1].gpus_busy == Approx(16).epsilon(kRel));
  CHECK(run.timeseries[0][2].gpus_busy == Approx(32).epsilon(kRel));
}

TEST_CASE("a decommissioned cluster takes no new work and its nodes leave as their jobs end") {
  // Cluster a is decommissioned at 3 h. "running" (8 GPUs, 0 -> 5 h on node 0) finishes; node 1, idle, leaves at
  // 3 h and node 0 at 5 h. "too-late" (8 GPUs) submitted at 4 h never starts.
  const RunRecord run = run_scenario("capacity.toml", {"campus.paris.cluster.a.decommission=3h"},
                                     job_toml("running", 8, "0s", "5h") + job_toml("too-late", 8, "4h", "1h"));
  CHECK(named(run, "running").end_s == 5 * 3600.0);
  CHECK(named(run, "too-late").state == JobState::queued);
  // Installed GPU-seconds: node 1 for 3 h, node 0 for 5 h.
  CHECK(gpu_utilization(run) == Approx(8 * 18000.0 / (8 * 10800.0 + 8 * 18000.0)).epsilon(kRel));
  const double idle_j = 1800.0 * 10800 + 1800.0 * 18000;
  CHECK(run.summary.it_energy_j == Approx(idle_j + 8 * 600.0 * 18000).epsilon(kRel));
}

TEST_CASE("a job rate changes while it runs, and its end is re-timed exactly (slowed, paused, resumed)") {
  // "train" (16 GPUs, 2 h of work) starts at 0. At 600 s a component halves its rate, at 1200 s pauses it, at
  // 1800 s resumes it at full speed. Work done: 600 s + 600 s x 0.5 = 900 s by 1200 s; 6300 s left from 1800 s,
  // so it ends at 8100 s. "next" (8 GPUs, 1 h) waits for it under FIFO and ends at 8100 + 3600 s.
  EngineOptions options;
  options.add_components = [](Lifecycle&, FleetControl& control) {
    control.at(600, [&control] { control.set_job_rate(0, 0.5); });
    control.at(1200, [&control] { control.set_job_rate(0, 0.0); });
    control.at(1800, [&control] { control.set_job_rate(0, 1.0); });
  };
  const RunRecord run =
      run_scenario("capacity.toml", {}, job_toml("train", 16, "0s", "2h") + job_toml("next", 8, "10min", "1h"), options);
  CHECK(named(run, "train").end_s == 8100.0);
  CHECK(named(run, "next").start_s == 8100.0);
  CHECK(named(run, "next").end_s == 8100.0 + 3600.0);
}

TEST_CASE("the lifecycle signals announce starts, rate changes, interruptions and ends in order") {
  std::vector<std::string> events;
  EngineOptions options;
  options.add_components = [&events](Lifecycle& lifecycle, FleetControl& control) {
    lifecycle.job_submitted.connect([&events](const Job& job, double t) { events.push_back("submit " + job.name + " " + std::to_string(t)); });
    lifecycle.job_started.connect([&events](const JobRun& run) { events.push_back("start " + run.job.name + " " + std::to_string(run.time_s)); });
    lifecycle.job_rate_changed.connect([&events](const JobRun& run, double old_rate) {
      events.push_back("rate " + run.job.name + " " + std::to_string(old_rate) + "->" + std::to_string(run.rate));
    });
    lifecycle.job_interrupted.connect([&events](const JobRun& run, const Interruption& interruption) {
      events.push_back(std::string("interrupt ") + run.job.name + " " + to_string(interruption.cause));
    });
    lifecycle.job_ended.connect([&events](const JobRun& run) { events.push_back("end " + run.job.name + " " + std::to_string(run.time_s)); });
    lifecycle.nodes_down.connect([&events](const NodeChange& change) { events.push_back("down " + std::to_string(change.nodes.size())); });
    lifecycle.nodes_up.connect([&events](const NodeChange& change) { events.push_back("up " + std::to_string(change.nodes.size())); });
    control.at(900, [&control] { control.set_job_rate(0, 0.5); });
  };
  run_scenario("capacity.toml", {},
               job_toml("a", 16, "0s", "1h") +
                   "\n[[maintenance]]\ncampus = \"paris\"\ncluster = \"a\"\nnodes = 2\nstart = \"2h\"\nduration = \"1h\"\n",
               options);
  // a: 900 s at rate 1, then 2700 s of work at 0.5: it ends at 900 + 5400 = 6300 s, before the window opens at
  // 7200 s, which finds both nodes idle: they go down at once and come back at 3 h.
  const std::vector<std::string> expected{"submit a 0.000000", "start a 0.000000", "rate a 1.000000->0.500000",
                                          "end a 6300.000000", "down 2", "up 2"};
  CHECK(events == expected);
}

TEST_CASE("greedy tries the jobs it had given up on again when a cluster is commissioned") {
  // Greedy remembers queue-front jobs that did not fit until GPUs are released; new capacity must reset that.
  // "a-busy" (16 GPUs) holds cluster a until 5 h; "later" (16 GPUs) could not fit and waits for cluster b
  // (commissioned at 2 h), where it starts at once.
  const RunRecord run = run_scenario(
      "capacity.toml", {"scheduler.policy=greedy"},
      "\n[[campus.cluster]]\nname = \"b\"\nnode = \"toy-node\"\nnodes = 2\ncommission = \"2h\"\n" +
          job_toml("a-busy", 16, "0s", "5h") + job_toml("later", 16, "0s", "1h"));
  CHECK(named(run, "later").start_s == 2 * 3600.0);
}

// Job records as a component: fed lifecycle events by hand, recorded into memory.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/telemetry/job_records.hpp"
#include "sim/telemetry/memory_recorder.hpp"
#include "tests/support/toy_fleet.hpp"

using namespace fleetsim;

TEST_CASE("job records keep first start, last end, energy of every run and the work interruptions lost") {
  const Scenario scenario = testing::toy_scenario();
  Fleet fleet = build_fleet(scenario);
  std::vector<Job> jobs{testing::toy_job(0, 8), testing::toy_job(1, 8)};
  Lifecycle lifecycle;
  MemoryRecorder recorder;
  recorder.begin({"", "", 1, "", "", "", 7200, 3600, jobs.size(), {}}, {});
  JobRecords records(fleet, jobs, recorder, lifecycle);
  const Placement node0{0, {{0, 8}}}, node1{0, {{1, 8}}};
  // Job 0 runs 0-1000 s on node 0, is interrupted for maintenance having done 1000 s and kept 600 s, runs again
  // 1500-4500 s on node 1 and completes. Job 1 starts at 100 s and still runs at the horizon (7200 s).
  lifecycle.job_started(JobRun{jobs[0], node0, 8, -1, 0, 0, 1});
  lifecycle.job_started(JobRun{jobs[1], node1, 8, -1, 100, 100, 1});
  lifecycle.job_interrupted(JobRun{jobs[0], node0, 8, -1, 0, 1000, 1},
                            Interruption{InterruptCause::maintenance, 1000, 600});
  lifecycle.job_started(JobRun{jobs[0], node1, 8, -1, 1500, 1500, 1});
  lifecycle.job_ended(JobRun{jobs[0], node1, 8, -1, 1500, 4500, 1});
  const Summary summary = records.finish(7200, {});
  recorder.finish({}, summary);
  const RunRecord& run = recorder.record();
  REQUIRE(run.jobs.size() == 2);
  const JobRecord& first = run.jobs[0];
  CHECK(first.start_s == 0);
  CHECK(first.end_s == 4500);
  CHECK(first.state == JobState::completed);
  CHECK(first.interruptions == 1);
  CHECK(first.preemptions == 0);
  CHECK(first.work_lost_gpu_s == (1000 - 600) * 8.0);
  CHECK(first.energy_j == Approx(8 * 700.0 * (1000 + 3000)));  // two runs at 700 W per GPU
  const JobRecord& second = run.jobs[1];
  CHECK(second.state == JobState::running);
  CHECK(std::isnan(second.end_s));
  CHECK(second.energy_j == Approx(8 * 700.0 * (7200 - 100)));  // counted to the horizon
  CHECK(summary.jobs_completed == 1);
  CHECK(summary.jobs_running == 1);
  CHECK(summary.interruptions == 1);
  CHECK(summary.mean_wait_s == Approx(50));  // waits 0 and 100 s
}

// Failures in fleet runs ([reliability]): nodes fail, runs on them are interrupted and restart from their last
// checkpoint, failed nodes are out for their repair time, hot spares replace them after the swap time.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/support/run_scenario.hpp"

using namespace fleetsim;
using testing::run_scenario;

namespace {
// GPU faults at 1e-3 per GPU-hour: a 4-server (32-GPU) job sees one about every 31 hours.
const char* kFrequentFailures = "\n[reliability]\nfailures = { gpu = 1e-3 }\nrepair = { gpu = \"2000h\" }\n";

std::string job(int gpus, const std::string& extra = "") {
  return "\n[[job]]\nname = \"run\"\ncampus = \"lab\"\ngpus = " + std::to_string(gpus) + "\nduration = \"20d\"\n" + extra;
}
}  // namespace

TEST_CASE("failures: a failed node stops the run on it and stays out for its repair time") {
  // Five servers, a four-server run, repairs longer than the horizon: after the second failure on the run's nodes
  // only three healthy servers are left and the run waits until the end.
  const RunRecord run = run_scenario("failures.toml", {}, std::string(kFrequentFailures) + job(32));
  REQUIRE(!run.failures.empty());
  int hits = 0;
  for (const FailureRecord& failure : run.failures) {
    CHECK(failure.campus == "lab");
    CHECK(failure.cause == "gpu");
    CHECK(failure.node >= 0);
    CHECK(failure.node < 5);
    hits += failure.jobs_hit;
  }
  CHECK(hits == run.jobs[0].interruptions);
  CHECK(run.summary.failures == run.failures.size());
  CHECK(run.summary.failure_interruptions == static_cast<std::uint64_t>(hits));
  CHECK(hits >= 2);
  CHECK(run.jobs[0].state == JobState::queued);  // waiting for servers that never come back
  // No checkpoints: every interruption lost all the work of its run.
  CHECK(run.summary.gpu_hours_lost > 0);
  CHECK(run.summary.effective_training_time < 1);
}

TEST_CASE("failures: hot spares stay out of the pool and replace a failed server after the swap time") {
  // With one spare of five servers, a five-server job never starts.
  const RunRecord five = run_scenario("failures.toml", {}, "\n[reliability]\nspares_per_cluster = 1\n" + job(40));
  CHECK(five.jobs[0].state == JobState::queued);
  CHECK(five.failures.empty());
}

TEST_CASE("failures: with a spare, a four-server run resumes after a failure instead of waiting for the repair") {
  const RunRecord run = run_scenario(
      "failures.toml", {},
      std::string(kFrequentFailures) + "spares_per_cluster = 1\nswap = \"1h\"\n" +
          job(32, "checkpoint = { interval = \"1h\" }\n"));
  // The first failure on the run's servers takes one of them for 2,000 h; the spare joins after 1 h and the run
  // resumes from its last hourly checkpoint: it runs again, so a later failure hits it again (or it finishes).
  REQUIRE(run.jobs[0].interruptions >= 1);
  double first_hit_s = -1;
  bool resumed = run.jobs[0].state != JobState::queued;
  for (const FailureRecord& failure : run.failures) {
    if (failure.jobs_hit == 0) continue;
    if (first_hit_s >= 0) resumed = true;
    else first_hit_s = failure.time_s;
    // Hourly checkpoints: a failure loses at most an hour of the run's work.
    CHECK(failure.gpu_hours_lost <= 32 * 1.0 + 1e-9);
  }
  CHECK(resumed);
}

TEST_CASE("failures: a run restarts after its restart time, counted as time lost") {
  // Software faults (no repair): the run is stopped and queues again 2 h later.
  const RunRecord run = run_scenario("failures.toml", {},
                                     "\n[reliability]\nfailures = { software = 2e-3 }\n" + job(32, "restart = \"2h\"\n"));
  REQUIRE(run.jobs[0].interruptions >= 1);
  // 20 days of work, restarted from scratch after each interruption (no checkpoints), 2 h lost to each restart.
  CHECK(run.summary.effective_training_time < 1 - 2.0 * run.jobs[0].interruptions / (30 * 24));
}

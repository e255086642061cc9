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

TEST_CASE("failures: a leaf switch takes every server of its rack (blast radius)") {
  // Racks of 5 servers: the cluster is one rack, and each switch failure takes all five for the repair time.
  const RunRecord run = run_scenario("failures.toml", {"campus.lab.cluster.h100.nodes_per_rack=5"},
                                     "\n[reliability]\nfailures = { switch = 1e-2 }\nrepair = { network = \"6h\" }\n" +
                                         job(8));
  REQUIRE(!run.failures.empty());
  for (const FailureRecord& failure : run.failures) {
    CHECK(failure.cause == "switch");
    CHECK(failure.node == 0);
    CHECK(failure.nodes == 5);
  }
  // The one-server run is hit by every switch failure that finds it running.
  CHECK(run.jobs[0].interruptions >= 1);
}

TEST_CASE("checkpoints: a blocking write lowers the run's rate, an asynchronous one does not") {
  // 10 h of work, a checkpoint every hour: 10 min blocking writes make it 10 x 70 min = 11 h 40 min.
  const std::string blocking = "checkpoint = { interval = \"1h\", write = \"10min\" }\n";
  const RunRecord slow = run_scenario("failures.toml", {},
                                      "\n[[job]]\nname = \"run\"\ncampus = \"lab\"\ngpus = 8\nduration = \"10h\"\n" +
                                          blocking);
  CHECK(slow.jobs[0].end_s == Approx(10 * 70 * 60.0).epsilon(1e-12));
}

TEST_CASE("checkpoints: an asynchronous write costs nothing") {
  const RunRecord run = run_scenario(
      "failures.toml", {},
      "\n[[job]]\nname = \"run\"\ncampus = \"lab\"\ngpus = 8\nduration = \"10h\"\n"
      "checkpoint = { interval = \"1h\", write = \"10min\", async = 1.0 }\n");
  CHECK(run.jobs[0].end_s == Approx(10 * 3600.0).epsilon(1e-12));
  CHECK(run.summary.goodput == 1.0);
}

TEST_CASE("failures: a run with max_restarts fails for good at its next interruption by a failure") {
  const RunRecord run = run_scenario("failures.toml", {},
                                     "\n[reliability]\nfailures = { software = 2e-3 }\n" + job(32, "max_restarts = 1\n"));
  REQUIRE(run.jobs.size() == 1);
  CHECK(run.jobs[0].state == JobState::failed);
  CHECK(run.jobs[0].interruptions == 2);  // restarted once, gave up the second time
  CHECK(run.summary.jobs_failed == 1);
  CHECK(run.summary.jobs_queued == 0);
}

TEST_CASE("failures: a GPU model's own failure rates replace the scenario's for its GPU classes") {
  // The scenario's GPU rate would fail these 40 GPUs about every 25 h; the local GPU model says never.
  const std::string local_gpu = R"(
[[hw.gpu]]
id = "steady-h100"
idle_w = 75.0
max_w = 700.0
failure_rates = { gpu = 0.0 }

[[hw.node]]
id = "steady-node"
gpu = "steady-h100"
gpus = 8
base_w = 1800.0
)";
  const RunRecord run = run_scenario("failures.toml", {"campus.lab.cluster.h100.node=\"steady-node\""},
                                     local_gpu + "\n[reliability]\nfailures = { gpu = 1e-3 }\n" + job(32));
  CHECK(run.failures.empty());
  CHECK(run.jobs[0].interruptions == 0);
}

TEST_CASE("failures: a Weibull shape below 1 front-loads the failures of new hardware") {
  // 500 servers (4,000 GPUs), GPU faults at 1e-6 per GPU-hour (a mean of 1e6 h between failures of one GPU), shape
  // 0.5: scale = 1e6 h / Gamma(3) = 5e5 h. In the first 30 days (720 h) a new GPU fails with probability
  // F = 1 - exp(-(720 / 5e5)^0.5) = 0.0372 (a second failure of the same GPU is F^2-rare): 4,000 x F = 149
  // expected, where an exponential time (shape 1) would give 4,000 x 720 x 1e-6 = 2.9. Repairs take no time, so
  // every node is always in service and every failure counts.
  const RunRecord run = run_scenario("failures.toml", {"campus.lab.cluster.h100.nodes=500"},
                                     "\n[reliability]\nfailures = { gpu = 1e-6 }\nshape = { gpu = 0.5 }\nrepair = { gpu = \"0s\" }\n");
  const double expected = 4000 * (1 - std::exp(-std::sqrt(720 / 5e5)));
  CHECK(double(run.failures.size()) == Approx(expected).epsilon(0.2));  // Poisson spread: sqrt(149) = 12
  // Front-loaded: the first 10 days see more than the last 10 ((240/5e5)^0.5 = 0.0219 against 0.0372 - 0.0311).
  int first = 0, last = 0;
  for (const FailureRecord& failure : run.failures) {
    first += failure.time_s < 240 * 3600.0;
    last += failure.time_s >= 480 * 3600.0;
  }
  CHECK(first > 2 * last);
}

TEST_CASE("failures: in the long run a Weibull component fails at its rate") {
  // 40 GPUs at 1e-3 per GPU-hour, shape 0.5, over 3,000 days: renewals settle at 1 / MTBF per GPU, 40 x 1e-3 an
  // hour; the last 2,000 days should see 40 x 1e-3 x 48,000 h = 1,920 failures.
  const RunRecord run = run_scenario("failures.toml", {"simulation.duration=\"3000d\""},
                                     "\n[reliability]\nfailures = { gpu = 1e-3 }\nshape = { gpu = 0.5 }\nrepair = { gpu = \"0s\" }\n");
  int late = 0;
  for (const FailureRecord& failure : run.failures) late += failure.time_s >= 1000 * 86400.0;
  CHECK(late == Approx(1920).epsilon(0.08));  // Poisson-like spread: sqrt(1920) = 44 (2.3%)
}

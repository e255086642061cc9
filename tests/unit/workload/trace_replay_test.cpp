#include <catch2/catch.hpp>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/workload/job_list.hpp"
#include "sim/workload/trace_workload.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

namespace {
// The shipped NASA iPSC/860 SWF sample (100 jobs, processors 1-128) replayed on one campus of 16 DGX H100
// (128 GPUs), one GPU per processor unless overridden.
Scenario swf_scenario(const std::string& extra) {
  const std::string text = "[simulation]\nduration = \"365d\"\n" + testing::campus_toml("nasa", 16) +
                           "[[workload]]\nkind = \"trace\"\nname = \"nasa\"\nformat = \"swf\"\n"
                           "path = \"data/traces/swf/NASA-iPSC-1993-3-first100.swf\"\ncampus = \"nasa\"\n" + extra;
  return load_scenario_text(text, {FLEETSIM_SOURCE_DIR "/scenario.toml", {}, {}});
}
}  // namespace

TEST_CASE("a trace replays every job that can run, with its first submission at the start") {
  Scenario scenario = swf_scenario("start = \"1h\"\n");
  std::vector<Job> jobs;
  const TraceReplayReport report = replay_trace(scenario, scenario.traces[0], jobs);
  CHECK(report.rows == 100);
  CHECK(report.kept + report.no_gpu + report.no_runtime + report.too_large + report.sampled_out + report.after_horizon ==
        report.rows);
  REQUIRE(report.kept > 50);
  REQUIRE(jobs.size() == report.kept);
  double earliest = jobs[0].submit_s;
  for (const Job& job : jobs) {
    earliest = std::min(earliest, job.submit_s);
    CHECK(job.gpus >= 1);
    CHECK(job.gpus <= 128);
    CHECK(job.duration_s > 0);
    CHECK(job.estimate_s == job.duration_s);  // no estimate model, and this log has no requested times
  }
  CHECK(earliest == 3600.0);
}

TEST_CASE("time scale compresses arrivals, GPU units scale sizes, sampling is seeded") {
  Scenario plain = swf_scenario("");
  Scenario scaled = swf_scenario("time_scale = 0.5\ngpus_per_unit = 0.125\n");
  std::vector<Job> a, b;
  replay_trace(plain, plain.traces[0], a);
  replay_trace(scaled, scaled.traces[0], b);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(b[i].submit_s == Approx(a[i].submit_s * 0.5));
    CHECK(b[i].gpus == (a[i].gpus + 7) / 8);  // a fraction of a GPU becomes one GPU
    CHECK(b[i].duration_s == a[i].duration_s);
  }
  Scenario half = swf_scenario("sample_fraction = 0.5\n");
  std::vector<Job> first, second;
  const auto report = replay_trace(half, half.traces[0], first);
  replay_trace(half, half.traces[0], second);
  CHECK(report.sampled_out > 20);
  CHECK(report.sampled_out < 60);
  REQUIRE(first.size() == second.size());
  for (std::size_t i = 0; i < first.size(); ++i) CHECK(first[i].name == second[i].name);
}

TEST_CASE("trace workloads join the job list with the others, in submission order") {
  Scenario scenario = swf_scenario("max_jobs = 10\n");
  std::vector<std::string> reports;
  const std::vector<Job> jobs = build_job_list(scenario, &reports);
  CHECK(jobs.size() == 10);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].rfind("nasa: ", 0) == 0);
  for (std::size_t i = 1; i < jobs.size(); ++i) CHECK(jobs[i - 1].submit_s <= jobs[i].submit_s);
}

#include <catch2/catch.hpp>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/workload/trace_workload.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

namespace {
Job job(const std::string& name, int gpus, int gpu_milli, double submit_s) {
  Job j;
  j.name = name;
  j.gpus = gpus;
  j.gpu_milli = gpu_milli;
  j.submit_s = submit_s;
  j.duration_s = 3600;
  j.gpu_utilization = 0.5;
  j.cpu_milli = 4000;
  return j;
}

// The shipped openb sample (300 pods, 281 with GPUs asking for 236.72 GPUs' worth when shared) on one campus
// of `nodes` DGX H100 (8 GPUs each), GPUs shared.
Scenario openb_scenario(int nodes, const std::string& extra) {
  const std::string text = "[simulation]\nduration = \"365d\"\n[scheduler]\ngpu_sharing = true\n" +
                           testing::campus_toml("ali", nodes) +
                           "[[workload]]\nkind = \"trace\"\nname = \"openb\"\nformat = \"alibaba-openb-2023\"\n"
                           "path = \"data/traces/alibaba-openb-2023/openb_pod_list_default_first300.csv\"\n"
                           "campus = \"ali\"\n" + extra;
  return load_scenario_text(text, {FLEETSIM_SOURCE_DIR "/scenario.toml", {}, {}});
}

double requested(const std::vector<Job>& jobs) {
  double total = 0;
  for (const Job& j : jobs) total += requested_gpus(j);
  return total;
}
}  // namespace

TEST_CASE("requested GPUs count a shared job's share of one GPU") {
  CHECK(requested_gpus(job("a", 4, 0, 0)) == 4.0);
  CHECK(requested_gpus(job("b", 1, 250, 0)) == 0.25);
}

TEST_CASE("inflation adds copies until the next one would pass the target") {
  // Three 1-GPU jobs (3 GPUs requested) and a target of 7.5 GPUs: whichever job is drawn, each copy adds one
  // GPU, so exactly 4 copies fit (7 GPUs); the 5th would make 8 > 7.5 and ends the inflation.
  std::vector<Job> jobs{job("x", 0, 0, 0), job("a", 1, 0, 100), job("b", 1, 0, 200), job("c", 1, 0, 400)};
  jobs[0].gpus = 99;  // before `first`: never drawn, never counted
  RandomStream rng(7, "test/inflate");
  CHECK(inflate_jobs(jobs, 1, 7.5, rng) == 4);
  REQUIRE(jobs.size() == 8);
  CHECK(requested(std::vector<Job>(jobs.begin() + 1, jobs.end())) == 7.0);
  for (std::size_t i = 4; i < jobs.size(); ++i) {
    const std::string k = std::to_string(i - 4);
    const std::string original = jobs[i].name.substr(0, 1);
    CHECK(jobs[i].name == original + "~" + k);  // <original>~<k>
    CHECK((original == "a" || original == "b" || original == "c"));
    CHECK(jobs[i].gpus == 1);
    CHECK(jobs[i].duration_s == 3600);
    CHECK(jobs[i].gpu_utilization == 0.5);
    CHECK(jobs[i].cpu_milli == 4000);
    // Arrivals spread over the originals' span [100 s, 400 s).
    CHECK(jobs[i].submit_s >= 100);
    CHECK(jobs[i].submit_s < 400);
  }
}

TEST_CASE("inflation adds nothing when the jobs already ask for the target, and is seeded") {
  std::vector<Job> full{job("a", 2, 0, 0), job("b", 1, 500, 0)};  // 2.5 GPUs
  RandomStream rng(1, "test/inflate");
  CHECK(inflate_jobs(full, 0, 2.5, rng) == 0);  // any copy (2 or 0.5 GPUs) would pass 2.5
  CHECK(full.size() == 2);
  std::vector<Job> none;
  CHECK(inflate_jobs(none, 0, 10.0, rng) == 0);

  // A half-GPU and a 2-GPU job (2.5 GPUs) inflated to 100 GPUs: same seed, same copies.
  std::vector<Job> a{job("s", 1, 500, 0), job("w", 2, 0, 50)}, b = a;
  RandomStream first(3, "test/inflate"), second(3, "test/inflate");
  const auto copies = inflate_jobs(a, 0, 100.0, first);
  CHECK(inflate_jobs(b, 0, 100.0, second) == copies);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].submit_s == b[i].submit_s);
  }
  // It stopped at the first copy that would not fit: at most 2 GPUs (the larger job) short of 100.
  CHECK(requested(a) <= 100.0);
  CHECK(requested(a) > 98.0);
}

TEST_CASE("inflate_to resamples a trace to a multiple of its campus's installed GPUs") {
  // 30 DGX H100 = 240 GPUs; inflate_to = 1.3 -> up to 312 GPUs requested.
  Scenario scenario = openb_scenario(30, "inflate_to = 1.3\n");
  std::vector<Job> jobs;
  const TraceReplayReport report = replay_trace(scenario, scenario.traces[0], jobs);
  CHECK(report.kept == 281);  // 300 pods, 19 without GPUs
  REQUIRE(report.inflated > 0);
  CHECK(jobs.size() == report.kept + report.inflated);
  CHECK(requested(jobs) <= 312.0);
  CHECK(requested(jobs) > 312.0 - 8.0);  // the sample's largest pod asks for 8 GPUs
  CHECK(report.summary().find(std::to_string(report.inflated) + " copies added (inflate_to)") != std::string::npos);

  // Without inflate_to the trace alone: 281 pods.
  Scenario plain = openb_scenario(30, "");
  std::vector<Job> alone;
  CHECK(replay_trace(plain, plain.traces[0], alone).inflated == 0);
  CHECK(alone.size() == 281);

  // A target below what the trace already asks for adds nothing (10 nodes = 80 GPUs x 1.3 = 104 < 236.72).
  Scenario small = openb_scenario(10, "inflate_to = 1.3\n");
  std::vector<Job> unchanged;
  CHECK(replay_trace(small, small.traces[0], unchanged).inflated == 0);
}

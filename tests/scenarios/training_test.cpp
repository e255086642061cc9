// Training runs in fleet mode (issue 12): a [[job]] with a model runs for steps x the step time the step-time
// model gives on its campus's hardware; the plan is checked when the scenario loads.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "sim/training/machine.hpp"
#include "tests/support/run_scenario.hpp"
#include "tests/support/toy_training.hpp"

using namespace fleetsim;
using testing::run_scenario;

namespace {

std::string llama_job(const std::string& name, const std::string& extra) {
  return "\n[[job]]\nname = \"" + name + "\"\ncampus = \"paris\"\nmodel = \"llama3-405b\"\ngpus = 8192\n"
         "sequence_length = 8192\nglobal_batch_size = 2048\nprecision = \"bf16\"\nsharding = \"gradients\"\n"
         "reduce_in_fp32 = true\nparallelism = { tp = 8, pp = 16 }\n" + extra;
}

// The step time the model gives for the test campus's hardware, computed here from the library directly.
training::StepBreakdown expected_step(const hw::Catalog& catalog, double cap_w = 0) {
  return testing::llama3_405b_8192_step(catalog, cap_w);
}

double expected_step_s(const hw::Catalog& catalog, double cap_w = 0) { return expected_step(catalog, cap_w).step_time_s; }

}  // namespace

TEST_CASE("training: a run of N steps ends after N step times, and tokens round up to whole steps") {
  const RunRecord run = run_scenario("training.toml", {},
                                     llama_job("steps", "steps = 100\n") +
                                         llama_job("tokens", "submit = \"10d\"\ntokens = 1.6e9\n"));
  const double step = expected_step_s(hw::Catalog::builtin());
  REQUIRE(run.jobs.size() == 2);
  CHECK(run.jobs[0].start_s == 0.0);
  CHECK(run.jobs[0].end_s == Approx(100 * step).epsilon(1e-12));
  // 1.6e9 tokens / (2048 x 8192 tokens per step) = 95.4 -> 96 steps.
  CHECK(run.jobs[1].end_s - run.jobs[1].start_s == Approx(96 * step).epsilon(1e-12));
  // The step is minutes, not a constant: Llama 3 405B on 8,192 H100 takes seconds per step.
  CHECK(step > 5);
  CHECK(step < 30);
}

TEST_CASE("training: a power cap slows the compute part of the step, and the run takes the capped step time") {
  const RunRecord capped = run_scenario("training.toml", {"campus.paris.cluster.h100.power_cap_w=420"},
                                        llama_job("capped", "steps = 100\n"));
  const double free_step = expected_step_s(hw::Catalog::builtin());
  const double capped_step = expected_step_s(hw::Catalog::builtin(), 420);
  // At 420 W an H100 keeps 0.848 of its throughput (catalog cap curve): the step's compute slows by 1/0.848, its
  // exposed communication does not, so the step slows by less than 1/0.848.
  CHECK(capped_step > free_step * 1.05);
  CHECK(capped_step < free_step / 0.848);
  CHECK(capped.jobs[0].end_s == Approx(100 * capped_step).epsilon(1e-9));
}

TEST_CASE("training: /jobs records model, tokens, step time and MFU, and /summary the tokens and FLOPs trained") {
  // One run completes (100 steps); one still runs at the 30-day horizon (submitted at day 29); a plain job has none.
  const RunRecord run = run_scenario(
      "training.toml", {},
      llama_job("done", "steps = 100\n") + llama_job("running", "submit = \"29d\"\nsteps = 1000000\n") +
          "\n[[job]]\nname = \"plain\"\ncampus = \"paris\"\ngpus = 8\nduration = \"1h\"\nsubmit = \"1d\"\n");
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const double step = expected_step_s(catalog);
  const double tokens_per_step = 2048.0 * 8192;
  REQUIRE(run.jobs.size() == 3);
  const JobRecord& done = run.jobs[0];
  const JobRecord& plain = run.jobs[1];
  const JobRecord& running = run.jobs[2];
  CHECK(done.model == "llama3-405b");
  CHECK(done.tokens == 100 * tokens_per_step);
  CHECK(done.step_time_s == Approx(step).epsilon(1e-12));
  // MFU by hand: 6N-style FLOPs per token x tokens per step / (step x GPUs x the H100's 989 TFLOP/s bf16 peak).
  const double flops_per_token = training::model_flops_per_token(*catalog.find_model("llama3-405b"), 8192);
  CHECK(done.mfu == Approx(flops_per_token * tokens_per_step / (step * 8192 * 989e12)).epsilon(1e-3));
  // At the horizon the second run has done the whole steps that fit in one day since its start.
  REQUIRE(running.state == JobState::running);
  CHECK(running.tokens == std::floor(86400 / step) * tokens_per_step);
  CHECK(plain.model.empty());
  CHECK(plain.tokens == 0);
  CHECK(std::isnan(plain.step_time_s));
  CHECK(std::isnan(plain.mfu));
  CHECK(run.summary.tokens_trained == done.tokens + running.tokens);
  CHECK(run.summary.training_flops == Approx((done.tokens + running.tokens) * flops_per_token).epsilon(1e-12));
}

TEST_CASE("training: under a power cap /jobs records the capped step time and the lower MFU") {
  const RunRecord run = run_scenario("training.toml", {"campus.paris.cluster.h100.power_cap_w=420"},
                                     llama_job("capped", "steps = 100\n"));
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const double free_step = expected_step_s(catalog), capped_step = expected_step_s(catalog, 420);
  CHECK(run.jobs[0].step_time_s == Approx(capped_step).epsilon(1e-9));
  // The same FLOPs in a longer step (one SimGrid run per process: the uncapped MFU from the model directly).
  CHECK(run.jobs[0].mfu == Approx(expected_step(catalog).mfu * free_step / capped_step).epsilon(1e-9));
  CHECK(run.jobs[0].tokens == 100 * 2048.0 * 8192);
}

namespace {

std::string llama70_job(const std::string& name, int gpus, const std::string& precision) {
  return "\n[[job]]\nname = \"" + name + "\"\ncampus = \"mixed\"\nmodel = \"llama3-70b\"\ngpus = " +
         std::to_string(gpus) + "\nsequence_length = 8192\nglobal_batch_size = 512\nsteps = 100\nprecision = \"" +
         precision + "\"\nparallelism = { tp = 8, pp = 4 }\n";
}

training::StepBreakdown llama70_step(const std::string& node, int gpus, training::Precision precision) {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  training::TrainingPlan plan;
  plan.gpus = gpus;
  plan.sequence_length = 8192;
  plan.global_batch_size = 512;
  plan.precision = precision;
  plan.parallelism = {8, 4, 1, 1, 1};
  const training::Machine machine =
      training::machine_for(catalog, *catalog.find_node(node), catalog.find_fabric("ib-ndr-400"), 0);
  return training::step_time(*catalog.find_model("llama3-70b"), plan, machine);
}

}  // namespace

TEST_CASE("training: on a campus with two kinds of clusters each run takes the step time of the cluster it got") {
  // Two identical runs of 512 GPUs at t = 0 on a campus of 512 A100 and 512 H100: one on each cluster.
  const RunRecord run = run_scenario("training_mixed.toml", {},
                                     llama70_job("first", 512, "bf16") + llama70_job("second", 512, "bf16"));
  const double a100_step = llama70_step("dgx-a100", 512, training::Precision::bf16).step_time_s;
  const double h100_step = llama70_step("dgx-h100", 512, training::Precision::bf16).step_time_s;
  CHECK(a100_step > 1.5 * h100_step);  // 312 against 989 TFLOP/s bf16 peak
  REQUIRE(run.jobs.size() == 2);
  std::map<std::string, const JobRecord*> by_cluster;
  for (const JobRecord& job : run.jobs) by_cluster[job.cluster] = &job;
  REQUIRE(by_cluster.count("a100") == 1);
  REQUIRE(by_cluster.count("h100") == 1);
  CHECK(by_cluster["a100"]->end_s == Approx(100 * a100_step).epsilon(1e-9));
  CHECK(by_cluster["h100"]->end_s == Approx(100 * h100_step).epsilon(1e-9));
  CHECK(by_cluster["a100"]->step_time_s == Approx(a100_step).epsilon(1e-9));
  CHECK(by_cluster["h100"]->step_time_s == Approx(h100_step).epsilon(1e-9));
  // MFU against each cluster's own GPU peak.
  CHECK(by_cluster["a100"]->mfu == Approx(llama70_step("dgx-a100", 512, training::Precision::bf16).mfu).epsilon(1e-9));
  CHECK(by_cluster["h100"]->mfu == Approx(llama70_step("dgx-h100", 512, training::Precision::bf16).mfu).epsilon(1e-9));
}

TEST_CASE("training: a plan that fits only some clusters of its campus runs on those") {
  // FP8: the A100 has no FP8 tensor cores, so the run waits for and takes the H100 cluster, listed second.
  const RunRecord run = run_scenario("training_mixed.toml", {}, llama70_job("fp8", 256, "fp8"));
  REQUIRE(run.jobs.size() == 1);
  CHECK(run.jobs[0].cluster == "h100");
  CHECK(run.jobs[0].end_s == Approx(100 * llama70_step("dgx-h100", 256, training::Precision::fp8).step_time_s).epsilon(1e-9));
}

TEST_CASE("training: a synthetic workload draws a mix of training runs, each placed where its plan fits") {
  // 3:1 Llama 3 8B (BF16, 64 GPUs, fits both clusters) and Llama 3 70B (FP8, 256 GPUs, H100 only).
  const std::string mix = R"(
[[workload]]
kind = "synthetic"
name = "mix"
jobs = 200
rate_per_h = 2.0
training = [
  { weight = 3.0, model = "llama3-8b", gpus = 64, sequence_length = 8192, global_batch_size = 512, steps = 50, parallelism = { tp = 8 } },
  { weight = 1.0, model = "llama3-70b", gpus = 256, sequence_length = 8192, global_batch_size = 512, steps = 20, precision = "fp8", parallelism = { tp = 8, pp = 4 } },
]
)";
  const RunRecord run = run_scenario("training_mixed.toml", {}, mix);
  REQUIRE(run.jobs.size() == 200);
  int small = 0;
  for (const JobRecord& job : run.jobs) {
    REQUIRE((job.model == "llama3-8b" || job.model == "llama3-70b"));
    small += job.model == "llama3-8b";
    CHECK(job.gpus == (job.model == "llama3-8b" ? 64 : 256));
    if (job.model == "llama3-70b" && !job.cluster.empty()) CHECK(job.cluster == "h100");
    if (job.state == JobState::completed) {
      // Never interrupted: the run took its steps at the step time of the cluster it got.
      const int steps = job.model == "llama3-8b" ? 50 : 20;
      CHECK(job.end_s - job.start_s == Approx(steps * job.step_time_s).epsilon(1e-9));
      CHECK(job.tokens == steps * 512.0 * 8192);
    }
  }
  // Binomial(200, 0.75): mean 150, standard deviation 6.1; 120..180 is about 5 standard deviations.
  CHECK(small > 120);
  CHECK(small < 180);
  CHECK(run.summary.tokens_trained > 0);
}

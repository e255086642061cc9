// `fleetsim step` as a user runs it (tests/scenarios/step.toml): the --json keys, the table, --steps, and bad input
// as one line naming the file or option with exit code 2.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "hw/catalog.hpp"
#include "sim/training/machine.hpp"
#include "tests/support/fleetsim_cli.hpp"

using fleetsim::testing::run_fleetsim;

namespace {

const std::string kScenario = std::string(FLEETSIM_SOURCE_DIR) + "/tests/scenarios/step.toml";

std::set<std::string> keys(const nlohmann::json& object) {
  std::set<std::string> out;
  for (const auto& item : object.items()) out.insert(item.key());
  return out;
}

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("step: --json prints exactly the breakdown keys, power per phase, and they add up") {
  const auto result = run_fleetsim("step " + kScenario + " --job llama3-70b --json");
  REQUIRE(result.exit_code == 0);
  const nlohmann::json step = nlohmann::json::parse(result.output);
  CHECK(keys(step) == std::set<std::string>{"step_time_s", "compute_s", "exposed_comm_s", "bubble_s", "mfu", "tokens_per_s",
                                            "power_w"});
  CHECK(keys(step["power_w"]) == std::set<std::string>{"compute", "exposed_comm", "bubble"});
  const double step_s = step["step_time_s"];
  CHECK(step_s == Approx(double(step["compute_s"]) + double(step["exposed_comm_s"]) + double(step["bubble_s"])).epsilon(1e-8));
  // 64 sequences of 8192 tokens per step.
  CHECK(double(step["tokens_per_s"]) == Approx(64 * 8192 / step_s).epsilon(1e-8));
  // Compute draws more than exposed communication, which draws more than the bubble (16 DGX H100: 8.5 kW each at
  // full load, 2.4 kW idle).
  CHECK(double(step["power_w"]["compute"]) == Approx(16 * 8500.0));
  CHECK(double(step["power_w"]["bubble"]) == Approx(16 * (1800.0 + 8 * 75.0)));
  CHECK(double(step["power_w"]["exposed_comm"]) < double(step["power_w"]["compute"]));
  CHECK(double(step["power_w"]["exposed_comm"]) > double(step["power_w"]["bubble"]));
  // Fleet mode's step time for the same job, from the library: within 5 %.
  const fleetsim::hw::Catalog& catalog = fleetsim::hw::Catalog::builtin();
  fleetsim::training::TrainingPlan plan;
  plan.gpus = 128;
  plan.sequence_length = 8192;
  plan.global_batch_size = 64;
  plan.parallelism = {8, 4, 1, 1, 1};
  const double fleet_s = fleetsim::training::step_time(*catalog.find_model("llama3-70b"), plan,
                                                       fleetsim::training::machine_for(catalog, *catalog.find_node("dgx-h100"),
                                                                                       catalog.find_fabric("ib-ndr-400"), 0))
                             .step_time_s;
  CHECK(step_s == Approx(fleet_s).epsilon(0.05));
}

TEST_CASE("step: the table shows the breakdown beside fleet mode, and --steps N the mean of N steps") {
  const auto one = run_fleetsim("step " + kScenario + " --job interleaved");
  REQUIRE(one.exit_code == 0);
  for (const char* text : {"step_time_s", "fleet mode", "compute_s", "exposed_comm_s", "bubble_s", "mfu", "tokens_per_s",
                           "power_w", "vp 2", "1 step(s)"})
    CHECK(one.output.find(text) != std::string::npos);
  const auto ten = run_fleetsim("step " + kScenario + " --job interleaved --steps 10 --json");
  REQUIRE(ten.exit_code == 0);
  const auto single = run_fleetsim("step " + kScenario + " --job interleaved --json");
  // Every step is alike: the parameters are gathered after each optimizer step as before the first.
  CHECK(double(nlohmann::json::parse(ten.output)["step_time_s"]) ==
        Approx(double(nlohmann::json::parse(single.output)["step_time_s"])).epsilon(1e-3));
}

TEST_CASE("step: the flows left out by symmetry change nothing - --all-flows gives the same step") {
  for (const char* job : {"llama3-70b", "mixtral"}) {
    INFO(job);
    const auto reduced = run_fleetsim("step " + kScenario + " --job " + job + " --json");
    const auto all = run_fleetsim("step " + kScenario + " --job " + job + " --json --all-flows");
    REQUIRE(reduced.exit_code == 0);
    REQUIRE(all.exit_code == 0);
    CHECK(double(nlohmann::json::parse(all.output)["step_time_s"]) ==
          Approx(double(nlohmann::json::parse(reduced.output)["step_time_s"])).epsilon(1e-3));
  }
}

TEST_CASE("step: bad input is one line naming the file or option, exit code 2") {
  const auto unknown = run_fleetsim("step " + kScenario + " --job nope");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output == kScenario + ":0: --job: no [[job]] of that name (training jobs: llama3-70b, interleaved, mixtral) (got \"nope\")\n");
  const auto not_training = run_fleetsim("step " + kScenario + " --job inference");
  CHECK(not_training.exit_code == 2);
  CHECK(not_training.output.rfind(kScenario + ":0: job.inference.model: required by fleetsim step", 0) == 0);
  CHECK(lines(not_training.output) == 1);
  // A plan that does not fit is refused when the scenario loads, naming its line.
  const auto too_big = run_fleetsim("step " + kScenario + " --job llama3-70b --set job.llama3-70b.parallelism.tp=2");
  CHECK(too_big.exit_code == 2);
  CHECK(too_big.output.find("job.llama3-70b.model: needs") != std::string::npos);
  CHECK(lines(too_big.output) == 1);
  CHECK(run_fleetsim("step " + kScenario + " --job llama3-70b --steps 0").exit_code == 2);
  CHECK(run_fleetsim("step " + kScenario).exit_code == 2);
  CHECK(run_fleetsim("step --help").exit_code == 0);
  CHECK(run_fleetsim("--help").output.find("step SCENARIO.toml --job NAME") != std::string::npos);
}

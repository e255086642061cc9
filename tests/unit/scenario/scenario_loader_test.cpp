#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hw/catalog.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/workload_reader.hpp"
#include "sim/training/machine.hpp"

using namespace fleetsim;

namespace {
const char* kToy = R"(
[simulation]
name = "toy"
duration = "4h"
seed = 3
telemetry_interval = "1h"

[[hw.gpu]]
id = "toy-gpu"
idle_w = 100.0
max_w = 700.0

[[hw.node]]
id = "toy-node"
gpu = "toy-gpu"
gpus = 8
base_w = 1000.0

[[campus]]
name = "paris"
country = "FR"
grid_connection_mw = 40.0
pue = 1.5
carbon_intensity_g_per_kwh = 56.0

[[campus.cluster]]
name = "a"
node = "toy-node"
nodes = 2

[[campus.cluster]]
name = "b"
node = "dgx-h100"
nodes = 1

[scheduler]
policy = "fifo"

[[job]]
name = "train-a"
campus = "paris"
gpus = 16
duration = "2h"

[[workload]]
kind = "synthetic"
jobs = 10
rate_per_h = 20.0
gpus = { values = [1, 8], weights = [0.5, 0.5] }
duration = { distribution = "lognormal", median = "1h", sigma = 1.2 }
gpu_utilization = { min = 0.3, max = 1.0 }
)";

Scenario load(std::vector<std::string> overrides = {}, std::optional<std::uint64_t> seed = {}) {
  return load_scenario_text(kToy, {"toy.toml", std::move(overrides), seed});
}

std::string error_of(std::vector<std::string> overrides) {
  try {
    load(std::move(overrides));
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a scenario loads into SI units with catalog and local hardware") {
  Scenario scenario = load();
  CHECK(scenario.simulation.duration_s == 4 * 3600.0);
  CHECK(scenario.simulation.telemetry_interval_s == 3600.0);
  CHECK(scenario.simulation.seed == 3);
  REQUIRE(scenario.campuses.size() == 1);
  CHECK(scenario.campuses[0].grid_connection_w == 40e6);
  CHECK(scenario.campuses[0].clusters.size() == 2);
  CHECK(scenario.hardware.find_node("toy-node")->base_w == 1000.0);
  CHECK(scenario.hardware.find_node("dgx-h100"));
  REQUIRE(scenario.jobs.size() == 1);
  CHECK(scenario.jobs[0].gpu_utilization == 1.0);  // default
  CHECK(scenario.jobs[0].submit_s == 0.0);          // default
  REQUIRE(scenario.workloads.size() == 1);
  CHECK(scenario.workloads[0].duration.kind == DurationDistribution::Kind::lognormal);
  CHECK(scenario.workloads[0].gpu_utilization.range.max == 1.0);
}

TEST_CASE("overrides (--set) address array elements by name and takes plain or TOML values") {
  Scenario scenario = load({"campus.paris.pue=1.2", "simulation.duration=1d", "campus.paris.cluster.a.nodes=5",
                            "workload.0.jobs=3", "scheduler.policy=fifo"});
  CHECK(scenario.campuses[0].pue == 1.2);
  CHECK(scenario.simulation.duration_s == 86400.0);
  CHECK(scenario.campuses[0].clusters[0].nodes == 5);
  CHECK(scenario.workloads[0].jobs == 3);
}

TEST_CASE("the seed option overrides simulation.seed") { CHECK(load({}, 99).simulation.seed == 99); }

TEST_CASE("errors from --set name the --set argument") {
  CHECK(error_of({"simulation.seed=2", "campus.paris.pue=0.5"}) ==
        "--set:2: campus.paris.pue: must be >= 1.0 (facility power includes IT power) (got 0.5 (float))");
  CHECK(error_of({"campus.lyon.pue=1.2"}) ==
        "--set:1: campus.lyon: no [[campus]] element with this name or index (got \"lyon\")");
  CHECK(error_of({"campus.paris.colour=1"}).rfind("--set:1: campus.paris.colour: unknown key", 0) == 0);
  CHECK(error_of({"nonsense"}) == "--set:1: nonsense: expected KEY=VALUE (got \"nonsense\")");
}

TEST_CASE("the resolved scenario re-loads to the same scenario, with its hardware copied in") {
  Scenario first = load({"campus.paris.pue=1.25"}, 7);
  CHECK(first.resolved_toml.find("id = 'dgx-h100'") != std::string::npos);
  Scenario again = load_scenario_text(first.resolved_toml, {"resolved.toml", {}, {}});
  CHECK(again.simulation.seed == 7);
  CHECK(again.campuses[0].pue == 1.25);
  CHECK(again.hardware.find_node("dgx-h100")->base_w == first.hardware.find_node("dgx-h100")->base_w);
  CHECK(again.resolved_toml.substr(again.resolved_toml.find('\n')) ==
        first.resolved_toml.substr(first.resolved_toml.find('\n')));
}

TEST_CASE("each scheduling policy reads its own settings") {
  const std::string base =
      "[simulation]\nduration = \"1h\"\n[[campus]]\nname = \"x\"\ngrid_connection_mw = 1.0\npue = 1.0\n"
      "carbon_intensity_g_per_kwh = 0.0\n[[campus.cluster]]\nname = \"a\"\nnode = \"dgx-h100\"\nnodes = 1\n";
  const Scenario easy = load_scenario_text(
      base + "[scheduler]\npolicy = \"easy-backfill\"\nbackfill_depth = 7\nplacement = \"topology-aware\"\n",
      {"s.toml", {}, {}});
  REQUIRE(std::holds_alternative<EasyBackfillSettings>(easy.scheduler.policy));
  CHECK(std::get<EasyBackfillSettings>(easy.scheduler.policy).backfill_depth == 7);
  CHECK(easy.scheduler.placement == PlacementStrategy::topology_aware);
  const Scenario fifo = load_scenario_text(base, {"s.toml", {}, {}});
  CHECK(std::holds_alternative<FifoSettings>(fifo.scheduler.policy));
  CHECK(policy_name(fifo.scheduler.policy) == "fifo");
  CHECK_THROWS_WITH(load_scenario_text(base + "[scheduler]\npolicy = \"priority\"\nbackfill_depth = 3\n", {"s.toml", {}, {}}),
                    Catch::Contains("scheduler.backfill_depth: policy \"priority\" has no backfill depth"));
}

TEST_CASE("checkpoints are read per job and per workload") {
  const Scenario scenario = load_scenario_text(
      "[simulation]\nduration = \"1h\"\n[[campus]]\nname = \"x\"\ngrid_connection_mw = 1.0\npue = 1.0\n"
      "carbon_intensity_g_per_kwh = 0.0\n[[campus.cluster]]\nname = \"a\"\nnode = \"dgx-h100\"\nnodes = 1\n"
      "[[job]]\nname = \"j\"\ncampus = \"x\"\ngpus = 8\nduration = \"1h\"\ncheckpoint = { interval = \"20min\" }\n"
      "[[workload]]\nkind = \"synthetic\"\njobs = 3\nrate_per_h = 1.0\ngpus = 8\nduration = \"1h\"\n"
      "checkpoint = { interval = \"45min\" }\n",
      {"s.toml", {}, {}});
  CHECK(scenario.jobs[0].checkpoint.interval_s == 1200);
  CHECK(scenario.workloads[0].checkpoint.interval_s == 2700);
}

TEST_CASE("an hourly CSV series is read once per process while the file is unchanged, and again after a change") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fleetsim-series-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string carbon = (dir / "carbon.csv").string();
  const auto write = [](const std::string& path, const std::string& text) { std::ofstream(path) << text; };
  write(carbon, "hour,carbon_g_per_kwh\n0,10\n1,20\n");
  const auto scenario = [&] { return load({"campus.paris.carbon_intensity_g_per_kwh=\"" + carbon + "\""}); };
  scenario();
  const Scenario second = scenario();  // the second from what the first read
  CHECK(second.campuses[0].carbon_g_per_kwh.at_hour(1) == 20.0);
  CHECK(second.campuses[0].carbon_g_per_kwh.mean() == 15.0);
  // Rewritten (another size): the new values, not the remembered ones.
  write(carbon, "hour,carbon_g_per_kwh\n0,100\n1,300\n2,500\n");
  CHECK(scenario().campuses[0].carbon_g_per_kwh.mean() == 300.0);
  // One file named for two kinds: each kind's header is checked, even with the file already read as the other.
  std::string error = "no error";
  try {
    load({"campus.paris.carbon_intensity_g_per_kwh=\"" + carbon + "\"",
          "campus.paris.price_eur_per_mwh=\"" + carbon + "\""});
  } catch (const InputError& e) {
    error = e.what();
  }
  CHECK_THAT(error, Catch::Contains("header") && Catch::Contains("hour,price_eur_per_mwh"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the step-time model is evaluated once per model, plan and hardware while a scenario loads") {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const hw::ModelSpec& model = *catalog.find_model("llama3-8b");
  training::TrainingPlan plan;
  plan.gpus = 64;
  plan.sequence_length = 8192;
  plan.global_batch_size = 512;
  plan.parallelism.tp = 8;
  const training::Machine machine = training::machine_for(catalog, *catalog.find_node("dgx-h100"), nullptr, 0);
  StepTimeCache cache;
  const double first = cache.step(model, plan, machine, "dgx-h100||uncapped").step_time_s;
  CHECK(cache.step(model, plan, machine, "dgx-h100||uncapped").step_time_s == first);
  CHECK(cache.evaluations() == 1);
  CHECK(first == training::step_time(model, plan, machine).step_time_s);
  plan.global_batch_size = 1024;  // another plan: evaluated
  CHECK(cache.step(model, plan, machine, "dgx-h100||uncapped").step_time_s > first);
  CHECK(cache.step(model, plan, machine, "dgx-b200||uncapped").step_time_s > first);  // other hardware key
  CHECK(cache.evaluations() == 3);
}

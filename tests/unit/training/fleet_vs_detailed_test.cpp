// Fleet mode (the analytic step time, sim/training/step_time.hpp) against detailed mode (the SimGrid simulation,
// sim/engine/step/detailed_step.hpp) on the catalog's hardware: within 5 % on dense and MoE models, from 1 node to
// 2,048 nodes (DGX H100, and GB200 NVL72 racks), on a rail-optimised InfiniBand NDR fabric and on a RoCE leaf/spine
// oversubscribed 2:1 at the spine.
// One SimGrid engine per process: each TEST_CASE runs in its own (catch_discover_tests).
#include <catch2/catch.hpp>

#include <string>

#include "hw/catalog.hpp"
#include "sim/engine/step/detailed_step.hpp"
#include "sim/training/machine.hpp"
#include "tests/support/mlperf_gpt3.hpp"

using namespace fleetsim;

namespace {

constexpr double kTolerance = 0.05;

// RoCE 400G (catalog roce-400g's rate and latency) on 64-port switches built leaf/spine with 2:1 at the spine:
// 42 ports down per leaf, 5 DGX H100 per leaf (8 NICs each), uplinks of 20 NICs' worth.
hw::FabricSpec roce_leaf_spine() {
  hw::FabricSpec fabric = *hw::Catalog::builtin().find_fabric("roce-400g");
  fabric.id = "roce-400g-leaf-spine-2to1";
  fabric.topology = "fat-tree";
  fabric.switch_radix = 64;
  fabric.oversubscription = 2;
  return fabric;
}

struct Config {
  std::string model;
  int gpus;
  training::Parallelism parallelism;
  long long sequence, global_batch;
  training::Precision precision = training::Precision::bf16;
  training::Recompute recompute = training::Recompute::none;
  training::Sharding sharding = training::Sharding::optimizer;
  bool reduce_in_fp32 = false;
  std::string node = "dgx-h100";
  bool overlap = false;  // tensor-parallel and pipeline-send overlap
  int micro_batch = 1;
  bool fp8_params = false;
  double kernel_efficiency = 1;
};

// Runs both modes on the config's nodes and the given fabric.
void check_agreement(const Config& config, const hw::FabricSpec& fabric) {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  DetailedStepInput input;
  input.model = *catalog.find_model(config.model);
  input.plan.gpus = config.gpus;
  input.plan.sequence_length = config.sequence;
  input.plan.global_batch_size = config.global_batch;
  input.plan.parallelism = config.parallelism;
  input.plan.precision = config.precision;
  input.plan.recompute = config.recompute;
  input.plan.sharding = config.sharding;
  input.plan.reduce_in_fp32 = config.reduce_in_fp32;
  input.plan.tp_comm_overlap = input.plan.p2p_comm_overlap = config.overlap;
  input.plan.micro_batch_size = config.micro_batch;
  input.plan.fp8_params = config.fp8_params;
  input.plan.kernel_efficiency = config.kernel_efficiency;
  input.machine = training::machine_for(catalog, *catalog.find_node(config.node), &fabric, 0);
  REQUIRE(detailed_step_problem(input).empty());
  const training::StepBreakdown fleet = training::step_time(input.model, input.plan, input.machine);
  const DetailedStep detailed = simulate_training_steps(input);
  INFO(config.model << " on " << config.gpus << " GPUs, " << fabric.id << ": fleet " << fleet.step_time_s << " s, detailed "
                    << detailed.step_time_s << " s (compute " << detailed.compute_s << ", exposed comm "
                    << detailed.exposed_comm_s << ", bubble " << detailed.bubble_s << ")");
  CHECK(detailed.step_time_s == Approx(fleet.step_time_s).epsilon(kTolerance));
  // Both modes take compute from the same kernel model: only communication and the schedule may differ.
  CHECK(detailed.compute_s == Approx(fleet.compute_s).epsilon(1e-9));
  CHECK(detailed.mfu == Approx(fleet.mfu).epsilon(kTolerance));
}

const hw::FabricSpec& ndr() { return *hw::Catalog::builtin().find_fabric("ib-ndr-400"); }

}  // namespace

using training::Precision;
using training::Recompute;
using training::Sharding;

TEST_CASE("fleet vs detailed: Llama 3 8B on 1 node (tp 2, pp 2, dp 2 inside the node), NDR") {
  check_agreement({"llama3-8b", 8, {2, 2, 1, 1, 1}, 8192, 32}, ndr());
}

TEST_CASE("fleet vs detailed: Llama 3 70B on 16 nodes (tp 8, pp 4, dp 4), RoCE leaf/spine 2 to 1") {
  check_agreement({"llama3-70b", 128, {8, 4, 1, 1, 1}, 8192, 256}, roce_leaf_spine());
}

TEST_CASE("fleet vs detailed: Llama 3 70B on 128 nodes (dp 32 rings across leaves), RoCE leaf/spine 2 to 1") {
  check_agreement({"llama3-70b", 1024, {8, 4, 1, 1, 1}, 8192, 512}, roce_leaf_spine());
}

TEST_CASE("fleet vs detailed: Mixtral 8x22B MoE on 64 nodes (tp 8, pp 4, ep 8 over 8 nodes), NDR") {
  check_agreement({"mixtral-8x22b", 512, {8, 4, 1, 8, 1}, 4096, 512}, ndr());
}

TEST_CASE("fleet vs detailed: Mixtral 8x22B MoE on 64 nodes (tp 4, ep 8 straddling leaves), RoCE leaf/spine 2 to 1") {
  check_agreement({"mixtral-8x22b", 512, {4, 4, 1, 8, 1}, 4096, 512, Precision::bf16, Recompute::full}, roce_leaf_spine());
}

TEST_CASE("fleet vs detailed: DeepSeek-V3 MoE on 256 nodes (pp 16, ep 64, fp8), RoCE leaf/spine 2 to 1") {
  check_agreement({"deepseek-v3", 2048, {1, 16, 1, 64, 1}, 4096, 4096, Precision::fp8, Recompute::full}, roce_leaf_spine());
}

TEST_CASE("fleet vs detailed: Mixtral 8x22B MoE on 8 GB200 NVL72 racks (expert groups of 32 GPUs straddling racks), NDR") {
  check_agreement({"mixtral-8x22b", 576, {4, 2, 1, 8, 1}, 4096, 144, Precision::bf16, Recompute::full,
                   Sharding::optimizer, false, "gb200-nvl72"},
                  ndr());
}

TEST_CASE("fleet vs detailed: GPT-3 175B on 448 nodes, interleaved (tp 4, pp 8, vp 12, fp8), NDR") {
  check_agreement({"gpt3-175b", 3584, {4, 8, 1, 1, 12}, 2048, 2688, Precision::fp8}, ndr());
}

TEST_CASE("fleet vs detailed: Llama 3 405B on 2,048 nodes (tp 8, pp 16, dp 128), NDR") {
  check_agreement({"llama3-405b", 16384, {8, 16, 1, 1, 1}, 8192, 2048, Precision::bf16, Recompute::none,
                   Sharding::gradients, true},
                  ndr());
}

// The MLPerf validation runs as submitted (scenarios/validation/mlperf-gpt3-175b.toml): tensor-parallel collectives
// overlapped with the GEMMs and pipeline sends running beside the next chunk (asynchronous in the detailed mode).
namespace {
Config mlperf(const char* name, double kernel_efficiency) {
  const testing::MlperfGpt3Run& run = testing::mlperf_run(name);  // tests/support/mlperf_gpt3.hpp
  const training::TrainingPlan plan = testing::mlperf_plan(run);
  Config config{"gpt3-175b", plan.gpus, plan.parallelism, plan.sequence_length, plan.global_batch_size, plan.precision};
  config.overlap = plan.tp_comm_overlap;
  config.micro_batch = plan.micro_batch_size;
  config.fp8_params = plan.fp8_params;
  config.kernel_efficiency = kernel_efficiency;
  return config;
}
}  // namespace

TEST_CASE("fleet vs detailed: GPT-3 175B MLPerf v3.0 on 448 nodes with TP and pipeline-send overlap, NDR") {
  check_agreement(mlperf("mlperf-v3.0-gpt3-3584", 0.757), ndr());
}

TEST_CASE("fleet vs detailed: GPT-3 175B MLPerf v4.0 on 1,452 nodes (pp 6, 6 micro-batches) with overlap, NDR") {
  check_agreement(mlperf("mlperf-v4.0-gpt3-11616", 0.946), ndr());
}

TEST_CASE("fleet vs detailed: GPT-3 175B MLPerf v4.0 on 64 nodes (micro-batch 2, vp 4) with overlap, NDR") {
  check_agreement(mlperf("mlperf-v4.0-gpt3-512", 0.946), ndr());
}

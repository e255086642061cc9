// The detailed mode (sim/engine/step/detailed_step.hpp) on toy hardware, against step times computed by hand from
// the schedule and the network: pipeline sends and bubble, data-parallel rings over an oversubscribed leaf/spine
// fabric, power per phase. One SimGrid engine per process: each TEST_CASE runs in its own (catch_discover_tests).
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/engine/step/collective_flows.hpp"
#include "sim/engine/step/detailed_step.hpp"
#include "sim/training/chunk_costs.hpp"
#include "sim/training/machine.hpp"
#include "tests/support/toy_training.hpp"

using namespace fleetsim;
using fleetsim::testing::toy_machine;
using fleetsim::testing::toy_model;
using fleetsim::testing::toy_plan;

namespace {

DetailedStepInput toy_input(int gpus, training::Parallelism parallelism, long long global_batch) {
  DetailedStepInput input;
  input.model = toy_model();
  input.plan = toy_plan(gpus, parallelism);
  input.plan.global_batch_size = global_batch;
  input.machine = toy_machine();
  input.machine.node.nic_count = 8;
  return input;
}

// One tensor-parallel reduce-scatter over the toy NVLink (100 GB/s, 10 us fitted all-reduce latency) of the
// activations of 2048 tokens x 1024 x 2 B: half the latency + 7/8 of the tensor through one GPU's link.
constexpr double kTensor = 2048.0 * 1024 * 2;
constexpr double kTpCollective = 5e-6 + 7.0 / 8 * kTensor / 100e9;

// A leaf/spine fabric of `radix`-port switches, oversubscribed `o`:1, 1 us per switch.
hw::FabricSpec leaf_spine(int radix, double o) {
  hw::FabricSpec fabric;
  fabric.id = "toy-leaf-spine";
  fabric.kind = "scale-out";
  fabric.topology = "fat-tree";
  fabric.switch_radix = radix;
  fabric.oversubscription = o;
  fabric.switch_latency_us = 1;
  return fabric;
}

// The step of 4 nodes in pure data parallelism (tp 8, dp 4, one micro-batch, 4 layers in 4 buckets) when each ring
// flow moves at `flow_rate`: the parameters' all-gather, bucket by bucket, ahead of each forward piece; the
// gradients' reduce-scatter bucket by bucket behind each backward piece; then the optimizer.
double data_parallel_step_s(const training::ChunkCosts& costs, double flow_rate) {
  // A bucket's ring: 3 steps of 1/4 of the bucket's per-GPU bytes in one flow; latency 2 x 20 us (the steps after
  // the first) + 10 + 1 + 1 + 10 us (NIC, uplink, uplink, NIC: every hop crosses leaves, one node per leaf).
  const double latency = 2 * 20e-6 + 22e-6;
  const double gather = latency + 0.75 * costs.dp_gather_bytes / 4 / flow_rate;
  const double reduce = latency + 0.75 * costs.dp_reduce_bytes / 4 / flow_rate;
  const double forward_piece = (costs.forward_s + 16 * kTpCollective) / 4;  // 4 collectives per layer
  const double backward_piece = (costs.backward_s + 16 * kTpCollective) / 4;
  double t = 0;
  for (int bucket = 0; bucket < 4; ++bucket) t = std::max(t, (bucket + 1) * gather) + forward_piece;
  double reduced = 0;
  for (int bucket = 0; bucket < 4; ++bucket) reduced = std::max(reduced, t + (bucket + 1) * backward_piece) + reduce;
  return reduced + costs.optimizer_s;
}

}  // namespace

TEST_CASE("detailed: 2 nodes, pp 2, 2 micro-batches - blocking sends and the bubble as written out by hand") {
  DetailedStepInput input = toy_input(16, {8, 2, 1, 1, 1}, 2);  // tp 8 per node, stage 0 on node 0, stage 1 on node 1
  input.machine.gpu.idle_w = 100;
  input.machine.gpu.max_w = 700;
  input.machine.node.base_w = 1000;
  input.machine.node.base_full_w = 2000;
  const training::ChunkCosts costs = training::chunk_costs(input.model, input.plan, input.machine);
  const DetailedStep step = simulate_training_steps(input);
  // A chunk op: its compute and 2 layers x 4 collectives. A send: 2048 x 1024 x 2 B / tp 8 = 512 KiB over the
  // 10 GB/s NICs, 10 us each side.
  const double forward = costs.forward_s + 8 * kTpCollective, backward = costs.backward_s + 8 * kTpCollective;
  const double send = 20e-6 + 524288 / 10e9;
  CHECK(step.tp_collective_s == Approx(kTpCollective).epsilon(1e-9));
  // Stage 0: F0 | send | F1 | send | wait | B0 | wait | B1.  Stage 1: wait | F0 | B0 | send | F1 | B1 | send.
  // F1 on stage 1 waits for B0's send (2F + 2c + B); stage 0's B1 waits for stage 1's last send (3F + 3c + 2B).
  // Stage 0 ends last: 3F + 3c + 3B, then the optimizer.
  CHECK(step.step_time_s == Approx(3 * forward + 3 * send + 3 * backward + costs.optimizer_s).epsilon(1e-9));
  CHECK(step.compute_s == Approx(2 * (costs.forward_s + costs.backward_s) + costs.optimizer_s).epsilon(1e-9));
  // Each stage: 4 ops x 8 collectives and 2 sends (stage 0 forward, stage 1 backward).
  CHECK(step.exposed_comm_s == Approx(32 * kTpCollective + 2 * send).epsilon(1e-9));
  CHECK(step.bubble_s == Approx(step.step_time_s - step.compute_s - step.exposed_comm_s).epsilon(1e-12));
  // The bubble: stage 0 waits B for B0's gradient (free at 2F + 2c, it arrives at 2F + 2c + B), then F + c for
  // B1's; stage 1 waits F + c for F0 and, having ended B before stage 0, idles B at the end: F + c + B each,
  // (pp - 1) chunk slots less one send (fleet mode's bubble is F + B + 2c).
  CHECK(step.bubble_s == Approx(forward + send + backward).epsilon(1e-9));
  CHECK(step.mfu > 0);
  CHECK(step.tokens_per_s == Approx(2 * 2048 / step.step_time_s).epsilon(1e-12));
  // Power of the 2 nodes: 2 x 1000 W base + 16 GPUs x (125 W of base per GPU at u + the GPU's power at u).
  CHECK(step.power_w.compute_w == Approx(2000 + 16 * (125 + 700)));
  CHECK(step.power_w.exposed_comm_w == Approx(2000 + 16 * (125 * 0.25 + 100 + 600 * 0.25)));
  CHECK(step.power_w.bubble_w == Approx(2000 + 16 * 100));
}

TEST_CASE("detailed: data-parallel rings over a non-blocking leaf/spine move at the NIC rate") {
  DetailedStepInput input = toy_input(32, {8, 1, 1, 1, 1}, 4);  // dp 4, one micro-batch per replica
  training::apply_fabric(input.machine.scale_out, input.machine.node, leaf_spine(16, 1));  // 8 down: one node per leaf
  const training::ChunkCosts costs = training::chunk_costs(input.model, input.plan, input.machine);
  const DetailedStep step = simulate_training_steps(input);
  CHECK(step.step_time_s == Approx(data_parallel_step_s(costs, 10e9)).epsilon(1e-9));
}

TEST_CASE("detailed: an oversubscribed spine (2:1) halves the ring flows' rate when every hop crosses leaves") {
  DetailedStepInput input = toy_input(32, {8, 1, 1, 1, 1}, 4);
  // 8 ports down, 4 up: the 8 flows leaving a leaf share 40 GB/s.
  training::apply_fabric(input.machine.scale_out, input.machine.node, leaf_spine(12, 2));
  const training::ChunkCosts costs = training::chunk_costs(input.model, input.plan, input.machine);
  const DetailedStep step = simulate_training_steps(input);
  CHECK(step.step_time_s == Approx(data_parallel_step_s(costs, 5e9)).epsilon(1e-9));
}

TEST_CASE("detailed: flows kept by symmetry - one rail on a rail-optimised fabric, leaf-local ring hops of other replicas dropped") {
  training::TrainingPlan plan = toy_plan(32 * 8, {8, 2, 1, 1, 1});  // 32 nodes: dp 16 per stage
  StepFabric fabric;
  fabric.node_gpus = 8;
  fabric.nodes_per_leaf = 4;
  fabric.rail_optimized = true;
  const training::JobLayout layout(plan, 8, 8);
  // Stage 1's ring: nodes 16..31, rail 0 only; hops inside a leaf are kept only at replica 0 (node 16, out and in);
  // the 4 hops leaving each leaf of 4 nodes are all kept: 19->20, 23->24, 27->28, 31->16 (and 16->17 from replica 0).
  const FlowSet ring = data_parallel_ring(layout, fabric, 1);
  std::vector<std::pair<long long, long long>> hops;
  for (const Flow& flow : ring.flows) hops.push_back({layout.node(flow.from), layout.node(flow.to)});
  CHECK(hops == std::vector<std::pair<long long, long long>>{{16, 17}, {19, 20}, {23, 24}, {27, 28}, {31, 16}});
  for (const Flow& flow : ring.flows) CHECK(flow.bytes == Approx(1.0 / 16));
  // Leaf/spine: every rail's flows (the rails share the leaves' uplinks).
  fabric.rail_optimized = false;
  CHECK(data_parallel_ring(layout, fabric, 1).flows.size() == 8 * 5);
  // A pipeline send: every tensor rank of replica 0's stage 0 to its peer on stage 1 (one rail when rails are independent).
  CHECK(pipeline_send(layout, fabric, 0, 1, 100).flows.size() == 8);
  fabric.rail_optimized = true;
  const FlowSet send = pipeline_send(layout, fabric, 0, 1, 100);
  REQUIRE(send.flows.size() == 1);
  CHECK(layout.node(send.flows[0].to) == 16);
}

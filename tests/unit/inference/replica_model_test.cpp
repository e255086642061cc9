#include <catch2/catch.hpp>

#include <cmath>

#include "hw/catalog.hpp"
#include "sim/inference/replica_model.hpp"
#include "sim/training/machine.hpp"
#include "tests/support/toy_inference.hpp"

using namespace fleetsim;
using namespace fleetsim::inference;
using fleetsim::testing::toy_serving_machine;
using fleetsim::testing::toy_serving_model;

TEST_CASE("a one-token decoding step streams the weights and reads the KV cache, computed by hand") {
  ReplicaPlan plan;  // tp 1, bf16
  plan.max_batch_tokens = 1000;
  plan.max_batch_requests = 10;
  const ReplicaModel replica(toy_serving_model(), toy_serving_machine(), plan);
  BatchShape batch;
  batch.decode_requests = 1;
  batch.decode_context_tokens = 500;
  const IterationCost cost = replica.iteration(batch);
  // Per layer (m = 1 token, bf16 = 2 bytes, weights at 1 TB/s since every GEMM is memory-bound):
  //   QKV 1000 x 3000: (3e6 weights + 1000 + 3000 activations) x 2 B = 6.008 MB -> 6.008 us
  //   O   1000 x 1000: (1e6 + 2000) x 2 B = 2.004 MB -> 2.004 us
  //   up  1000 x 4000: (4e6 + 5000) x 2 B = 8.010 MB -> 8.010 us
  //   down 4000 x 1000: (4e6 + 5000) x 2 B = 8.010 MB -> 8.010 us
  //   attention: K and V of 500 tokens, 10 heads x 100 x 2 B x 2 = 4,000 B per token -> 2 MB at 0.5 TB/s = 4 us
  //     (FLOPs 2 x 500 x 10 x 200 = 2 MFLOP at 50 TFLOP/s = 0.04 us: memory-bound)
  //   element-wise: 2 B x (4h + 6h + 3 x 4000 + 2 x (10 + 10) x 100) = 2 x 26,000 = 52,000 B, plus the new token's
  //     K and V (4,000 B): 56,000 B at 0.5 TB/s = 0.112 us
  //   no all-reduce (tp 1)
  const double layer_us = 6.008 + 2.004 + 8.010 + 8.010 + 4.0 + 0.112;
  // Output: embedding gather 2 x 1 x 1000 x 2 B = 4,000 B at 0.5 TB/s = 0.008 us; logits GEMM 1000 x 1000:
  // (1e6 + 2000) x 2 B = 2.004 us.
  const double head_us = 0.008 + 2.004;
  CHECK(cost.time_s * 1e6 == Approx(2 * layer_us + head_us).epsilon(1e-9));
  CHECK(cost.compute_bound_s == 0);  // decoding is memory-bound
}

TEST_CASE("a long prompt is compute-bound and pays its tensor-parallel all-reduces, computed by hand") {
  ReplicaPlan plan;
  plan.tp = 2;
  plan.max_batch_tokens = 10000;
  const ReplicaModel replica(toy_serving_model(), toy_serving_machine(), plan);
  BatchShape batch;
  batch.prefill_tokens = 10000;
  batch.prefill_attention_pairs = 10000.0 * 10000.5;  // causal: chunk x (cached 0 + (chunk + 1) / 2)
  batch.prefill_sequences = 1;
  const IterationCost cost = replica.iteration(batch);
  // Per layer and GPU (m = 10,000 tokens, 50 TFLOP/s): QKV 1000 x 1500: 2 x 1e4 x 1.5e6 = 30 GFLOP -> 600 us
  // (memory: (1.5e6 + 1e7 + 1.5e7) x 2 B = 53 MB -> 53 us); O 500 x 1000: 10 GFLOP -> 200 us; up 1000 x 2000:
  // 40 GFLOP -> 800 us; down 2000 x 1000: 40 GFLOP -> 800 us.
  const double gemms_us = 600 + 200 + 800 + 800;
  // Attention: 2 x 1.00005e8 pairs x 5 heads x 200 = 2.0001e11 FLOP -> 4000.2 us (memory: 10,000 tokens x
  // 2,000 B at 0.5 TB/s = 40 us).
  const double attention_us = 4000.2;
  // Element-wise: 2 B x (4 x 1e7 + 6 x 1e7 + 3 x 1e4 x 2000 + 2 x 1e4 x (5 + 5) x 100) + 1e4 x 2,000 B
  //   = 2 x 1.8e8 + 2e7 = 3.8e8 B at 0.5 TB/s = 760 us.
  const double elementwise_us = 760;
  // Two all-reduces of 1e4 x 1000 x 2 B = 20 MB: 10 us + 2 x (1/2) x 20 MB / 100 GB/s = 210 us each.
  const double all_reduce_us = 2 * 210;
  // Head: gather 2 x 1e4 x 1000 x 2 B = 40 MB at 0.5 TB/s = 80 us; logits for one sequence, 1000 x 500:
  // (5e5 + 1000 + 500) x 2 B = 1.003 MB -> 1.003 us.
  const double head_us = 80 + 1.003;
  CHECK(cost.time_s * 1e6 == Approx(2 * (gemms_us + attention_us + elementwise_us + all_reduce_us) + head_us).epsilon(1e-9));
  CHECK(cost.compute_bound_s * 1e6 == Approx(2 * (gemms_us + attention_us)).epsilon(1e-9));
}

TEST_CASE("prefill draws more power than decoding: activity 1 when compute-bound, kMemoryBoundActivity otherwise") {
  ReplicaPlan plan;
  plan.max_batch_tokens = 10000;
  const ReplicaModel replica(toy_serving_model(), toy_serving_machine(), plan);
  BatchShape decode;
  decode.decode_requests = 1;
  decode.decode_context_tokens = 100;
  const IterationCost decode_cost = replica.iteration(decode);
  CHECK(ReplicaModel::activity(decode_cost) == Approx(kMemoryBoundActivity));
  CHECK(replica.busy_gpu_power_w(decode_cost) == Approx(100 + 400 * kMemoryBoundActivity));
  BatchShape prefill;
  prefill.prefill_tokens = 8000;
  prefill.prefill_attention_pairs = 8000.0 * 4000.5;
  prefill.prefill_sequences = 1;
  const IterationCost prefill_cost = replica.iteration(prefill);
  CHECK(ReplicaModel::activity(prefill_cost) > 0.8);
  CHECK(replica.busy_gpu_power_w(prefill_cost) > replica.busy_gpu_power_w(decode_cost) + 100);
}

TEST_CASE("the KV cache holds what HBM leaves after weights, activations and the runtime: Llama-2-70B on 8 H100") {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const training::Machine machine = training::machine_for(catalog, *catalog.find_node("dgx-h100"), nullptr, 0);
  const hw::ModelSpec& model = *catalog.find_model("llama2-70b");
  ReplicaPlan plan;
  plan.tp = 8;
  const ReplicaModel replica(model, machine, plan);
  // Weights: 80 layers x (attention 8192 x 64 x 128 x 2 + 2 x 8192 x 8 x 128 = 150,994,944; MLP 3 x 8192 x 28672
  // = 704,643,072) = 68,451,041,280 parameters, bf16, over 8 GPUs; embeddings 2 x 32,000 x 8,192 x 2 B / 8.
  const double weights = 68'451'041'280.0 * 2 / 8 + 2 * 32000.0 * 8192 * 2 / 8;
  CHECK(replica.weight_bytes_per_gpu() == Approx(weights));
  // One KV head per GPU (8 KV heads / tp 8): K and V of 128 dims in bf16 over 80 layers = 40,960 B per token.
  CHECK(replica.kv_bytes_per_token_per_gpu() == Approx(2 * 128 * 2 * 80));
  // Activations of an 8,192-token iteration: 8192 x 2 buffers x 2 B x (8192 + (64 x 128 + 2 x 8 x 128) / 8 + 2 x
  // 28672 / 8), plus fp32 logits of 256 sequences over 32,000 / 8 columns.
  const double activations = 8192.0 * 2 * 2 * (8192 + (8192 + 2048) / 8.0 + 2 * 28672 / 8.0) + 256.0 * 4000 * 4;
  CHECK(replica.activation_bytes_per_gpu() == Approx(activations));
  const double usable = 80 * kUsableHbmBytesPerGb;
  const double kv_tokens = 0.9 * (usable - weights - activations - kRuntimeBytesPerGpu) / 40960;
  CHECK(double(replica.kv_capacity_tokens()) == Approx(kv_tokens).epsilon(1e-6));
  CHECK(replica.kv_capacity_tokens() > 1'000'000);  // ~1.4M tokens: hundreds of conversation requests at once
}

TEST_CASE("a plan that does not fit says why") {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const training::Machine h100 = training::machine_for(catalog, *catalog.find_node("dgx-h100"), nullptr, 0);
  const training::Machine a100 = training::machine_for(catalog, *catalog.find_node("dgx-a100"), nullptr, 0);
  const hw::ModelSpec& model = *catalog.find_model("llama2-70b");
  ReplicaPlan plan;
  plan.tp = 1;
  CHECK_THAT(ReplicaModel::plan_problem(model, h100, plan), Catch::Contains("more tp or pp"));
  plan.tp = 16;
  CHECK_THAT(ReplicaModel::plan_problem(model, h100, plan), Catch::Contains("exceeds the 8 GPUs"));
  plan.tp = 3;
  CHECK_THAT(ReplicaModel::plan_problem(model, h100, plan), Catch::Contains("must divide"));
  plan.tp = 8;
  plan.precision = Precision::fp8;
  CHECK_THAT(ReplicaModel::plan_problem(model, a100, plan), Catch::Contains("no fp8 tensor cores"));
  CHECK(ReplicaModel::plan_problem(model, h100, plan).empty());
}

TEST_CASE("a replica loads its weights and starts in about a minute or two") {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const training::Machine machine = training::machine_for(catalog, *catalog.find_node("dgx-h100"), nullptr, 0);
  ReplicaPlan plan;
  plan.tp = 8;
  const ReplicaModel replica(*catalog.find_model("llama2-70b"), machine, plan);
  // 17.2 GB per GPU at 2 GB/s, plus the 60 s start.
  CHECK(replica.load_time_s() == Approx(kStartupS + replica.weight_bytes_per_gpu() / 2e9));
  CHECK(replica.load_time_s() > 60);
  CHECK(replica.load_time_s() < 120);
}

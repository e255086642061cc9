// Validation of the replica model against published measurements (issue 13). Sources:
// - Vidur profiling data (Agrawal et al., "Vidur: A Large-Scale Simulation Framework for LLM Inference", MLSys 2024;
//   microsoft/vidur @7d47513, MIT), shipped in data/vidur_profiling/: per-operator times of one Llama-2-70B layer
//   on H100 and NCCL all-reduce times on a DGX H100.
// - NVIDIA TensorRT-LLM performance overview (docs/source/developer-guide/perf-overview.md, NVIDIA/TensorRT-LLM
//   @03e27c7, table "LLaMA v3.3 70B"): nvidia/Llama-3.3-70B-Instruct-FP8, ISL/OSL 1000/1000, H100 SXM 80GB TP2:
//   2,209 output tokens/s per GPU; H200 SXM 141GB TP2: 2,587. trtllm-bench throughput: every request queued at
//   once, uniform lengths, default scheduler (GUARANTEED_NO_EVICT), max_num_tokens 8192, KV cache fraction 0.9
//   ("in many cases" 0.95).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "hw/catalog.hpp"
#include "sim/inference/replica_pool.hpp"
#include "sim/inference/serving_stats.hpp"
#include "sim/training/machine.hpp"

using namespace fleetsim;
using namespace fleetsim::inference;

namespace {

// Rows of a Vidur CSV as column name -> text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream head(line);
  for (std::string field; std::getline(head, field, ',');) header.push_back(field);
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::stringstream fields(line);
    std::size_t i = 0;
    for (std::string field; std::getline(fields, field, ',') && i < header.size(); ++i) row[header[i]] = field;
    rows.push_back(std::move(row));
  }
  return rows;
}

// Median all-reduce time (s) on a DGX H100 for `workers` GPUs and `bytes`, interpolated in size between the
// measured sizes around it.
double measured_all_reduce_s(int workers, double bytes) {
  std::map<double, double> by_size;
  for (auto& row : read_csv(std::string(FLEETSIM_SOURCE_DIR) + "/data/vidur_profiling/network/h100_dgx/all_reduce.csv"))
    if (std::stoi(row["num_workers"]) == workers && std::stoi(row["devices_per_node"]) == workers)
      by_size[std::stod(row["size"])] = std::stod(row["time_stats.all_reduce.median"]) * 1e-3;
  auto above = by_size.lower_bound(bytes);
  REQUIRE(above != by_size.end());
  if (above->first == bytes || above == by_size.begin()) return above->second;
  auto below = std::prev(above);
  const double f = (bytes - below->first) / (above->first - below->first);
  return below->second + f * (above->second - below->second);
}

double output_tokens_per_s_per_gpu(const char* node, int requests) {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const training::Machine machine = training::machine_for(catalog, *catalog.find_node(node), nullptr, 0);
  ReplicaPlan plan;
  plan.tp = 2;
  plan.precision = Precision::fp8;
  plan.max_batch_requests = 2048;  // TensorRT-LLM's default max_batch_size
  plan.max_batch_tokens = 8192;    // and max_num_tokens
  plan.kv_cache_fraction = 0.9;
  const ReplicaModel model(*catalog.find_model("llama3.3-70b"), machine, plan);
  const std::vector<Request> all(static_cast<std::size_t>(requests), Request{0.0, 1000, 1000});
  RequestLog log(all);
  HeapClock clock;
  ReplicaPool pool(model, 1, log, clock);
  pool.start();
  clock.run();
  const ServingStats stats = summarize(log, Slo{1e9, 1e9, 0.99}, pool.totals().span_s);
  REQUIRE(stats.completed == all.size());
  return stats.output_tokens_per_s / plan.gpus();
}

}  // namespace

TEST_CASE("Vidur: a 1,024-token Llama-2-70B prompt at TP 4 on H100 takes the measured operators' time within 10%") {
  // The measured prefill: 80 layers of the profiled operators at 1,024 tokens and TP 4 (median times; the residual
  // add runs twice per layer), two measured all-reduces of the layer output (1,024 x 8,192 x 2 B over 4 GPUs) per
  // layer, and the embedding. Flash attention's own kernel is not in the shipped profiles (the model's estimate of
  // it is 0.6% of the total).
  double layer_s = 0, embedding_s = 0;
  bool found = false;
  for (auto& row : read_csv(std::string(FLEETSIM_SOURCE_DIR) + "/data/vidur_profiling/compute/h100/Llama-2-70b-hf/mlp.csv")) {
    if (std::stoi(row["num_tokens"]) != 1024 || std::stoi(row["num_tensor_parallel_workers"]) != 4) continue;
    const auto ms = [&](const char* op) { return std::stod(row[std::string("time_stats.") + op + ".median"]) * 1e-3; };
    layer_s = ms("input_layernorm") + ms("attn_pre_proj") + ms("attn_rope") + ms("attn_post_proj") +
              ms("post_attention_layernorm") + ms("mlp_up_proj") + ms("mlp_act") + ms("mlp_down_proj") + 2 * ms("add");
    embedding_s = ms("emb");
    found = true;
  }
  REQUIRE(found);
  const double all_reduce_s = measured_all_reduce_s(4, 1024.0 * 8192 * 2);
  const double measured_s = 80 * (layer_s + 2 * all_reduce_s) + embedding_s;

  // The request-level prefill: one request of 1,024 prompt tokens on an idle replica; its TTFT.
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const training::Machine machine = training::machine_for(catalog, *catalog.find_node("dgx-h100"), nullptr, 0);
  ReplicaPlan plan;
  plan.tp = 4;  // bf16 (Vidur profiles fp16: the same tensor-core rate)
  const ReplicaModel model(*catalog.find_model("llama2-70b"), machine, plan);
  const std::vector<Request> one{{0.0, 1024, 1}};
  RequestLog log(one);
  HeapClock clock;
  ReplicaPool pool(model, 1, log, clock);
  pool.start();
  clock.run();
  const double simulated_s = log.outcomes[0].first_token_s;
  WARN("Vidur prefill, Llama-2-70B TP4 H100, 1,024 tokens: measured " << measured_s * 1e3 << " ms, simulated "
                                                                      << simulated_s * 1e3 << " ms ("
                                                                      << (simulated_s / measured_s - 1) * 100 << "%)");
  CHECK(simulated_s == Approx(measured_s).epsilon(0.10));
}

TEST_CASE("TensorRT-LLM: Llama 3.3 70B FP8 at 1,000 in and 1,000 out, 2,209 tokens/s per H100 within 15%") {
  const double simulated = output_tokens_per_s_per_gpu("dgx-h100", 3000);
  WARN("H100 TP2 FP8: simulated " << simulated << " output tokens/s per GPU vs 2,209 (" << (simulated / 2209 - 1) * 100 << "%)");
  CHECK(simulated == Approx(2209).epsilon(0.15));
}

TEST_CASE("TensorRT-LLM: Llama 3.3 70B FP8 at 1,000 in and 1,000 out, 2,587 tokens/s per H200 within 15%") {
  const double simulated = output_tokens_per_s_per_gpu("dgx-h200", 3000);
  WARN("H200 TP2 FP8: simulated " << simulated << " output tokens/s per GPU vs 2,587 (" << (simulated / 2587 - 1) * 100 << "%)");
  CHECK(simulated == Approx(2587).epsilon(0.15));
}

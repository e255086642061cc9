#pragma once
// The performance of one inference replica (issue 13): a model served on tp x pp GPUs of one node kind. One
// forward iteration of a continuous batch (decoding requests and prompt chunks together) costs, per layer and
// GPU, its GEMMs (compute-bound for prompts: FLOPs over the fitted fraction of the dense peak; memory-bound for
// decoding: weights over the fitted fraction of HBM bandwidth, amortised over the batch), attention (prompts:
// FLOPs; decoding: the KV cache read), element-wise kernels and the tensor-parallel all-reduces inside the NVLink
// domain. The kernel constants are the training model's, fitted to Vidur's measured H100/A100 timings
// (hw/catalog/kernels.toml via training::machine_for); the other constants are stated where they are defined.
// Pure functions of their inputs: no SimGrid, no state beyond the constants computed once per replica kind.
#include <string>
#include <vector>

#include "hw/model_spec.hpp"
#include "sim/training/step_time.hpp"

namespace fleetsim::inference {

using training::Precision;

struct ReplicaPlan {
  int tp = 1;  // tensor-parallel GPUs (inside one NVLink domain)
  int pp = 1;  // pipeline stages (memory only: stages run one after another, see ReplicaModel)
  Precision precision = Precision::bf16;  // weights and GEMMs (FP8/FP4: the KV cache in FP8 too)
  int max_batch_requests = 256;           // requests in a batch (vLLM max_num_seqs default 256)
  long long max_batch_tokens = 8192;      // tokens per iteration (TensorRT-LLM max_num_tokens default 8192)
  double kv_cache_fraction = 0.9;         // of the memory left after weights, activations and runtime
                                          // (TensorRT-LLM kv_cache_free_gpu_mem_fraction default 0.9)
  int gpus() const { return tp * pp; }
};

// What one forward iteration processes.
struct BatchShape {
  int decode_requests = 0;             // requests producing one token each
  double decode_context_tokens = 0;    // sum of their context lengths (keys each new token attends to)
  long long prefill_tokens = 0;        // prompt tokens processed (chunks of one or more prompts)
  double prefill_attention_pairs = 0;  // sum over chunks of chunk x (cached + (chunk + 1) / 2): causal query-key pairs
  double prefill_cached_tokens = 0;    // sum over chunks of the prompt tokens cached before the chunk
  int prefill_sequences = 0;           // prompts with a chunk in this iteration (each needs its logits)
};

struct IterationCost {
  double time_s = 0;
  double compute_bound_s = 0;  // in kernels limited by tensor-core throughput
  double flops_per_gpu = 0;    // model FLOPs of the iteration on one GPU
};

class ReplicaModel {
 public:
  // The plan must be valid (plan_problem empty).
  ReplicaModel(const hw::ModelSpec& model, const training::Machine& machine, const ReplicaPlan& plan);

  // Why the plan cannot serve the model on this machine ("" if it can): GPUs beyond one node, heads not divisible,
  // precision missing, weights (and activations) above HBM, no room for one request's KV cache.
  static std::string plan_problem(const hw::ModelSpec& model, const training::Machine& machine, const ReplicaPlan& plan);

  IterationCost iteration(const BatchShape& batch) const;
  // One prompt alone, in chunks of at most max_batch_tokens: the time to its first token on an idle replica.
  double prefill_s(long long prompt_tokens) const;
  // One decoding iteration of `requests` requests with `mean_context` tokens each.
  double decode_step_s(int requests, double mean_context) const;

  const ReplicaPlan& plan() const { return plan_; }
  const hw::ModelSpec& model() const { return model_; }
  const training::Machine& machine() const { return machine_; }
  int gpus() const { return plan_.gpus(); }
  double weight_bytes_per_gpu() const { return weight_bytes_per_gpu_; }
  double activation_bytes_per_gpu() const { return activation_bytes_per_gpu_; }
  // KV cache bytes one token takes on one GPU (its layers and heads), and the tokens the cache holds.
  double kv_bytes_per_token_per_gpu() const { return kv_bytes_per_token_per_gpu_; }
  long long kv_capacity_tokens() const { return kv_capacity_tokens_; }
  double hbm_bytes() const;

  // Mean power of one GPU during an iteration: the catalog power curve at an activity of 1 while kernels are
  // compute-bound and kMemoryBoundActivity otherwise (prefill draws more than decode).
  double busy_gpu_power_w(const IterationCost& cost) const;
  double idle_gpu_power_w() const { return machine_.gpu.idle_w; }
  // Activity of an iteration (what busy_gpu_power_w reads the power curve at).
  static double activity(const IterationCost& cost);
  // Time to bring a new replica up: read its weights, start the server (see kLoadBytesPerGpuPerS).
  double load_time_s() const;

 private:
  double gemm_s(double m, double k, double n, IterationCost& cost) const;
  double attention_s(double flops, double bytes, IterationCost& cost) const;
  double elementwise_s(double bytes, int kernels) const;
  double all_reduce_s(double bytes) const;
  double layer_mlp_s(double tokens, IterationCost& cost) const;
  // A GEMM with fixed weights [k x n], its cost per token precomputed (gemm_s's arithmetic, done once).
  struct Linear {
    double k = 0, n = 0;
    double compute_s_per_token = 0, memory_s = 0, memory_s_per_token = 0, flops_per_token = 0;
  };
  Linear linear(double k, double n) const;
  double linear_s(const Linear& gemm, double m, IterationCost& cost) const;

  hw::ModelSpec model_;
  training::Machine machine_;
  ReplicaPlan plan_;
  double peak_ = 0;             // dense FLOP/s at the plan's precision
  double attention_peak_ = 0;   // bf16 (attention kernels are not FP8 here)
  double hbm_ = 0;              // fitted fraction of HBM bandwidth, bytes/s (element-wise, KV cache)
  double gemm_hbm_ = 0;         // the same for weights streamed through GEMMs (decoding fit)
  double weight_bytes_ = 0;     // bytes per weight at the plan's precision
  double kv_bytes_ = 0;         // bytes per cached key or value element
  double kv_heads_per_gpu_ = 0;
  double weight_bytes_per_gpu_ = 0;
  double activation_bytes_per_gpu_ = 0;
  double kv_bytes_per_token_per_gpu_ = 0;
  long long kv_capacity_tokens_ = 0;
  // Dense GQA models (no MoE, no MLA): the layer's four GEMMs and the output layer, precomputed.
  bool dense_ = false;
  Linear qkv_, out_, up_, down_, logits_;
  // The GPU's power curve at activities 0, 1/kPowerSteps, ..., 1 (read at every iteration: a table, not a search).
  static constexpr int kPowerSteps = 256;
  std::vector<double> power_table_;
};

// Constants of the model that are not fitted, with their sources.
// Memory-bound kernels (decode GEMMs, KV reads, element-wise, collectives) counted as this fraction of full
// activity on the GPU's power curve. ASSUMPTION chosen against the catalog's measurements: on the H100 curve it
// gives ~250 W for decoding (InferenceX H100 LLM-inference sweep: 159-397 W at 27-55 % utilisation; decode on
// H200 draws 137-300 W, Ma et al. arXiv 2605.11999, both cited in hw/catalog/gpus.toml), while a compute-bound
// prompt runs near TDP (Splitwise, Patel et al. ISCA'24: the prompt phase is power-hungry, token generation is not).
constexpr double kMemoryBoundActivity = 0.4;
// Memory the serving runtime keeps besides weights, activations and the KV cache (CUDA context, NCCL buffers,
// CUDA graphs): ASSUMPTION, 2 GiB per GPU (vLLM's startup log reports 1-3 GiB of "non-torch memory").
constexpr double kRuntimeBytesPerGpu = 2.0 * (1ull << 30);
// HBM capacity: the catalog's memory_gb is the marketed size, which for HBM is binary (GiB): nvidia-smi reports
// 81,559 MiB on an H100 80GB and 143,771 MiB on an H200 141GB. Usable bytes = memory_gb x 2^30 (x 0.995 for the
// few hundred MiB the driver keeps).
constexpr double kUsableHbmBytesPerGb = 0.995 * (1ull << 30);
// Weights read per second per GPU when a replica starts: ASSUMPTION, 2 GB/s (a DGX H100's local NVMe cache
// reads several GB/s per drive; safetensors loading through the page cache reaches a few GB/s per GPU) plus
// kStartupS for the container, the engine and CUDA-graph capture (ASSUMPTION; vLLM and TensorRT-LLM servers take
// tens of seconds to a few minutes to become ready).
constexpr double kLoadBytesPerGpuPerS = 2e9;
constexpr double kStartupS = 60.0;

}  // namespace fleetsim::inference

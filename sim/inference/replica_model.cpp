#include "sim/inference/replica_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fleetsim::inference {

namespace {

constexpr double kActivationBytes = 2;  // bf16 activations between kernels

double weight_bytes_at(Precision precision) {
  switch (precision) {
    case Precision::bf16: return 2.0;
    case Precision::fp8: return 1.0;
    case Precision::fp4: return 0.5;
  }
  return 2.0;
}

std::string format_gb(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
  return text;
}

int nvlink_domain(const training::Machine& machine) {
  return std::max(1, machine.node.nvlink_domain_gpus > 0 ? machine.node.nvlink_domain_gpus : machine.node.gpus);
}

double qk_dim(const hw::ModelSpec& model) {
  return model.is_mla() ? model.qk_nope_head_dim + model.qk_rope_head_dim : model.head_size();
}
double v_dim(const hw::ModelSpec& model) { return model.is_mla() ? model.v_head_dim : model.head_size(); }

// Width of the MLP a token passes through (dense FFN, or its routed and shared experts).
double mlp_width(const hw::ModelSpec& model) {
  return model.is_moe() ? double(model.expert_size()) * (model.active_experts + model.shared_experts) : model.ffn;
}

}  // namespace

ReplicaModel::ReplicaModel(const hw::ModelSpec& model, const training::Machine& machine, const ReplicaPlan& plan)
    : model_(model), machine_(machine), plan_(plan) {
  peak_ = training::peak_flops(machine.gpu, plan.precision) * machine.compute_rate;
  attention_peak_ = training::peak_flops(machine.gpu, Precision::bf16) * machine.compute_rate;
  hbm_ = machine.fit.memory_efficiency * machine.gpu.memory_bandwidth_tb_s * 1e12;
  // Weights stream through GEMMs of few tokens at the decoding fit's efficiency (kernels.toml
  // decode_memory_efficiency, fitted to Vidur's 1-16-token GEMMs); element-wise kernels and KV-cache reads at the
  // element-wise fit's (memory_efficiency).
  gemm_hbm_ = (machine.fit.decode_memory_efficiency > 0 ? machine.fit.decode_memory_efficiency : machine.fit.memory_efficiency) *
              machine.gpu.memory_bandwidth_tb_s * 1e12;
  weight_bytes_ = weight_bytes_at(plan.precision);
  // FP8 and FP4 deployments keep an FP8 KV cache (TensorRT-LLM and vLLM FP8 KV caches; ModelOpt FP8 checkpoints
  // carry KV-cache scales): ASSUMPTION that a quantized model is served with one.
  kv_bytes_ = plan.precision == Precision::bf16 ? 2.0 : 1.0;
  const int tp = plan.tp, pp = plan.pp;
  // With more GPUs than KV heads, each GPU keeps one head's K and V (replicated), as vLLM and Megatron do.
  kv_heads_per_gpu_ = std::max(1.0, double(model.kv_heads) / tp);
  const double layers_per_stage = double(model.layers) / pp;
  // Weights of the fullest stage on one GPU: its layers split by tp (MoE: every expert, each split by tp), and
  // the embeddings and output layer, kept in bf16 (quantized checkpoints leave them unquantized), vocabulary-
  // parallel over tp; with pp > 1 the first stage has the input embedding, the last the output layer.
  const double embeddings = double(model.vocabulary) * model.hidden * 2.0 / tp;
  const double embedding_tables = pp == 1 ? (model.tied_embeddings ? 1 : 2) : 1;
  weight_bytes_per_gpu_ = model.layer_parameters(false) / model.layers * layers_per_stage / tp * weight_bytes_ +
                          embeddings * embedding_tables;
  // Activations of the largest iteration (vLLM profiles a max_num_batched_tokens forward pass the same way): the
  // widest tensors of a layer, input and output buffers, plus fp32 logits for every sequence.
  const double q_kv_width = (model.heads * qk_dim(model) + 2.0 * model.kv_heads * model.head_size()) / tp;
  const double up = model.gated_mlp ? 2.0 : 1.0;
  activation_bytes_per_gpu_ = double(plan.max_batch_tokens) * 2 * kActivationBytes *
                                  (model.hidden + q_kv_width + up * mlp_width(model) / tp) +
                              double(plan.max_batch_requests) * double(model.vocabulary) / tp * 4;
  // KV cache per token on one GPU: K and V of its heads in its layers (MLA: the compressed latent and the RoPE key,
  // the same on every tensor-parallel GPU).
  const double per_layer = model.is_mla() ? double(model.kv_lora_rank + model.qk_rope_head_dim) * kv_bytes_
                                          : 2.0 * kv_heads_per_gpu_ * model.head_size() * kv_bytes_;
  kv_bytes_per_token_per_gpu_ = per_layer * layers_per_stage;
  const double free_bytes = hbm_bytes() - weight_bytes_per_gpu_ - activation_bytes_per_gpu_ - kRuntimeBytesPerGpu;
  kv_capacity_tokens_ =
      free_bytes > 0 ? static_cast<long long>(plan.kv_cache_fraction * free_bytes / kv_bytes_per_token_per_gpu_) : 0;
  dense_ = !model.is_moe() && !model.is_mla();
  if (dense_) {
    const double h = model.hidden, d = model.head_size();
    qkv_ = linear(h, (model.heads * d + 2.0 * kv_heads_per_gpu_ * tp * d) / tp);
    out_ = linear(double(model.heads) / tp * d, h);
    up_ = linear(h, up * model.ffn / tp);
    down_ = linear(double(model.ffn) / tp, h);
  }
  logits_ = linear(model.hidden, double(model.vocabulary) / tp);
  power_table_.resize(kPowerSteps + 1);
  for (int i = 0; i <= kPowerSteps; ++i) power_table_[i] = machine.gpu.power_w(double(i) / kPowerSteps, machine.power_cap_w);
}

ReplicaModel::Linear ReplicaModel::linear(double k, double n) const {
  Linear gemm;
  gemm.k = k;
  gemm.n = n;
  gemm.flops_per_token = 2 * k * n;
  gemm.compute_s_per_token = gemm.flops_per_token / (machine_.fit.gemm_efficiency * peak_);
  gemm.memory_s = k * n * weight_bytes_ / gemm_hbm_;
  gemm.memory_s_per_token = (k + n) * kActivationBytes / gemm_hbm_;
  return gemm;
}

// gemm_s for a precomputed GEMM (the same arithmetic).
double ReplicaModel::linear_s(const Linear& gemm, double m, IterationCost& cost) const {
  if (m <= 0) return 0;
  const double compute = m * gemm.compute_s_per_token;
  const double memory = gemm.memory_s + m * gemm.memory_s_per_token;
  cost.flops_per_gpu += m * gemm.flops_per_token;
  if (compute > memory) cost.compute_bound_s += compute;
  return machine_.fit.gemm_overhead_us * 1e-6 + std::max(compute, memory);
}

double ReplicaModel::hbm_bytes() const { return machine_.gpu.memory_gb * kUsableHbmBytesPerGb; }

std::string ReplicaModel::plan_problem(const hw::ModelSpec& model, const training::Machine& machine,
                                       const ReplicaPlan& plan) {
  if (plan.tp < 1 || plan.pp < 1) return "tp and pp must be at least 1";
  if (plan.gpus() > machine.node.gpus)
    return "tp x pp (" + std::to_string(plan.gpus()) + ") exceeds the " + std::to_string(machine.node.gpus) +
           " GPUs of a " + machine.node.id + " node (a replica runs on one node)";
  if (plan.tp > nvlink_domain(machine))
    return "tp (" + std::to_string(plan.tp) + ") exceeds the NVLink domain of " + machine.node.id + " (" +
           std::to_string(nvlink_domain(machine)) + " GPUs)";
  if (model.heads % plan.tp != 0)
    return "tp (" + std::to_string(plan.tp) + ") must divide the model's " + std::to_string(model.heads) + " attention heads";
  if (plan.pp > model.layers) return "pp exceeds the model's layers";
  if (training::peak_flops(machine.gpu, plan.precision) <= 0)
    return std::string("the GPU ") + machine.gpu.id + " has no " + training::to_string(plan.precision) +
           " tensor cores in the catalog";
  if (machine.gpu.memory_gb <= 0 || machine.gpu.memory_bandwidth_tb_s <= 0)
    return "the GPU " + machine.gpu.id + " has no memory_gb or memory_bandwidth_tb_s in the catalog";
  const ReplicaModel replica(model, machine, plan);
  const double need = replica.weight_bytes_per_gpu() + replica.activation_bytes_per_gpu() + kRuntimeBytesPerGpu;
  if (need >= replica.hbm_bytes())
    return "needs " + format_gb(need) + " per GPU for weights (" + format_gb(replica.weight_bytes_per_gpu()) +
           "), activations and runtime, more than the " + format_gb(replica.hbm_bytes()) + " usable on " +
           machine.gpu.id + " (more tp or pp, or a lower precision, would fit)";
  if (replica.kv_capacity_tokens() < 1024)
    return "leaves room for only " + std::to_string(replica.kv_capacity_tokens()) +
           " tokens of KV cache (at least 1,024 needed; more tp or pp would fit)";
  return "";
}

// A GEMM [m x k] x [k x n] on one GPU: the fitted per-kernel time plus the larger of its compute time at the fitted
// fraction of the plan's peak and its memory time (weights at the plan's precision, bf16 activations) at the
// decoding fit's fraction of HBM bandwidth (training::step_time's form, with quantized weights; the training fit
// leaves out GEMMs below 16 tokens, where decoding runs).
double ReplicaModel::gemm_s(double m, double k, double n, IterationCost& cost) const {
  if (m <= 0) return 0;
  const double flops = 2 * m * k * n;
  const double compute = flops / (machine_.fit.gemm_efficiency * peak_);
  const double memory = (k * n * weight_bytes_ + (m * k + m * n) * kActivationBytes) / gemm_hbm_;
  cost.flops_per_gpu += flops;
  if (compute > memory) cost.compute_bound_s += compute;
  return machine_.fit.gemm_overhead_us * 1e-6 + std::max(compute, memory);
}

// Attention of one layer on one GPU (flash attention in bf16, ASSUMPTION: no FP8 attention): FLOPs at the fitted
// GEMM efficiency, or the KV cache read at the fitted memory efficiency, whichever is longer, plus one kernel's
// fixed time. No attention kernel is in the shipped Vidur data, so this is the fitted GEMM/HBM rates applied.
double ReplicaModel::attention_s(double flops, double bytes, IterationCost& cost) const {
  if (flops <= 0 && bytes <= 0) return 0;
  const double compute = flops / (machine_.fit.gemm_efficiency * attention_peak_);
  const double memory = bytes / hbm_;
  cost.flops_per_gpu += flops;
  if (compute > memory) cost.compute_bound_s += compute;
  return machine_.fit.elementwise_overhead_us * 1e-6 + std::max(compute, memory);
}

double ReplicaModel::elementwise_s(double bytes, int kernels) const {
  return kernels * machine_.fit.elementwise_overhead_us * 1e-6 + bytes / hbm_;
}

// Ring all-reduce of `bytes` among the tp GPUs: inside the NVLink domain at the fitted 8-GPU NVLink constants
// (ASSUMPTION for tp < 8: the same latency and bus bandwidth), t = latency + 2(n-1)/n x bytes / bus.
double ReplicaModel::all_reduce_s(double bytes) const {
  const int n = plan_.tp;
  if (n <= 1) return 0;
  return machine_.fit.allreduce_latency_us * 1e-6 + 2.0 * (n - 1) / n * bytes / (machine_.fit.allreduce_bus_gb_s * 1e9);
}

// The MLP of one layer for `tokens` tokens: the dense FFN, or (MoE) the experts the tokens are routed to, each
// split by tp (balanced routing: min(experts, tokens x active) experts touched, as many tokens each).
double ReplicaModel::layer_mlp_s(double tokens, IterationCost& cost) const {
  const double h = model_.hidden;
  const double up = model_.gated_mlp ? 2.0 : 1.0;
  const int tp = plan_.tp;
  if (dense_) return linear_s(up_, tokens, cost) + linear_s(down_, tokens, cost);
  if (!model_.is_moe())
    return gemm_s(tokens, h, up * model_.ffn / tp, cost) + gemm_s(tokens, double(model_.ffn) / tp, h, cost);
  const double e = model_.expert_size();
  const double touched = std::min<double>(model_.experts, tokens * model_.active_experts);
  const double per_expert = tokens * model_.active_experts / touched;
  return touched * (gemm_s(per_expert, h, up * e / tp, cost) + gemm_s(per_expert, e / tp, h, cost)) +
         model_.shared_experts * (gemm_s(tokens, h, up * e / tp, cost) + gemm_s(tokens, e / tp, h, cost)) +
         gemm_s(tokens, h, model_.experts, cost);  // router
}

IterationCost ReplicaModel::iteration(const BatchShape& batch) const {
  IterationCost cost;
  const double tokens = double(batch.decode_requests) + double(batch.prefill_tokens);
  if (tokens <= 0) return cost;
  const hw::ModelSpec& model = model_;
  const double h = model.hidden;
  const int tp = plan_.tp;
  const double d = model.head_size();
  const double qk = qk_dim(model), v = v_dim(model);
  const double heads_here = double(model.heads) / tp;

  // One layer; the costs gathered in `layer` are multiplied by the layer count below.
  IterationCost layer;
  double attention_projections = 0;
  if (model.is_mla()) {
    attention_projections =
        gemm_s(tokens, h, model.q_lora_rank > 0 ? model.q_lora_rank : model.heads * qk / tp, layer) +
        (model.q_lora_rank > 0 ? gemm_s(tokens, model.q_lora_rank, model.heads * qk / tp, layer) : 0) +
        gemm_s(tokens, h, model.kv_lora_rank + model.qk_rope_head_dim, layer) +
        gemm_s(tokens, model.kv_lora_rank, model.heads * (model.qk_nope_head_dim + v) / tp, layer) +
        gemm_s(tokens, model.heads * v / tp, h, layer);
  } else if (dense_) {
    attention_projections = linear_s(qkv_, tokens, layer) + linear_s(out_, tokens, layer);
  } else {
    attention_projections = gemm_s(tokens, h, (model.heads * d + 2.0 * kv_heads_per_gpu_ * tp * d) / tp, layer) +
                            gemm_s(tokens, heads_here * d, h, layer);
  }
  const double kv_layer_bytes = kv_bytes_per_token_per_gpu_ / (double(model.layers) / plan_.pp);
  // Decoding: every new token attends to its request's context (read from the KV cache); prompts: causal pairs
  // of each chunk, reading the keys cached before it and writing its own.
  const double decode_attention =
      attention_s(2.0 * batch.decode_context_tokens * heads_here * (qk + v), batch.decode_context_tokens * kv_layer_bytes, layer);
  const double prefill_attention =
      attention_s(2.0 * batch.prefill_attention_pairs * heads_here * (qk + v),
                  (batch.prefill_cached_tokens + double(batch.prefill_tokens)) * kv_layer_bytes, layer);
  const double mlp = layer_mlp_s(tokens, layer);
  // Element-wise traffic, bf16 (the kernels of the fit): 2 norms and 2 residual adds over tokens x h, the
  // activation over the MLP width, RoPE over Q and K, and the new tokens' K and V written to the cache.
  const double elementwise_bytes = kActivationBytes * (2 * 2 * tokens * h + 2 * 3 * tokens * h +
                                                       3 * tokens * mlp_width(model) / tp +
                                                       2 * tokens * (heads_here + kv_heads_per_gpu_) * qk) +
                                   tokens * kv_layer_bytes;
  const double elementwise = elementwise_s(elementwise_bytes, 6);
  // Two all-reduces of the layer's output (after attention and after the MLP), tokens x h in bf16.
  const double communication = 2 * all_reduce_s(tokens * h * kActivationBytes);

  const double layer_s = attention_projections + decode_attention + prefill_attention + mlp + elementwise + communication;
  const double layers = model.layers;  // every stage in turn (pipeline stages do not overlap here)
  cost.time_s = layers * layer_s;
  cost.compute_bound_s = layers * layer.compute_bound_s;
  cost.flops_per_gpu = layers * layer.flops_per_gpu / plan_.pp;
  // Input embedding (a gather) and the output layer for every sequence that needs its next token; pipeline
  // stages hand activations on over NVLink (half an all-reduce's latency and bandwidth).
  const double logit_rows = double(batch.decode_requests) + batch.prefill_sequences;
  IterationCost head;
  cost.time_s += elementwise_s(2 * tokens * h * kActivationBytes, 1) + linear_s(logits_, logit_rows, head);
  if (plan_.pp > 1)
    cost.time_s += (plan_.pp - 1) * (machine_.fit.allreduce_latency_us * 1e-6 / 2 +
                                     tokens * h * kActivationBytes / (machine_.fit.allreduce_bus_gb_s * 1e9));
  cost.compute_bound_s += head.compute_bound_s;
  cost.flops_per_gpu += head.flops_per_gpu;
  return cost;
}

double ReplicaModel::prefill_s(long long prompt_tokens) const {
  double time = 0;
  long long done = 0;
  while (done < prompt_tokens) {
    const long long chunk = std::min(prompt_tokens - done, plan_.max_batch_tokens);
    BatchShape batch;
    batch.prefill_tokens = chunk;
    batch.prefill_cached_tokens = double(done);
    batch.prefill_attention_pairs = double(chunk) * (double(done) + (chunk + 1) / 2.0);
    batch.prefill_sequences = 1;
    time += iteration(batch).time_s;
    done += chunk;
  }
  return time;
}

double ReplicaModel::decode_step_s(int requests, double mean_context) const {
  BatchShape batch;
  batch.decode_requests = requests;
  batch.decode_context_tokens = requests * mean_context;
  return iteration(batch).time_s;
}

double ReplicaModel::activity(const IterationCost& cost) {
  if (cost.time_s <= 0) return 0;
  const double compute_share = std::min(1.0, cost.compute_bound_s / cost.time_s);
  return compute_share + (1 - compute_share) * kMemoryBoundActivity;
}

double ReplicaModel::busy_gpu_power_w(const IterationCost& cost) const {
  // With pp stages each GPU works on its stage, 1/pp of the iteration, and idles while the others run.
  const double busy_share = 1.0 / plan_.pp;
  const double position = activity(cost) * kPowerSteps;
  const int below = std::min(kPowerSteps - 1, static_cast<int>(position));
  const double busy_w = power_table_[below] + (position - below) * (power_table_[below + 1] - power_table_[below]);
  return busy_share * busy_w + (1 - busy_share) * machine_.gpu.idle_w;
}

double ReplicaModel::load_time_s() const { return kStartupS + weight_bytes_per_gpu_ / kLoadBytesPerGpuPerS; }

}  // namespace fleetsim::inference

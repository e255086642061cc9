#include "sim/training/chunk_costs.hpp"

#include <algorithm>

#include "sim/training/job_layout.hpp"

namespace fleetsim::training {

namespace {

constexpr double kActivationBytes = 2;  // bf16 activations (FP8 GEMMs keep bf16 activations between kernels)
constexpr double kParameterGatherBytes = 2;  // parameters all-gathered in bf16

// Time of one GEMM of [m x k] x [k x n] at the fitted efficiency, or bound by HBM for small m.
double gemm_s(double m, double k, double n, double peak, const Machine& machine) {
  const double flops = 2 * m * k * n;
  const double bytes = 2 * (m * k + k * n + m * n);
  const double compute = flops / (machine.fit.gemm_efficiency * peak * machine.compute_rate);
  const double memory = bytes / (machine.fit.memory_efficiency * machine.gpu.memory_bandwidth_tb_s * 1e12);
  return machine.fit.gemm_overhead_us * 1e-6 + std::max(compute, memory);
}

// Element-wise kernels (norms, activation, residual adds, RoPE) moving `bytes` through HBM.
double elementwise_s(double bytes, int kernels, const Machine& machine) {
  return kernels * machine.fit.elementwise_overhead_us * 1e-6 +
         bytes / (machine.fit.memory_efficiency * machine.gpu.memory_bandwidth_tb_s * 1e12);
}

}  // namespace

ChunkCosts chunk_costs(const hw::ModelSpec& model, const TrainingPlan& plan, const Machine& machine) {
  const Parallelism& p = plan.parallelism;
  const double peak = peak_flops(machine.gpu, plan.precision);
  const double bf16_peak = peak_flops(machine.gpu, Precision::bf16);
  const double h = model.hidden;
  const double T = double(plan.micro_batch_size) * plan.sequence_length / p.cp;  // tokens per GPU per micro-batch
  const double context = plan.sequence_length / 2.0;  // causal attention: keys per query on average
  const int tp = p.tp;
  const double d = model.head_size();
  const double qk = model.is_mla() ? model.qk_nope_head_dim + model.qk_rope_head_dim : d;
  const double v = model.is_mla() ? model.v_head_dim : d;

  // ---- forward of one layer on one GPU, one micro-batch ----
  // Attention projections (GEMMs at the precision's peak; FP8 recipes run GEMMs in FP8).
  double attention_gemms = 0;
  if (model.is_mla()) {
    attention_gemms = gemm_s(T, h, model.q_lora_rank > 0 ? model.q_lora_rank : model.heads * qk / tp, peak, machine) +
                      (model.q_lora_rank > 0 ? gemm_s(T, model.q_lora_rank, model.heads * qk / tp, peak, machine) : 0) +
                      gemm_s(T, h, model.kv_lora_rank + model.qk_rope_head_dim, peak, machine) +
                      gemm_s(T, model.kv_lora_rank, model.heads * (model.qk_nope_head_dim + v) / tp, peak, machine) +
                      gemm_s(T, model.heads * v / tp, h, peak, machine);
  } else {
    attention_gemms = gemm_s(T, h, (model.heads + 2.0 * model.kv_heads) * d / tp, peak, machine) +
                      gemm_s(T, model.heads * d / tp, h, peak, machine);
  }
  // Attention scores (flash attention, bf16): QK^T and AV over `context` keys, at the GEMM efficiency of the bf16
  // peak (ASSUMPTION: no measured attention kernel in the shipped data).
  const double attention_flops = 2.0 * T * context * (model.heads / double(tp)) * (qk + v);
  const double attention_core = attention_flops / (machine.fit.gemm_efficiency * bf16_peak * machine.compute_rate);
  // MLPs: dense layers, or the routed + shared experts of an MoE layer. Expert GEMMs see the tokens routed to
  // them: with ep GPUs holding experts/ep experts each, a GPU's experts receive T x active tokens (balanced routing).
  const double up = model.gated_mlp ? 2.0 : 1.0;
  const double dense_mlp = gemm_s(T, h, up * model.ffn / tp, peak, machine) + gemm_s(T, model.ffn / double(tp), h, peak, machine);
  double moe_mlp = 0;
  if (model.is_moe()) {
    const double experts_here = double(model.experts) / p.ep;
    const double tokens_per_expert = T * model.active_experts / experts_here;
    const double e = model.expert_size();
    moe_mlp = experts_here * (gemm_s(tokens_per_expert, h, up * e / tp, peak, machine) +
                              gemm_s(tokens_per_expert, e / tp, h, peak, machine)) +
              model.shared_experts * (gemm_s(T, h, up * e / tp, peak, machine) + gemm_s(T, e / tp, h, peak, machine)) +
              gemm_s(T, h, model.experts, peak, machine);  // router
  }
  // Element-wise traffic per layer, bf16 (the kernels of the fit): 2 norms and 2 residual adds over T x h, the
  // activation over the MLP width, RoPE over Q and K.
  const double mlp_width = model.is_moe() ? model.expert_size() * (model.active_experts + model.shared_experts) : model.ffn;
  const double elementwise_bytes = 2 * (2 * 2 * T * h + 2 * 3 * T * h + 3 * T * mlp_width / tp +
                                        2 * T * (model.heads + model.kv_heads) * qk / tp);
  const double elementwise = elementwise_s(elementwise_bytes, 6, machine);

  const double layers = model.layers;
  const double moe_layers = model.moe_layers();
  const double dense_layers = layers - moe_layers;
  const double forward_layers_s =
      layers * (attention_gemms + attention_core + elementwise) + dense_layers * dense_mlp + moe_layers * moe_mlp;
  // Output layer and loss on the last stage: spread over the stages (ASSUMPTION: a balanced pipeline, as Llama 3
  // had by giving the first and last stages fewer layers).
  const double output_s = gemm_s(T, h, double(model.vocabulary) / tp, peak, machine);

  ChunkCosts costs;
  costs.forward_model_s = (forward_layers_s + output_s) / plan.kernel_efficiency;
  // Backward = 2 x forward (gradients of inputs and of weights); full recomputation repeats the forward.
  costs.recompute_factor = plan.recompute == Recompute::full ? 1.0 : 0.0;
  costs.chunks = double(p.pp) * p.vp;
  costs.layers_per_chunk = layers / costs.chunks;
  costs.moe_layers_per_chunk = moe_layers / costs.chunks;
  costs.compute_s = costs.forward_model_s * (3.0 + costs.recompute_factor) / costs.chunks;
  costs.forward_s = costs.forward_model_s / costs.chunks;
  costs.backward_s = costs.forward_model_s * (2.0 + costs.recompute_factor) / costs.chunks;
  costs.attention_core_s = attention_core / plan.kernel_efficiency;

  // ---- communication per chunk and micro-batch ----
  // Tensor parallelism: the activations T x h of a layer, gathered and scattered (overlap: tp_exposed_s).
  costs.tp_bytes = T * h * kActivationBytes;
  costs.tp_collectives_forward = costs.layers_per_chunk * kTpCollectivesPerLayerPass;
  costs.tp_collectives_backward = costs.layers_per_chunk * kTpCollectivesPerLayerPass * (1 + costs.recompute_factor);
  // Expert all-to-all: dispatch and combine of T x active x h per GPU forward, the same backward; (ep-1)/ep of it
  // leaves the GPU. Not overlapped.
  if (model.is_moe() && p.ep > 1) {
    costs.ep_bytes = T * model.active_experts * h * kActivationBytes * (p.ep - 1.0) / p.ep;
    costs.ep_all_to_alls_forward = costs.moe_layers_per_chunk * kEpAllToAllsPerLayerPass;
    costs.ep_all_to_alls_backward = costs.moe_layers_per_chunk * kEpAllToAllsPerLayerPass * (1 + costs.recompute_factor);
  }
  // Context parallelism: each layer's attention receives the other cp ranks' K and V (ring attention), overlapped
  // with the attention computation.
  if (p.cp > 1)
    costs.cp_kv_bytes = 2 * T * (model.is_mla() ? model.kv_lora_rank + model.qk_rope_head_dim : model.kv_heads * d / tp) *
                        kActivationBytes;
  // Pipeline: a chunk sends its output forward and receives a gradient backward, T x h / tp each (sequence parallel).
  if (p.pp > 1) costs.pp_bytes = T * h * kActivationBytes / tp;

  // ---- data parallelism: reduce-scatter gradients, all-gather parameters (distributed optimizer) ----
  costs.memory = memory_per_gpu(model, plan);
  const double params_here = costs.memory.weights_b / (plan.fp8_params ? 1 : 2);
  // Megatron orders ranks tp, cp, dp, pp: when a tensor/context group is smaller than a node, the node holds
  // node_gpus / (tp x cp) data-parallel peers.
  costs.local_dp = JobLayout(plan, machine.node.gpus, machine.domain_gpus()).local_data_parallel();
  costs.dp_reduce_bytes = params_here * (plan.reduce_in_fp32 ? 4 : 2) / costs.local_dp;
  // The parameters' all-gather (or, without sharding, the all-reduce's second half), in bf16.
  costs.dp_gather_bytes = params_here * (plan.fp8_params ? 1 : kParameterGatherBytes) / costs.local_dp;
  // Optimizer step: read and write the fp32 master weights and moments of this GPU's shard, and the bf16 weights.
  costs.optimizer_s =
      elementwise_s(2 * costs.memory.optimizer_b + 2 * costs.memory.weights_b, 1, machine) / plan.kernel_efficiency;
  return costs;
}

}  // namespace fleetsim::training

#include "sim/training/step_time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/training/chunk_costs.hpp"
#include "sim/training/job_layout.hpp"

namespace fleetsim::training {

namespace {

std::string format_gb(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
  return text;
}

// A reduce-scatter or all-gather of `bytes` (the full tensor) among n GPUs of one NVLink domain: half the fitted
// all-reduce (NCCL's ring all-reduce is a reduce-scatter then an all-gather).
double nvlink_half_collective_s(double bytes, int n, const Machine& machine) {
  if (n <= 1) return 0;
  return machine.fit.allreduce_latency_us * 1e-6 / 2 + (n - 1.0) / n * bytes / (machine.fit.allreduce_bus_gb_s * 1e9);
}

// Bandwidth per GPU over the scale-out fabric: the NIC's. Where every GPU under a leaf sends out of it at once (a
// pipeline send between stages that each fill whole leaves), the leaf's uplinks divide it by the oversubscription.
double scale_out_bandwidth(const ScaleOut& fabric, bool whole_leaves_leave = false) {
  return fabric.gb_s_per_gpu * 1e9 / (whole_leaves_leave ? fabric.oversubscription : 1.0);
}

// Nodes a group of `gpus` consecutive ranks covers.
double group_nodes(double gpus, const Machine& machine) { return std::ceil(gpus / std::max(1, machine.node.gpus)); }

// Ring reduce-scatter or all-gather of `bytes` per GPU (per NIC channel) among n GPUs on different nodes, the ring
// covering `nodes` nodes; with in-network reduction the switch reduces and each byte crosses the NIC once. A ring
// leaves a leaf once per rail at each leaf boundary: the uplinks (leaf_nodes NICs' worth per rail / oversubscription)
// limit it only when the oversubscription exceeds the nodes per leaf.
double ring_half_collective_s(double bytes, int n, double nodes, const ScaleOut& fabric) {
  if (n <= 1) return 0;
  double bandwidth = scale_out_bandwidth(fabric);
  if (fabric.leaf_nodes > 0 && nodes > fabric.leaf_nodes)
    bandwidth *= std::min(1.0, double(fabric.leaf_nodes) / fabric.oversubscription);
  if (fabric.in_network_reduction) return 2 * fabric.latency_s + bytes / bandwidth;
  return (n - 1) * fabric.latency_s + (n - 1.0) / n * bytes / bandwidth;
}

double stage_layers(const hw::ModelSpec& model, const Parallelism& p) { return double(model.layers) / p.pp; }

// Bytes one token leaves in memory per layer for the backward pass, before tensor/sequence parallelism divides
// them: Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models" (MLSys 2023), section
// 4.1, counted tensor by tensor for this model instead of their GPT-style total (34 h: 4h MLP, multi-head
// attention, dropout). Flash attention keeps no s x s scores. Kept: the two norm inputs (bf16); the inputs of the
// QKV, output-projection, up and down GEMMs (bf16, or their FP8 copies under an FP8 recipe: Transformer Engine
// saves the casted inputs for the weight gradients); Q, K and V for the attention backward (bf16); the up/gate
// outputs the activation function needs (bf16). ASSUMPTION: no dropout (Llama 3, Mistral, Mixtral and DeepSeek-V3
// train without; GPT-3's 2 masks of 1 byte would add 2 h).
double activation_bytes_per_token_layer(const hw::ModelSpec& model, Precision precision) {
  const double h = model.hidden;
  const double gemm_input = precision == Precision::bf16 ? 2.0 : 1.0;
  const double qk = model.is_mla() ? model.qk_nope_head_dim + model.qk_rope_head_dim : model.head_size();
  const double v = model.is_mla() ? model.v_head_dim : model.head_size();
  const double kv_heads = model.is_mla() ? model.heads : model.kv_heads;  // MLA: K and V up-projected per head
  const double attention = 2 * h + gemm_input * h + 2 * (model.heads * qk + kv_heads * (qk + v)) +
                           gemm_input * model.heads * v;
  const double up = model.gated_mlp ? 2.0 : 1.0;
  const auto mlp = [&](double width) { return gemm_input * h + 2 * up * width + gemm_input * width; };
  double mlp_bytes = 2 * h + mlp(model.ffn);  // the norm input and one dense MLP
  if (model.is_moe()) {
    // Every routed copy of a token keeps its own MLP tensors; dense layers (DeepSeek-V3's first 3) their own.
    const double moe = 2 * h + (model.active_experts + model.shared_experts) * mlp(model.expert_size());
    mlp_bytes = (model.dense_layers * mlp_bytes + model.moe_layers() * moe) / model.layers;
  }
  return attention + mlp_bytes;
}

// One expert all-to-all of `bytes` per GPU when the expert groups do not each sit inside one NVLink domain: of a
// GPU's ep - 1 peers, those in its domain are reached over NVLink, the others through a NIC on the peer's rail
// (NCCL's PXN first moves the data over NVLink to the GPU on that rail), so each NIC carries the off-domain share.
// What leaves a leaf switch shares the leaf's uplinks: leaf_nodes NICs' worth per rail / oversubscription. The
// slowest GPU of the first stage's groups sets the time (groups that straddle domains or leaves are slower: the
// replicas wait for each other at every step).
double expert_all_to_all_s(double bytes, const TrainingPlan& plan, const Machine& machine) {
  const Parallelism& p = plan.parallelism;
  const ScaleOut& fabric = machine.scale_out;
  const JobLayout layout(plan, machine.node.gpus, machine.domain_gpus());
  const auto leaf = [&](long long rank) { return fabric.leaf_nodes > 0 ? layout.node(rank) / fabric.leaf_nodes : 0; };
  std::map<long long, double> leaving;  // per leaf: the shares of its GPUs' all-to-all that leave it, per rail
  double nic_share = 0, nvlink_share = 0;  // the largest shares of a GPU's all-to-all on its NIC and on NVLink
  std::vector<long long> members(p.ep);
  for (int block = 0; block < layout.data_parallel() / p.ep; ++block)
    for (int t = 0; t < p.tp; ++t)
      for (int c = 0; c < p.cp; ++c) {
        for (int i = 0; i < p.ep; ++i) members[i] = layout.rank(t, c, block * p.ep + i, 0);
        for (long long member : members) {
          double domain = 0, leaf_mates = 0;
          for (long long peer : members) {
            if (layout.same_domain(member, peer)) ++domain;
            else if (leaf(peer) == leaf(member)) ++leaf_mates;
          }
          nic_share = std::max(nic_share, (p.ep - domain) / (p.ep - 1));
          nvlink_share = std::max(nvlink_share, (domain - 1) / (p.ep - 1));
          if (fabric.leaf_nodes > 0)
            leaving[leaf(member)] += (p.ep - domain - leaf_mates) / (p.ep - 1) / layout.node_gpus();
        }
      }
  double uplink_share = 0;  // the busiest leaf's load over its uplinks' capacity, in NICs
  for (const auto& [index, load] : leaving)
    uplink_share = std::max(uplink_share, load * fabric.oversubscription / fabric.leaf_nodes);
  const double nic_s =
      nic_share > 0 ? fabric.latency_s + bytes * std::max(nic_share, uplink_share) / scale_out_bandwidth(fabric) : 0;
  // The fitted per-collective latency when the all-to-all stays on NVLink (else the NICs' latency counts).
  const double nvlink_s = (nic_share > 0 ? 0 : machine.fit.allreduce_latency_us * 1e-6) +
                          bytes * nvlink_share / (machine.fit.allreduce_bus_gb_s * 1e9);
  return std::max(nic_s, nvlink_s);
}

}  // namespace

const char* to_string(Precision precision) {
  switch (precision) {
    case Precision::bf16: return "bf16";
    case Precision::fp8: return "fp8";
    case Precision::fp4: return "fp4";
  }
  return "?";
}

const char* to_string(Recompute recompute) { return recompute == Recompute::full ? "full" : "none"; }

const char* to_string(Sharding sharding) {
  switch (sharding) {
    case Sharding::none: return "none";
    case Sharding::optimizer: return "optimizer";
    case Sharding::gradients: return "gradients";
  }
  return "?";
}

int TrainingPlan::data_parallel() const {
  const int model_gpus = parallelism.tp * parallelism.pp * parallelism.cp;
  return model_gpus > 0 ? gpus / model_gpus : 0;
}

long long TrainingPlan::microbatches() const {
  const long long per_step = static_cast<long long>(data_parallel()) * micro_batch_size;
  return per_step > 0 ? global_batch_size / per_step : 0;
}

double peak_flops(const hw::GpuSpec& gpu, Precision precision) {
  switch (precision) {
    case Precision::bf16: return gpu.bf16_dense_tflops * 1e12;
    case Precision::fp8: return gpu.fp8_dense_tflops * 1e12;
    case Precision::fp4: return gpu.fp4_dense_tflops * 1e12;
  }
  return 0;
}

double model_flops_per_token(const hw::ModelSpec& model, long long sequence_length) {
  const double layers = 6 * model.layer_parameters(true);
  const double output = 6.0 * model.hidden * double(model.vocabulary);
  const double qk = model.is_mla() ? model.qk_nope_head_dim + model.qk_rope_head_dim : model.head_size();
  const double v = model.is_mla() ? model.v_head_dim : model.head_size();
  const double attention = 6.0 * model.layers * model.heads * (qk + v) * (sequence_length / 2.0);
  return layers + output + attention;
}

MemoryUse memory_per_gpu(const hw::ModelSpec& model, const TrainingPlan& plan) {
  const Parallelism& p = plan.parallelism;
  const int dp = std::max(1, plan.data_parallel());
  // Parameters on the most loaded stage: its layers (MoE experts split over ep) plus the output layer, and the
  // input embedding when the two are on one stage (pp = 1). Tensor parallelism splits all of them.
  const double layers = stage_layers(model, p);
  const double first_rank_layers = plan.balanced_pipeline && p.pp > 1 ? (model.layers + 2.0) / p.pp - 1 : layers;
  const double dense_part = model.is_moe() ? model.layers * model.attention_parameters() +
                                                 model.dense_layers * model.dense_mlp_parameters()
                                           : model.layer_parameters(false);
  const double expert_part = model.is_moe() ? model.moe_layers() * model.moe_mlp_parameters(false) : 0;
  const double embeddings = double(model.vocabulary) * model.hidden * ((p.pp == 1 && !model.tied_embeddings) ? 2 : 1);
  const double dense_params = (dense_part / p.pp + embeddings) / p.tp;
  const double expert_params = expert_part / p.pp / p.tp / p.ep;
  // Mixed-precision Adam (Megatron-LM): bf16 weights 2 B, fp32 gradients 4 B, fp32 master weights + Adam moments
  // 12 B per parameter (Rajbhandari et al., ZeRO, SC'20, section 3.1: 16 B with fp16 gradients; Megatron keeps
  // fp32 main gradients). The distributed optimizer shards the 12 B over the data-parallel GPUs that hold the same
  // parameters: dp for dense ones, approximated as dp / ep for experts; ZeRO-2 shards the gradients too.
  const bool shard_optimizer = plan.sharding != Sharding::none;
  const bool shard_gradients = plan.sharding == Sharding::gradients;
  const double dense_shards = dp;
  const double expert_shards = std::max(1.0, double(dp) / p.ep);
  MemoryUse use;
  use.weights_b = (plan.fp8_params ? 1 : 2) * (dense_params + expert_params);
  use.gradients_b = 4 * (shard_gradients ? dense_params / dense_shards + expert_params / expert_shards
                                         : dense_params + expert_params);
  use.optimizer_b = 12 * (shard_optimizer ? dense_params / dense_shards + expert_params / expert_shards
                                          : dense_params + expert_params);
  // Activations per layer per micro-batch, with sequence parallelism (everything split by t, Korthikanti et al.
  // 2023, Table 2): the model's own count (activation_bytes_per_token_layer) x s b / t; with full recomputation
  // only the layer input, 2 s b h / t. The sequence is split by cp. The first stage holds the activations of min(m, pp) micro-batches in flight under 1F1B, times
  // (1 + (pp-1)/(pp vp)) with the interleaved schedule (Narayanan et al. SC'21, section 2.2.2).
  const double tokens = double(plan.sequence_length) / p.cp * plan.micro_batch_size;
  const double per_layer = tokens / p.tp *
                           (plan.recompute == Recompute::full ? 2.0 * model.hidden
                                                              : activation_bytes_per_token_layer(model, plan.precision));
  const double in_flight = std::min<double>(plan.microbatches(), p.pp) *
                           (p.vp > 1 ? 1.0 + (p.pp - 1.0) / (double(p.pp) * p.vp) : 1.0);
  use.activations_b = per_layer * first_rank_layers * in_flight;
  return use;
}

std::string plan_problem(const hw::ModelSpec& model, const TrainingPlan& plan, const Machine& machine) {
  const Parallelism& p = plan.parallelism;
  for (auto [name, value] : {std::pair{"tp", p.tp}, std::pair{"pp", p.pp}, std::pair{"cp", p.cp},
                             std::pair{"ep", p.ep}, std::pair{"vp", p.vp}})
    if (value < 1) return std::string("parallelism.") + name + " must be at least 1";
  const long long model_gpus = static_cast<long long>(p.tp) * p.pp * p.cp;
  if (plan.gpus % model_gpus != 0)
    return "gpus (" + std::to_string(plan.gpus) + ") must be a multiple of tp x pp x cp (" + std::to_string(model_gpus) + ")";
  const int dp = plan.data_parallel();
  if (plan.global_batch_size % (static_cast<long long>(dp) * plan.micro_batch_size) != 0)
    return "global_batch_size (" + std::to_string(plan.global_batch_size) + ") must be a multiple of dp x micro_batch_size (" +
           std::to_string(static_cast<long long>(dp) * plan.micro_batch_size) + ")";
  if (model.heads % p.tp != 0 || (model.kv_heads % p.tp != 0 && p.tp % model.kv_heads != 0))
    return "tp (" + std::to_string(p.tp) + ") must divide the model's " + std::to_string(model.heads) +
           " attention heads and its " + std::to_string(model.kv_heads) + " key/value heads (or be a multiple of them)";
  if (p.pp > model.layers) return "pp (" + std::to_string(p.pp) + ") exceeds the model's " + std::to_string(model.layers) + " layers";
  if (p.ep > 1 && (!model.is_moe() || model.experts % p.ep != 0 || dp % p.ep != 0))
    return model.is_moe() ? "ep (" + std::to_string(p.ep) + ") must divide the model's " + std::to_string(model.experts) +
                                " experts and dp (" + std::to_string(dp) + ")"
                          : "ep must be 1 for a dense model";
  if (plan.sequence_length % p.cp != 0) return "sequence_length must be a multiple of cp";
  if (p.vp > 1 && plan.microbatches() % p.pp != 0)
    return "the interleaved schedule (vp > 1) needs micro-batches (" + std::to_string(plan.microbatches()) +
           ") to be a multiple of pp (" + std::to_string(p.pp) + ")";
  if (plan.tp_comm_overlap && p.tp > machine.domain_gpus())
    return "tp_comm_overlap needs the tensor-parallel group (tp " + std::to_string(p.tp) +
           ") inside one NVLink domain (" + std::to_string(machine.domain_gpus()) + " GPUs): its userbuffers are NVLink memory";
  if (peak_flops(machine.gpu, plan.precision) <= 0)
    return std::string("the GPU ") + machine.gpu.id + " has no " + to_string(plan.precision) + " tensor cores in the catalog";
  const double need = memory_per_gpu(model, plan).total_b();
  const double have = machine.gpu.memory_gb * 1e9;
  if (need > have)
    return "needs " + format_gb(need) + " per GPU (weights, gradients, optimizer state, activations), " +
           format_gb(need - have) + " more than the " + format_gb(have) + " of " + machine.gpu.id +
           " (more tp/pp, recompute = \"full\" or a smaller micro batch would fit)";
  return "";
}

StepBreakdown step_time(const hw::ModelSpec& model, const TrainingPlan& plan, const Machine& machine) {
  const Parallelism& p = plan.parallelism;
  const int dp = plan.data_parallel();
  const double m = double(plan.microbatches());
  const double peak = peak_flops(machine.gpu, plan.precision);
  const int tp = p.tp;
  const ChunkCosts costs = chunk_costs(model, plan, machine);
  const double recompute_factor = costs.recompute_factor;
  const double chunk_compute_s = costs.compute_s;

  // ---- communication per chunk and micro-batch ----
  // Tensor parallelism with sequence parallelism: per layer 2 all-gathers + 2 reduce-scatters of T x h forward and
  // the same backward (Korthikanti et al. 2023, section 4.2.2); exposed whole unless overlapped (tp_exposed_s).
  const int domain = machine.domain_gpus();
  // Across nodes NCCL runs one channel per NIC through the group's GPUs on a node: each NIC carries 1/(GPUs of the
  // group per node) of the ring's bytes (the detailed mode's ring channels, sim/engine/step/collective_flows).
  const double tp_one = tp <= domain ? nvlink_half_collective_s(costs.tp_bytes, tp, machine)
                                     : ring_half_collective_s(costs.tp_bytes / std::max(1, std::min(tp, machine.node.gpus)),
                                                              tp, group_nodes(tp, machine), machine.scale_out);
  const double tp_forward_s = costs.tp_collectives_forward * tp_one;
  const double tp_backward_s = costs.tp_collectives_backward * tp_one;
  const double tp_chunk_s = tp_exposed_s(tp_forward_s, costs.forward_s, tp, plan.tp_comm_overlap) +
                            tp_exposed_s(tp_backward_s, costs.backward_s, tp, plan.tp_comm_overlap);
  // Expert all-to-all: dispatch and combine forward, the same backward; what leaves the GPU goes over NVLink inside
  // the domain, else the NICs. Not overlapped.
  double ep_chunk_s = 0;
  if (model.is_moe() && p.ep > 1) {
    // A group spans ep x tp x cp consecutive ranks: inside one domain when that many fit it evenly.
    const long long group_span = static_cast<long long>(p.ep) * tp * p.cp;
    const double all_to_all_s =
        group_span <= domain && domain % group_span == 0
            ? machine.fit.allreduce_latency_us * 1e-6 + costs.ep_bytes / (machine.fit.allreduce_bus_gb_s * 1e9)
            : expert_all_to_all_s(costs.ep_bytes, plan, machine);
    ep_chunk_s = costs.moe_layers_per_chunk * 4 * (2 + recompute_factor) / 2 * all_to_all_s;
  }
  // Context parallelism: each layer's attention receives the other cp ranks' K and V (ring attention), forward
  // and backward, overlapped with the attention computation.
  double cp_chunk_s = 0, cp_chunk_exposed_s = 0;
  if (p.cp > 1) {
    const bool inside = double(p.cp) * tp <= domain;
    const double bandwidth = inside ? machine.fit.allreduce_bus_gb_s * 1e9 : scale_out_bandwidth(machine.scale_out);
    const double per_layer = (p.cp - 1) * costs.cp_kv_bytes / bandwidth * 3;  // forward, and K/V and their gradients backward
    cp_chunk_s = costs.layers_per_chunk * per_layer;
    cp_chunk_exposed_s = std::max(0.0, cp_chunk_s - costs.layers_per_chunk * costs.attention_core_s * 3);
  }
  // Pipeline: a chunk sends its output forward and receives a gradient backward. In Megatron's rank order (tp, cp,
  // dp, pp) consecutive stages are tp x cp x dp ranks apart (sim/training/job_layout.hpp), so the send crosses
  // nodes whenever a stage's ranks fill a node, else it stays on NVLink. Every replica sends at once: when a stage
  // fills whole leaves, all its GPUs' sends leave their leaf together.
  double pp_chunk_s = 0;
  if (p.pp > 1) {
    const double bytes = costs.pp_bytes;
    const bool across_nodes = double(tp) * p.cp * dp >= machine.node.gpus;
    const bool whole_leaves = machine.scale_out.leaf_nodes > 0 &&
                              group_nodes(double(dp) * tp * p.cp, machine) >= machine.scale_out.leaf_nodes;
    pp_chunk_s = 2 * (across_nodes ? machine.scale_out.latency_s + bytes / scale_out_bandwidth(machine.scale_out, whole_leaves)
                                   : machine.fit.allreduce_latency_us * 1e-6 / 2 + bytes / (machine.fit.allreduce_bus_gb_s * 1e9));
  }
  // Overlapped, a send runs while the stage works through its next op (its compute and the communication exposed
  // inside it, as the detailed mode's stage does): only what outlasts that op is exposed. The pipeline's fill and
  // drain still wait for every send (the next stage needs its input), so the bubble counts them.
  const double op_s = chunk_compute_s + tp_chunk_s + ep_chunk_s + cp_chunk_exposed_s;
  const double pp_chunk_exposed_s = plan.p2p_comm_overlap ? std::max(0.0, pp_chunk_s - op_s) : pp_chunk_s;
  const double chunk_s = op_s + pp_chunk_s;

  // ---- data parallelism: reduce-scatter gradients, all-gather parameters (distributed optimizer) ----
  const double dp_nodes = group_nodes(double(dp) * tp * p.cp, machine);  // nodes a data-parallel ring covers
  const double reduce_s = ring_half_collective_s(costs.dp_reduce_bytes, dp, dp_nodes, machine.scale_out);
  // The parameters' all-gather (or, without sharding, the all-reduce's second half), in bf16.
  const double gather_s = ring_half_collective_s(costs.dp_gather_bytes, dp, dp_nodes, machine.scale_out);
  // Overlap (Megatron's --overlap-grad-reduce/--overlap-param-gather): a chunk's gradients are reduced once its
  // last backward is done, so the reduce-scatter hides behind the last micro-batch's backward and the pipeline
  // drain (half the bubble: the first stages idle while the last ones finish); the all-gather of the next step's
  // parameters behind the first micro-batch's forward and the fill (the other half).
  const double bubble_s = (p.pp - 1.0) * chunk_s;
  const double last_backward_s = p.vp * chunk_compute_s * 2.0 / (3.0 + recompute_factor) + bubble_s / 2;
  const double first_forward_s = p.vp * chunk_compute_s * 1.0 / (3.0 + recompute_factor) + bubble_s / 2;
  const double dp_exposed_s = std::max(0.0, reduce_s - last_backward_s) + std::max(0.0, gather_s - first_forward_s);

  StepBreakdown out;
  const double slots = m * p.vp;  // chunk slots each GPU works through
  out.compute_s = slots * chunk_compute_s + costs.optimizer_s;
  out.bubble_s = bubble_s;
  out.tp_comm_s = slots * (tp_forward_s + tp_backward_s);
  out.tp_exposed_s = slots * tp_chunk_s;
  out.ep_comm_s = out.ep_exposed_s = slots * ep_chunk_s;
  out.cp_comm_s = slots * cp_chunk_s;
  out.cp_exposed_s = slots * cp_chunk_exposed_s;
  out.pp_comm_s = slots * pp_chunk_s;
  out.pp_exposed_s = slots * pp_chunk_exposed_s;
  out.dp_comm_s = reduce_s + gather_s;
  out.dp_exposed_s = dp_exposed_s;
  out.exposed_comm_s = out.tp_exposed_s + out.ep_exposed_s + out.cp_exposed_s + out.pp_exposed_s + out.dp_exposed_s;
  out.step_time_s = out.compute_s + out.bubble_s + out.exposed_comm_s;
  out.tokens_per_step = plan.tokens_per_step();
  out.tokens_per_s = out.tokens_per_step / out.step_time_s;
  out.model_flops_per_step = model_flops_per_token(model, plan.sequence_length) * out.tokens_per_step;
  out.mfu = out.model_flops_per_step / (out.step_time_s * plan.gpus * peak);
  out.memory = costs.memory;
  return out;
}

double fit_kernel_efficiency(const hw::ModelSpec& model, TrainingPlan plan, const Machine& machine,
                             double measured_step_s) {
  double low = kMinKernelEfficiency, high = kMaxKernelEfficiency;
  const auto step_at = [&](double efficiency) {
    plan.kernel_efficiency = efficiency;
    return step_time(model, plan, machine).step_time_s;
  };
  if (step_at(high) > measured_step_s) return high;  // faster than the model can go
  if (step_at(low) < measured_step_s) return low;
  while (high - low > 1e-6 * high) {
    const double mid = (low + high) / 2;
    (step_at(mid) > measured_step_s ? low : high) = mid;
  }
  return (low + high) / 2;
}

}  // namespace fleetsim::training

#pragma once
// What one micro-batch costs on one model chunk, and what one step moves between data-parallel GPUs: compute
// times from the kernel model (hw/catalog/kernels.toml) and the bytes of every collective, per GPU. Computed once
// here for both modes of issue 12: the analytic step time (step_time.hpp, fleet mode) turns the bytes into
// times with formulas, the detailed mode (sim/engine/step/, `fleetsim step`) simulates them on the SimGrid
// network and runs the pipeline schedule. No communication times here, only volumes.
#include "sim/training/step_time.hpp"

namespace fleetsim::training {

// Collectives per transformer layer and micro-batch, per pass over the layer (the forward, the backward, and the
// forward again when the backward recomputes it). Tensor parallelism with sequence parallelism: 2 all-gathers and
// 2 reduce-scatters of T x h (Korthikanti et al., MLSys 2023, section 4.2.2). Expert parallelism: the dispatch and
// the combine all-to-all of an MoE layer.
constexpr double kTpCollectivesPerLayerPass = 4;
constexpr double kEpAllToAllsPerLayerPass = 2;
// Context parallelism (ring attention): per layer each rank receives the other cp - 1 ranks' K and V once forward
// and twice backward (K/V again, and their gradients going back).
constexpr double kCpRoundsForward = 1;
constexpr double kCpRoundsBackward = 2;

// What a pass's tensor-parallel communication leaves exposed. Without overlap, all of it. With overlap, each
// collective is cut into tp pieces pipelined with the GEMM that consumes or produces it (Wang et al., "Overlap
// Communication with Dependent Computation via Decomposition", ASPLOS 2023; Transformer Engine's userbuffers): the
// first piece waits, and whatever the pass's compute cannot cover.
inline double tp_exposed_s(double comm_s, double compute_s, int tp, bool overlap) {
  return overlap ? std::max(comm_s / tp, comm_s - compute_s) : comm_s;
}

// A chunk is a pipeline stage's share of the layers: 1/vp of the stage with the interleaved schedule.
struct ChunkCosts {
  double chunks = 1;             // pp x vp
  double recompute_factor = 0;   // 1 with full recomputation: the backward repeats the forward
  double layers_per_chunk = 0;   // transformer layers on one chunk (fractional when pp x vp does not divide them)
  double moe_layers_per_chunk = 0;

  // Compute, seconds, one micro-batch on one chunk, at the fitted GEMM/HBM rates under the machine's power cap.
  double forward_model_s = 0;    // forward of the whole model's layers and the output layer (spread over chunks)
  double forward_s = 0;          // forward of one chunk
  double backward_s = 0;         // its backward: 2 x forward, + the forward again with full recomputation
  double compute_s = 0;          // forward + backward, as forward_model_s x (3 + recompute) / chunks
  double attention_core_s = 0;   // attention scores (QK^T, AV) of ONE layer, forward: what context parallelism overlaps
  double optimizer_s = 0;        // one step's optimizer update of this GPU's shard

  // Communication volumes, bytes, per GPU.
  double tp_bytes = 0;           // the whole tensor of one tensor-parallel all-gather or reduce-scatter (T x h)
  double tp_collectives_forward = 0, tp_collectives_backward = 0;   // per chunk and micro-batch
  double ep_bytes = 0;           // one all-to-all: what leaves a GPU ((ep-1)/ep of its routed tokens)
  double ep_all_to_alls_forward = 0, ep_all_to_alls_backward = 0;   // per chunk and micro-batch
  double cp_kv_bytes = 0;        // K and V of one layer one context-parallel rank sends to the next
  double pp_bytes = 0;           // one pipeline send: an activation forward or its gradient backward (T x h / tp)
  // Data parallelism, per step. NCCL runs a ring through the node's local_dp data-parallel peers with one channel
  // per NIC, so each NIC carries 1/local_dp of the bytes (NCCL rings: (n-1)/n x S per rank, split over channels).
  double local_dp = 1;           // data-parallel peers on one node (Megatron's rank order tp, cp, dp, pp)
  double dp_reduce_bytes = 0;    // gradients one GPU reduce-scatters, per NIC: S / local_dp (fp32 or bf16)
  double dp_gather_bytes = 0;    // parameters it all-gathers (bf16), per NIC
  MemoryUse memory;              // per GPU, the most loaded stage
};

// The plan must be valid (plan_problem empty).
ChunkCosts chunk_costs(const hw::ModelSpec& model, const TrainingPlan& plan, const Machine& machine);

}  // namespace fleetsim::training

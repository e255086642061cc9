#pragma once
// The analytic step-time model of a data/tensor/pipeline/context/expert-parallel training run (fleet mode of
// issue 12): one step's compute, pipeline bubble and exposed communication, from the model's dimensions, the
// plan, the GPU's peaks and the kernel constants fitted to measured timings (hw/catalog/kernels.toml).
// Pure functions of their inputs: no SimGrid, no state. Every assumption is stated where it is made. The per-chunk
// compute times and collective volumes come from chunk_costs.hpp, which the detailed mode (`fleetsim step`) uses too;
// step_time composes them with formulas for the communication times, the bubble and the overlap.
#include <algorithm>
#include <string>

#include "hw/hardware.hpp"
#include "hw/model_spec.hpp"

namespace fleetsim::training {

enum class Precision { bf16, fp8, fp4 };
// The highest TrainingPlan::kernel_efficiency a scenario may give: a stack 50% faster than the fitted kernels.
constexpr double kMaxKernelEfficiency = 1.5;
constexpr double kMinKernelEfficiency = 1e-3;
enum class Recompute { none, full };
// What the data-parallel GPUs shard among themselves (Rajbhandari et al., "ZeRO", SC'20): nothing (plain data
// parallelism), the optimizer state (ZeRO-1, Megatron's distributed optimizer), or also the gradients (ZeRO-2;
// Llama 3's FSDP "shards optimizer states and gradients" but keeps the weights after the forward pass).
enum class Sharding { none, optimizer, gradients };

const char* to_string(Precision precision);
const char* to_string(Recompute recompute);
const char* to_string(Sharding sharding);

struct Parallelism {
  int tp = 1;  // tensor parallel (with sequence parallelism)
  int pp = 1;  // pipeline stages
  int cp = 1;  // context parallel (the sequence split across GPUs)
  int ep = 1;  // expert parallel (MoE layers; experts split across the data-parallel GPUs)
  int vp = 1;  // virtual stages per pipeline rank (interleaved 1F1B schedule; 1 = plain 1F1B)
};

struct TrainingPlan {
  int gpus = 0;
  long long sequence_length = 0;
  long long global_batch_size = 0;  // sequences per step
  int micro_batch_size = 1;         // sequences per micro-batch
  Precision precision = Precision::bf16;
  Parallelism parallelism;
  Recompute recompute = Recompute::none;
  Sharding sharding = Sharding::optimizer;
  bool reduce_in_fp32 = false;  // gradients reduce-scattered in fp32 (Llama 3) instead of bf16 (Megatron's default)
  // Weights kept in FP8 (Transformer Engine's FP8 parameters; NeMo's FP8_PARAMS, as in NVIDIA's MLPerf Training
  // v4.0 GPT-3 submissions): 1 byte per weight, no bf16 copy, and the data-parallel all-gather of the parameters
  // moves 1 byte per parameter instead of 2. Needs precision = fp8.
  bool fp8_params = false;
  // Communication overlapped with computation, as Megatron-LM / NeMo switch it on (both off by default there):
  // tensor-parallel collectives split into tp pieces pipelined with the GEMMs that use them (Transformer Engine
  // userbuffers; NeMo ub_tp_comm_overlap, Megatron --tp-comm-overlap), and pipeline sends running while the stage
  // computes its next chunk (NeMo overlap_p2p_comm, Megatron --overlap-p2p-communication). NVIDIA's MLPerf GPT-3
  // submissions of v3.0 and v4.0 set both.
  bool tp_comm_overlap = false;
  bool p2p_comm_overlap = false;
  // The share of the catalog's fitted kernel rates (hw/catalog/kernels.toml, fitted on Vidur's 2024 operator
  // timings) the run's software stack reaches: every compute time is divided by it. 1 = the fitted kernels. A run on
  // an older or a less tuned stack (FlashAttention 1, no CUDA graphs, older Transformer Engine) reaches less; the
  // README's MLPerf validation fits it per software release on that release's smallest submission.
  double kernel_efficiency = 1;  // in [kMinKernelEfficiency, kMaxKernelEfficiency]
  // The input embedding and the output layer each take one transformer layer's place in the pipeline split (Llama 3
  // "reduce one Transformer layer each from the first and the last stages"; Megatron-LM's
  // --account-for-embedding-in-pipeline-split and --account-for-loss-in-pipeline-split): the first pipeline rank,
  // which holds the most micro-batches in flight, has (layers + 2) / pp - 1 transformer layers.
  bool balanced_pipeline = false;

  int data_parallel() const;  // gpus / (tp * pp * cp)
  long long microbatches() const;  // global batch / (dp * micro batch): per pipeline, per step
  double tokens_per_step() const { return double(global_batch_size) * double(sequence_length); }
};

// What a GPU can talk to outside its NVLink domain: its share of the node's NICs, on leaf switches below spines.
struct ScaleOut {
  double gb_s_per_gpu = 0;      // NIC bandwidth per GPU, GB/s, after the fitted efficiency
  double latency_s = 0;         // one message, GPU to GPU across nodes
  double oversubscription = 1;  // a leaf's down ports over its up ports (e.g. 7 for Llama 3's aggregation layer)
  long long leaf_nodes = 0;     // nodes under one leaf switch (each rail's leaf when rail-optimised); 0 = one switch
  bool rail_optimized = false;  // GPU i of every node under a leaf group on leaf i (else a node's NICs on one leaf)
  double switch_latency_s = 0;  // one switch, each way: what going up to the spines and down again adds per switch
  bool in_network_reduction = false;  // SHARP-style: a reduction moves each byte once instead of 2(n-1)/n
};

// The hardware a run gets: GPU and node specs, the kernel constants, the scale-out fabric and a power cap.
struct Machine {
  hw::GpuSpec gpu;
  hw::NodeSpec node;
  hw::KernelFit fit;       // for this GPU, or another GPU's scaled (see kernel_fit_for)
  ScaleOut scale_out;
  double compute_rate = 1;  // relative compute throughput under a power cap (GpuSpec::relative_throughput)
  double power_cap_w = 0;   // that cap (0 = none): what a GPU may draw

  // GPUs of one NVLink domain: the node's, or more (a rack for NVL72 systems).
  int domain_gpus() const { return std::max(1, node.nvlink_domain_gpus > 0 ? node.nvlink_domain_gpus : node.gpus); }
};

struct MemoryUse {
  double weights_b = 0, gradients_b = 0, optimizer_b = 0, activations_b = 0;
  double total_b() const { return weights_b + gradients_b + optimizer_b + activations_b; }
};

struct StepBreakdown {
  double step_time_s = 0;
  double compute_s = 0;       // forward + backward (+ recomputation) of every micro-batch, and the optimizer
  double bubble_s = 0;        // pipeline fill and drain
  double exposed_comm_s = 0;  // communication not hidden behind compute
  // Per collective: total time on the critical path's GPU, and the part not overlapped.
  double tp_comm_s = 0, pp_comm_s = 0, dp_comm_s = 0, cp_comm_s = 0, ep_comm_s = 0;
  double tp_exposed_s = 0, pp_exposed_s = 0, dp_exposed_s = 0, cp_exposed_s = 0, ep_exposed_s = 0;
  double model_flops_per_step = 0;  // 6N-style model FLOPs (no recomputation), all GPUs
  double tokens_per_step = 0;
  double tokens_per_s = 0;
  double mfu = 0;                   // model FLOP/s per GPU over the dense peak of the plan's precision
  MemoryUse memory;                 // per GPU, the most loaded pipeline stage
};

// Training FLOPs per token: 6 x active layer parameters (forward 2, backward 4) + the output layer (6 h V) +
// causal attention scores (6 s heads d_qk/2 + 6 s heads d_v/2 per layer: QK^T and AV over s/2 keys on average).
double model_flops_per_token(const hw::ModelSpec& model, long long sequence_length);

// Dense peak FLOP/s of the GPU at this precision; 0 if the GPU has no such tensor cores.
double peak_flops(const hw::GpuSpec& gpu, Precision precision);

// Why the plan cannot run on this hardware ("" if it can): GPUs not divisible, batch not divisible, heads or
// experts not divisible, precision not supported, or memory above HBM (saying by how much).
std::string plan_problem(const hw::ModelSpec& model, const TrainingPlan& plan, const Machine& machine);

MemoryUse memory_per_gpu(const hw::ModelSpec& model, const TrainingPlan& plan);

// One step. The plan must be valid (plan_problem empty).
StepBreakdown step_time(const hw::ModelSpec& model, const TrainingPlan& plan, const Machine& machine);

// Calibration of a software stack: the kernel_efficiency at which `plan` (its own kernel_efficiency ignored) takes
// `measured_step_s` per step, to 1e-6 relative, by bisection (the step time falls as the efficiency rises: compute
// only ever hides communication, never adds to it). When no efficiency in [kMinKernelEfficiency,
// kMaxKernelEfficiency] reaches it, the bound nearer to it: check the fitted plan's step time.
double fit_kernel_efficiency(const hw::ModelSpec& model, TrainingPlan plan, const Machine& machine, double measured_step_s);

}  // namespace fleetsim::training

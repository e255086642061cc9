#pragma once
// A toy training setup with round numbers, for tests that compute step times by hand: a small dense model whose
// GEMMs are all compute-bound, a GPU of 100 TFLOP/s at efficiency 0.5, NVLink at 100 GB/s, NICs at 10 GB/s.
#include "hw/catalog.hpp"
#include "sim/training/machine.hpp"
#include "sim/training/step_time.hpp"

namespace fleetsim::testing {

// A small dense model whose GEMMs are all compute-bound on the toy GPU below.
inline hw::ModelSpec toy_model() {
  hw::ModelSpec model;
  model.id = "toy";
  model.layers = 4;
  model.hidden = 1024;
  model.heads = 8;
  model.kv_heads = 8;
  model.ffn = 4096;
  model.gated_mlp = false;
  model.vocabulary = 1000;
  model.tied_embeddings = true;
  return model;
}

// Round figures: 100 TFLOP/s at efficiency 0.5 -> 50 TFLOP/s achieved; HBM 1 TB/s at 0.5; no kernel overheads.
inline training::Machine toy_machine() {
  training::Machine machine;
  machine.gpu.id = "toy-gpu";
  machine.gpu.bf16_dense_tflops = 100;
  machine.gpu.memory_gb = 80;
  machine.gpu.memory_bandwidth_tb_s = 1;
  machine.node.id = "toy-node";
  machine.node.gpus = 8;
  machine.node.nvlink_domain_gpus = 8;
  machine.fit.gemm_efficiency = 0.5;
  machine.fit.memory_efficiency = 0.5;
  machine.fit.allreduce_latency_us = 10;
  machine.fit.allreduce_bus_gb_s = 100;
  machine.scale_out.gb_s_per_gpu = 10;
  machine.scale_out.latency_s = 20e-6;
  return machine;
}

inline training::TrainingPlan toy_plan(int gpus, training::Parallelism parallelism) {
  training::TrainingPlan plan;
  plan.gpus = gpus;
  plan.sequence_length = 2048;
  plan.global_batch_size = 64;
  plan.parallelism = parallelism;
  return plan;
}

// The step of tests/scenarios/training.toml's Llama 3 405B run (8,192 H100 in DGX H100 nodes on ib-ndr-400, 8k
// sequences, batch 2,048, tp 8 pp 16, gradients sharded and reduced in fp32) under `cap_w`, from the library.
inline training::StepBreakdown llama3_405b_8192_step(const hw::Catalog& catalog, double cap_w = 0) {
  training::TrainingPlan plan;
  plan.gpus = 8192;
  plan.sequence_length = 8192;
  plan.global_batch_size = 2048;
  plan.sharding = training::Sharding::gradients;
  plan.reduce_in_fp32 = true;
  plan.parallelism = {8, 16, 1, 1, 1};
  const training::Machine machine =
      training::machine_for(catalog, *catalog.find_node("dgx-h100"), catalog.find_fabric("ib-ndr-400"), cap_w);
  return training::step_time(*catalog.find_model("llama3-405b"), plan, machine);
}

}  // namespace fleetsim::testing

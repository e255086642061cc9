#pragma once
// A toy serving setup with round numbers, for tests that compute iteration times by hand (tests/unit/inference/):
// a 2-layer dense model, a GPU of 100 TFLOP/s at efficiency 0.5 with 1 TB/s of HBM, a linear 100-500 W power
// curve, no kernel overheads.
#include "hw/catalog.hpp"
#include "sim/training/machine.hpp"

namespace fleetsim::testing {

inline hw::ModelSpec toy_serving_model() {
  hw::ModelSpec model;
  model.id = "toy";
  model.layers = 2;
  model.hidden = 1000;
  model.heads = 10;
  model.kv_heads = 10;
  model.head_dim = 100;
  model.ffn = 4000;
  model.gated_mlp = false;
  model.vocabulary = 1000;
  return model;
}

inline training::Machine toy_serving_machine(double memory_gb = 80) {
  training::Machine machine;
  machine.gpu.id = "toy-gpu";
  machine.gpu.idle_w = 100;
  machine.gpu.max_w = 500;  // linear power curve
  machine.gpu.memory_gb = memory_gb;
  machine.gpu.memory_bandwidth_tb_s = 1.0;
  machine.gpu.bf16_dense_tflops = 100;
  machine.node.id = "toy-node";
  machine.node.gpus = 8;
  machine.fit.gemm_efficiency = 0.5;           // 50 TFLOP/s achieved
  machine.fit.memory_efficiency = 0.5;         // 0.5 TB/s for element-wise and KV reads
  machine.fit.decode_memory_efficiency = 1.0;  // 1 TB/s for weights
  machine.fit.gemm_overhead_us = 0;
  machine.fit.elementwise_overhead_us = 0;
  machine.fit.allreduce_latency_us = 10;
  machine.fit.allreduce_bus_gb_s = 100;
  return machine;
}

}  // namespace fleetsim::testing

#pragma once
// A toy serving setup with round numbers, for tests that compute iteration times by hand (tests/unit/inference/):
// a 2-layer dense model, a GPU of 100 TFLOP/s at efficiency 0.5 with 1 TB/s of HBM, a linear 100-500 W power
// curve, no kernel overheads.
#include "hw/catalog.hpp"
#include "sim/training/machine.hpp"
#include "tests/support/toy_training.hpp"

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

// The toy training machine (toy_training.hpp) with a linear 100-500 W power curve and weights read at the full
// HBM bandwidth when decoding.
inline training::Machine toy_serving_machine(double memory_gb = 80) {
  training::Machine machine = toy_machine();
  machine.gpu.idle_w = 100;
  machine.gpu.max_w = 500;  // linear power curve
  machine.gpu.memory_gb = memory_gb;
  machine.fit.decode_memory_efficiency = 1.0;  // 1 TB/s for weights (element-wise and KV reads at 0.5 TB/s)
  return machine;
}

}  // namespace fleetsim::testing

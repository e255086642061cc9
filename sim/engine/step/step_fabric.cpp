#include "sim/engine/step/step_fabric.hpp"

#include <algorithm>

namespace fleetsim {

StepFabric step_fabric(const training::Machine& machine) {
  const training::ScaleOut& scale_out = machine.scale_out;
  StepFabric out;
  out.node_gpus = std::max(1, machine.node.gpus);
  out.nic_bytes_per_s = scale_out.gb_s_per_gpu * 1e9;
  out.nic_latency_s = scale_out.latency_s / 2;
  out.nvlink_bytes_per_s = machine.fit.allreduce_bus_gb_s * 1e9;
  out.rail_optimized = scale_out.rail_optimized;
  out.spine_latency_s = scale_out.switch_latency_s;
  out.nodes_per_leaf = scale_out.leaf_nodes;
  const double gpus_per_leaf = double(out.nodes_per_leaf) * (out.rail_optimized ? 1 : out.node_gpus);
  out.oversubscription = scale_out.oversubscription;
  out.uplink_bytes_per_s = gpus_per_leaf * out.nic_bytes_per_s / out.oversubscription;
  return out;
}

}  // namespace fleetsim

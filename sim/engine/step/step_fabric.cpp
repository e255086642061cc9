#include "sim/engine/step/step_fabric.hpp"

#include <algorithm>
#include <cmath>

namespace fleetsim {

StepFabric step_fabric(const training::Machine& machine, const hw::FabricSpec* fabric) {
  StepFabric out;
  out.node_gpus = std::max(1, machine.node.gpus);
  out.nic_bytes_per_s = machine.scale_out.gb_s_per_gpu * 1e9;
  out.nic_latency_s = machine.scale_out.latency_s / 2;
  out.nvlink_bytes_per_s = machine.fit.allreduce_bus_gb_s * 1e9;
  if (!fabric) return out;
  out.rail_optimized = fabric->topology == "rail-optimized";
  out.spine_latency_s = fabric->switch_latency_us * 1e-6;
  const double oversubscription = std::max(1.0, fabric->oversubscription);
  const double down_ports = std::floor(fabric->switch_radix * oversubscription / (1 + oversubscription));
  if (down_ports < 1) return out;
  // A node puts one port on each rail's leaf, or all its NICs on one leaf.
  const double ports_per_node = out.rail_optimized ? 1.0 : std::max(1, machine.node.nic_count);
  out.nodes_per_leaf = std::max(1LL, static_cast<long long>(down_ports / ports_per_node));
  const double gpus_per_leaf = double(out.nodes_per_leaf) * (out.rail_optimized ? 1 : out.node_gpus);
  out.uplink_bytes_per_s = gpus_per_leaf * out.nic_bytes_per_s / oversubscription;
  return out;
}

}  // namespace fleetsim

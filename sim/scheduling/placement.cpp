#include "sim/scheduling/placement.hpp"

namespace fleetsim {

std::optional<Placement> best_fit_placement(const ClusterState& cluster, int cluster_index, int gpus) {
  const int per_node = cluster.gpus_per_node();
  if (gpus > cluster.free_gpus()) return std::nullopt;
  Placement placement;
  placement.cluster = cluster_index;
  if (gpus <= per_node) {
    for (int free = gpus; free <= per_node; ++free) {
      const auto& nodes = cluster.nodes_with_free(free);
      if (!nodes.empty()) {
        placement.parts.emplace_back(nodes.back(), gpus);
        return placement;
      }
    }
    return std::nullopt;
  }
  const int nodes_needed = (gpus + per_node - 1) / per_node;
  const auto& free_nodes = cluster.nodes_with_free(per_node);
  if (static_cast<int>(free_nodes.size()) < nodes_needed) return std::nullopt;
  for (int i = 0; i < nodes_needed; ++i)
    placement.parts.emplace_back(free_nodes[free_nodes.size() - 1 - i], per_node);
  return placement;
}

}  // namespace fleetsim

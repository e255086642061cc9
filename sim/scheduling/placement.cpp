#include "sim/scheduling/placement.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "sim/core/name_list.hpp"

namespace fleetsim {

namespace {
int nodes_needed(const ClusterState& cluster, int gpus) {
  return (gpus + cluster.gpus_per_node() - 1) / cluster.gpus_per_node();
}

std::optional<Placement> whole_nodes(const std::vector<int>& nodes, int cluster_index, int per_node) {
  Placement placement;
  placement.cluster = cluster_index;
  placement.parts.reserve(nodes.size());
  for (int node : nodes) placement.parts.emplace_back(node, per_node);
  return placement;
}

std::optional<Placement> first_fit(const ClusterState& cluster, int cluster_index, int gpus, const HostRequest& host) {
  const int per_node = cluster.gpus_per_node();
  if (gpus <= per_node) {
    for (int node = 0; node < cluster.node_count(); ++node)
      if (cluster.free_gpus_on(node) >= gpus && cluster.host_fits(node, host.cpu_milli, host.memory_mib))
        return Placement{cluster_index, {{node, gpus}}};
    return std::nullopt;
  }
  const int needed = nodes_needed(cluster, gpus);
  if (static_cast<int>(cluster.nodes_with_free(per_node).size()) < needed) return std::nullopt;
  std::vector<int> chosen;
  for (int node = 0; node < cluster.node_count() && static_cast<int>(chosen.size()) < needed; ++node)
    if (cluster.free_gpus_on(node) == per_node) chosen.push_back(node);
  return whole_nodes(chosen, cluster_index, per_node);
}

// Multi-node jobs: whole free nodes from the racks that hold the most of them, preferring one rack that
// holds the whole job (the fullest such rack, to keep emptier racks whole for larger jobs).
std::optional<Placement> topology_aware(const ClusterState& cluster, int cluster_index, int gpus, int nodes_per_rack,
                                        const HostRequest& host) {
  const int per_node = cluster.gpus_per_node();
  if (gpus <= per_node) return best_fit_placement(cluster, cluster_index, gpus, host);
  const int needed = nodes_needed(cluster, gpus);
  if (static_cast<int>(cluster.nodes_with_free(per_node).size()) < needed) return std::nullopt;
  const int racks = (cluster.node_count() + nodes_per_rack - 1) / nodes_per_rack;
  std::vector<std::vector<int>> free_in_rack(racks);
  for (int node : cluster.nodes_with_free(per_node)) free_in_rack[node / nodes_per_rack].push_back(node);
  for (auto& nodes : free_in_rack) std::sort(nodes.begin(), nodes.end());
  std::vector<int> order(racks);
  for (int r = 0; r < racks; ++r) order[r] = r;
  // One rack that holds the job: the one with the fewest free nodes that suffices.
  int single = -1;
  for (int r = 0; r < racks; ++r) {
    const int size = static_cast<int>(free_in_rack[r].size());
    if (size >= needed && (single < 0 || size < static_cast<int>(free_in_rack[single].size()))) single = r;
  }
  std::vector<int> chosen;
  if (single >= 0) {
    chosen.assign(free_in_rack[single].begin(), free_in_rack[single].begin() + needed);
    return whole_nodes(chosen, cluster_index, per_node);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return free_in_rack[a].size() > free_in_rack[b].size(); });
  for (int r : order)
    for (int node : free_in_rack[r])
      if (static_cast<int>(chosen.size()) < needed) chosen.push_back(node);
  return whole_nodes(chosen, cluster_index, per_node);
}

std::optional<Placement> fragmentation_aware(const ClusterState& cluster, int cluster_index, int gpus,
                                             const std::vector<double>& size_above, const HostRequest& host) {
  const int per_node = cluster.gpus_per_node();
  if (gpus > per_node || size_above.empty() || cluster.models_host())
    return best_fit_placement(cluster, cluster_index, gpus, host);
  int best_free = -1;
  double best_growth = std::numeric_limits<double>::infinity();
  for (int free = gpus; free <= per_node; ++free) {
    if (cluster.nodes_with_free(free).empty()) continue;
    const double growth = node_fragmentation(free - gpus, size_above) - node_fragmentation(free, size_above);
    if (growth < best_growth - 1e-12) {  // ties: the fuller node (smaller free), as best fit
      best_growth = growth;
      best_free = free;
    }
  }
  if (best_free < 0) return std::nullopt;
  return Placement{cluster_index, {{cluster.nodes_with_free(best_free).back(), gpus}}};
}
}  // namespace

double node_fragmentation(int free, const std::vector<double>& size_above) {
  if (free <= 0 || size_above.empty()) return 0;
  return free * size_above[std::min<std::size_t>(free, size_above.size() - 1)];
}

std::optional<Placement> best_fit_placement(const ClusterState& cluster, int cluster_index, int gpus,
                                            const HostRequest& host) {
  const int per_node = cluster.gpus_per_node();
  if (gpus > cluster.free_gpus()) return std::nullopt;
  if (gpus <= per_node) {
    for (int free = gpus; free <= per_node; ++free) {
      const auto& nodes = cluster.nodes_with_free(free);
      if (!cluster.models_host()) {
        if (!nodes.empty()) return Placement{cluster_index, {{nodes.back(), gpus}}};
        continue;
      }
      for (auto node = nodes.rbegin(); node != nodes.rend(); ++node)
        if (cluster.host_fits(*node, host.cpu_milli, host.memory_mib)) return Placement{cluster_index, {{*node, gpus}}};
    }
    return std::nullopt;
  }
  const int needed = nodes_needed(cluster, gpus);
  const auto& free_nodes = cluster.nodes_with_free(per_node);
  if (static_cast<int>(free_nodes.size()) < needed) return std::nullopt;
  // The last `needed` nodes of the bucket, from the back (the most recently freed first).
  Placement placement{cluster_index, {}};
  placement.parts.reserve(needed);
  for (auto node = free_nodes.rbegin(); node != free_nodes.rbegin() + needed; ++node)
    placement.parts.emplace_back(*node, per_node);
  return placement;
}

std::optional<Placement> find_placement(PlacementStrategy strategy, const ClusterState& cluster, int cluster_index,
                                        int gpus, const PlacementContext& context, const HostRequest& host) {
  if (!cluster.fits(gpus)) return std::nullopt;
  std::optional<Placement> placement;
  switch (strategy) {
    case PlacementStrategy::best_fit: placement = best_fit_placement(cluster, cluster_index, gpus, host); break;
    case PlacementStrategy::first_fit: placement = first_fit(cluster, cluster_index, gpus, host); break;
    case PlacementStrategy::topology_aware:
      placement = topology_aware(cluster, cluster_index, gpus, std::max(1, context.nodes_per_rack), host);
      break;
    case PlacementStrategy::fragmentation_aware:
      placement = fragmentation_aware(cluster, cluster_index, gpus, context.size_above, host);
      break;
  }
  if (placement && placement->parts.size() == 1 && cluster.models_host()) {
    placement->cpu_milli = host.cpu_milli;
    placement->memory_mib = host.memory_mib;
  }
  return placement;
}

}  // namespace fleetsim

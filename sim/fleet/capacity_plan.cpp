#include "sim/fleet/capacity_plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace fleetsim {

namespace {
int cluster_index(const Fleet& fleet, int campus, const std::string& name) {
  for (int cluster : fleet.campuses[campus].clusters)
    if (fleet.clusters[cluster].name == name) return cluster;
  throw std::logic_error("maintenance names a cluster the fleet does not have: " + name);
}
}  // namespace

std::vector<CapacityChange> capacity_plan(const Scenario& scenario, const Fleet& fleet, double horizon_s) {
  std::vector<CapacityChange> changes;
  for (std::size_t c = 0; c < scenario.campuses.size(); ++c) {
    for (const ClusterConfig& config : scenario.campuses[c].clusters) {
      const int cluster = cluster_index(fleet, static_cast<int>(c), config.name);
      if (config.commission_s > 0 && config.commission_s < horizon_s)
        changes.push_back({CapacityChange::Kind::commission, config.commission_s, cluster, 0, config.nodes, 0, false});
      if (config.decommission_s < horizon_s)
        changes.push_back(
            {CapacityChange::Kind::decommission, config.decommission_s, cluster, 0, config.nodes, 0, true});
    }
  }
  for (const MaintenanceConfig& window : scenario.maintenance) {
    const int cluster = cluster_index(fleet, scenario.campus_index(window.campus), window.cluster);
    for (double start = window.start_s; start < horizon_s; start += window.every_s) {
      changes.push_back({CapacityChange::Kind::maintenance, start, cluster, window.first_node, window.nodes,
                         window.duration_s, window.drain});
      if (window.every_s <= 0) break;
    }
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const CapacityChange& a, const CapacityChange& b) { return a.time_s < b.time_s; });
  return changes;
}

}  // namespace fleetsim

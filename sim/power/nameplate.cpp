#include "sim/power/nameplate.hpp"

#include <algorithm>
#include <cmath>

namespace fleetsim {

double campus_pue(const Scenario& scenario, const CampusConfig& campus, long long hour) {
  if (campus.cooling.empty()) return campus.pue;
  const long long offset_hours = static_cast<long long>(std::floor(scenario.simulation.year_offset_s / 3600));
  return scenario.hardware.find_cooling(campus.cooling)->pue(campus.ambient_c.at_hour(hour, offset_hours));
}

double node_full_power_w(const Scenario& scenario, const ClusterConfig& cluster) {
  const hw::NodeSpec& node = *scenario.hardware.find_node(cluster.node);
  const hw::GpuSpec& gpu = *scenario.hardware.find_gpu(node.gpu);
  return node.base_full_w + node.gpus * gpu.power_w(1.0, cluster.power_cap_w);
}

CampusNameplate campus_nameplate(const Scenario& scenario, const CampusConfig& campus) {
  CampusNameplate nameplate;
  // The most the installed clusters can draw at once: clusters commissioned later add, decommissioned ones leave.
  for (const ClusterConfig& when : campus.clusters) {
    double it_w = 0;
    for (const ClusterConfig& cluster : campus.clusters)
      if (cluster.commission_s <= when.commission_s && when.commission_s < cluster.decommission_s)
        it_w += cluster.nodes * node_full_power_w(scenario, cluster);
    nameplate.it_w = std::max(nameplate.it_w, it_w);
  }
  for (const ClusterConfig& cluster : campus.clusters) {
    const double node_w = node_full_power_w(scenario, cluster);
    if (cluster.rack_limit_w > 0)
      nameplate.rack_ratio = std::max(nameplate.rack_ratio, std::min(cluster.nodes_per_rack, cluster.nodes) * node_w /
                                                                cluster.rack_limit_w);
  }
  nameplate.max_pue = campus.pue;
  if (!campus.cooling.empty()) {
    const hw::CoolingSpec& cooling = *scenario.hardware.find_cooling(campus.cooling);
    nameplate.max_pue = cooling.pue(campus.ambient_c.max());
  }
  nameplate.facility_w = nameplate.it_w * nameplate.max_pue;
  return nameplate;
}

}  // namespace fleetsim

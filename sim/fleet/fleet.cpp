#include "sim/fleet/fleet.hpp"

namespace fleetsim {

int Fleet::total_gpus() const {
  int total = 0;
  for (const Campus& campus : campuses) total += campus.gpus;
  return total;
}

Fleet build_fleet(const Scenario& scenario) {
  Fleet fleet;
  for (std::size_t c = 0; c < scenario.campuses.size(); ++c) {
    const CampusConfig& config = scenario.campuses[c];
    Campus campus;
    campus.name = config.name;
    for (const ClusterConfig& cluster_config : config.clusters) {
      const hw::NodeSpec* node = scenario.hardware.find_node(cluster_config.node);
      const hw::GpuSpec* gpu = scenario.hardware.find_gpu(node->gpu);
      campus.clusters.push_back(static_cast<int>(fleet.clusters.size()));
      campus.gpus += cluster_config.nodes * node->gpus;
      campus.idle_power_w += cluster_config.nodes * node->idle_power_w(*gpu);
      fleet.clusters.push_back(
          Cluster{cluster_config.name, static_cast<int>(c), node, gpu, cluster_config.power_cap_w,
                  ClusterState(cluster_config.nodes, node->gpus)});
    }
    fleet.campuses.push_back(std::move(campus));
  }
  return fleet;
}

}  // namespace fleetsim

#include "sim/fleet/fleet.hpp"

#include <algorithm>

namespace fleetsim {

int Fleet::total_gpus() const {
  int total = 0;
  for (const Campus& campus : campuses) total += campus.gpus;
  return total;
}

namespace {
// Default compute NIC when a node gives none: one 400 Gb/s port per GPU (DGX H100: 8x ConnectX-7 400 Gb/s,
// NVIDIA DGX H100 datasheet 2023).
constexpr double kDefaultNicGbpsPerGpu = 400;

// Network figures of a cluster from its node's NICs and its fabric (non-blocking, no latency if none).
void connect(Cluster& cluster, int nodes) {
  const hw::NodeSpec& node = *cluster.node;
  double nic_gbps = node.nic_count > 0 && node.nic_gbps > 0 ? node.nic_count * node.nic_gbps
                                                             : node.gpus * kDefaultNicGbpsPerGpu;
  double oversubscription = 1.0;
  if (cluster.fabric) {
    // A NIC runs at most at the fabric's port rate.
    if (node.nic_count > 0 && node.nic_gbps > cluster.fabric->link_gbps) nic_gbps = node.nic_count * cluster.fabric->link_gbps;
    oversubscription = cluster.fabric->oversubscription;
    cluster.nic_latency_s = cluster.fabric->switch_latency_us * 1e-6;        // leaf
    cluster.uplink_latency_s = 2 * cluster.fabric->switch_latency_us * 1e-6;  // spine and core
  }
  cluster.nic_bytes_per_s = nic_gbps * 1e9 / 8;
  cluster.uplink_bytes_per_s = nodes * cluster.nic_bytes_per_s / oversubscription;
}
}  // namespace

Fleet build_fleet(const Scenario& scenario) {
  Fleet fleet;
  const std::vector<std::string> gpu_types = scenario.gpu_types();
  for (std::size_t c = 0; c < scenario.campuses.size(); ++c) {
    const CampusConfig& config = scenario.campuses[c];
    Campus campus;
    campus.name = config.name;
    for (const ClusterConfig& cluster_config : config.clusters) {
      const hw::NodeSpec* node = scenario.hardware.find_node(cluster_config.node);
      const hw::GpuSpec* gpu = scenario.hardware.find_gpu(node->gpu);
      campus.clusters.push_back(static_cast<int>(fleet.clusters.size()));
      const bool installed = cluster_config.commission_s <= 0;
      campus.gpus += cluster_config.nodes * node->gpus;
      if (installed) campus.idle_power_w += cluster_config.nodes * node->idle_power_w(*gpu);
      Cluster cluster{cluster_config.name, static_cast<int>(c), static_cast<int>(campus.clusters.size()) - 1, node, gpu, cluster_config.power_cap_w, 0,
                      ClusterState(cluster_config.nodes, node->gpus, installed), SharedGpus{}};
      cluster.fabric = scenario.hardware.find_fabric(cluster_config.fabric);
      const auto& types = gpu_types;
      cluster.gpu_type = static_cast<int>(std::find(types.begin(), types.end(), gpu->id) - types.begin());
      if (!cluster_config.node_cpu_milli.empty())
        cluster.state.set_host_capacity(cluster_config.node_cpu_milli, cluster_config.node_memory_mib);
      connect(cluster, cluster_config.nodes);
      cluster.nodes_per_rack = cluster_config.nodes_per_rack;
      cluster.rack_limit_w = cluster_config.rack_limit_w;
      cluster.power_limit_w = cluster_config.power_limit_w;
      cluster.commission_s = cluster_config.commission_s;
      fleet.clusters.push_back(std::move(cluster));
    }
    fleet.campuses.push_back(std::move(campus));
  }
  for (const LinkConfig& link : scenario.links) {
    const hw::FabricSpec& fabric = *scenario.hardware.find_fabric(link.fabric);
    fleet.links.push_back({scenario.campus_index(link.from), scenario.campus_index(link.to),
                           link.wavelengths * fabric.link_gbps * 1e9 / 8,
                           link.distance_km * fabric.fiber_latency_us_per_km * 1e-6});
  }
  return fleet;
}

}  // namespace fleetsim

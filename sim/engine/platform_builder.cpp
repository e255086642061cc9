#include "sim/engine/platform_builder.hpp"

#include <simgrid/s4u.hpp>

namespace fleetsim {

namespace {
namespace sg4 = simgrid::s4u;
// NIC bandwidth per node, B/s: 8 × 400 Gb/s compute NICs on a DGX H100 (NVIDIA DGX H100 datasheet,
// 2023: eight ConnectX-7 400 Gb/s). Used until the fabric catalog gives per-node NICs.
constexpr double kNodeNicBytesPerS = 8 * 400e9 / 8;
constexpr double kNodeNicLatencyS = 1e-6;
// Cluster uplink to the campus: a placeholder fabric until fabrics are modelled; it is not yet used by any
// transfer, so its value does not affect results.
constexpr double kClusterUplinkBytesPerS = 1e13;
}  // namespace

PlatformSummary build_platform(const Fleet& fleet) {
  PlatformSummary summary;
  auto* root = sg4::create_star_zone("fleet");
  ++summary.zones;
  for (const Campus& campus : fleet.campuses) {
    auto* campus_zone = sg4::create_star_zone(campus.name);
    campus_zone->set_parent(root);
    ++summary.zones;
    for (int cluster_index : campus.clusters) {
      const Cluster& cluster = fleet.clusters[cluster_index];
      const std::string prefix = campus.name + "/" + cluster.name;
      auto* zone = sg4::create_star_zone(prefix);
      zone->set_parent(campus_zone);
      ++summary.zones;
      const double flops = cluster.gpu->bf16_dense_tflops > 0 ? cluster.gpu->bf16_dense_tflops * 1e12 : 1e12;
      for (int node = 0; node < cluster.state.node_count(); ++node) {
        const std::string name = prefix + "/n" + std::to_string(node);
        sg4::Host* host = zone->create_host(name, flops * cluster.node->gpus);
        sg4::Link* nic = zone->create_link(name + "/nic", kNodeNicBytesPerS)->set_latency(kNodeNicLatencyS);
        zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(nic)}, true);
        ++summary.hosts;
        ++summary.links;
      }
      auto* router = zone->create_router(prefix + "/router");
      zone->seal();
      sg4::Link* uplink = campus_zone->create_link(prefix + "/uplink", kClusterUplinkBytesPerS)->seal();
      campus_zone->add_route(zone->get_netpoint(), nullptr, router, nullptr, {sg4::LinkInRoute(uplink)}, true);
      ++summary.links;
    }
    campus_zone->create_router(campus.name + "/router");
    campus_zone->seal();
  }
  root->seal();
  return summary;
}

}  // namespace fleetsim

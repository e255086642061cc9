#include "sim/engine/platform_builder.hpp"

#include <simgrid/s4u.hpp>

namespace fleetsim {

namespace {
namespace sg4 = simgrid::s4u;
}  // namespace

PlatformSummary build_platform(const Fleet& fleet, bool gateways) {
  PlatformSummary summary;
  // Campuses joined by explicit fibre links need a full routing table at the top (campuses are few);
  // otherwise a star zone costs nothing.
  auto* root = fleet.links.empty() ? sg4::create_star_zone("fleet") : sg4::create_full_zone("fleet");
  ++summary.zones;
  std::vector<sg4::NetZone*> campus_zones;
  std::vector<simgrid::kernel::routing::NetPoint*> campus_routers;
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
        sg4::Link* nic = zone->create_link(name + "/nic", cluster.nic_bytes_per_s)->set_latency(cluster.nic_latency_s);
        zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(nic)}, true);
        ++summary.hosts;
        ++summary.links;
      }
      auto* router = zone->create_router(prefix + "/router");
      zone->seal();
      sg4::Link* uplink = campus_zone->create_link(prefix + "/uplink", cluster.uplink_bytes_per_s)
                              ->set_latency(cluster.uplink_latency_s)
                              ->seal();
      campus_zone->add_route(zone->get_netpoint(), nullptr, router, nullptr, {sg4::LinkInRoute(uplink)}, true);
      ++summary.links;
    }
    // The campus gateway sits in a core zone of its own: SimGrid's route search only descends into
    // sibling zones, so a router placed directly beside the cluster zones would cut their links out of
    // inter-campus routes.
    auto* core = sg4::create_star_zone(campus.name + "/core");
    core->set_parent(campus_zone);
    ++summary.zones;
    auto* router = core->create_router(campus.name + "/router");
    if (gateways) {
      sg4::Host* gateway = core->create_host(campus.name + "/gateway", 1e9);
      core->add_route(gateway->get_netpoint(), nullptr, nullptr, nullptr, {}, true);
      ++summary.hosts;
    }
    core->seal();
    campus_zone->add_route(core->get_netpoint(), nullptr, router, nullptr, {}, true);
    campus_routers.push_back(router);
    campus_zone->seal();
    campus_zones.push_back(campus_zone);
  }
  for (const FleetLink& link : fleet.links) {
    const std::string name = fleet.campuses[link.from].name + "--" + fleet.campuses[link.to].name;
    sg4::Link* fibre = root->create_link(name, link.bytes_per_s)->set_latency(link.latency_s)->seal();
    root->add_route(campus_zones[link.from]->get_netpoint(), campus_zones[link.to]->get_netpoint(),
                    campus_routers[link.from], campus_routers[link.to], {sg4::LinkInRoute(fibre)}, true);
    ++summary.links;
  }
  root->seal();
  return summary;
}

}  // namespace fleetsim

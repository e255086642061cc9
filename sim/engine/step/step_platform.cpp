#include "sim/engine/step/step_platform.hpp"

#include <set>
#include <stdexcept>
#include <string>

#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace fleetsim {

namespace sg4 = simgrid::s4u;

namespace {

// A star zone under `root` with a gateway, whose members reach it through their own link.
struct Switch {
  sg4::NetZone* zone = nullptr;
  simgrid::kernel::routing::NetPoint* gateway = nullptr;
};

Switch make_switch(sg4::NetZone* root, const std::string& name) {
  Switch out;
  out.zone = sg4::create_star_zone(name);
  out.zone->set_parent(root);
  out.gateway = out.zone->create_router(name + "-gw");
  return out;
}

// A host on `zone` behind its own split-duplex link (one direction per way, as a port).
sg4::Host* attach(const Switch& to, const std::string& name, double bytes_per_s, double latency_s) {
  sg4::Host* host = to.zone->create_host(name, 1.0);
  sg4::Link* link = to.zone->create_split_duplex_link(name, bytes_per_s)->set_latency(latency_s)->seal();
  to.zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {{link, sg4::LinkInRoute::Direction::UP}}, true);
  return host;
}

}  // namespace

StepPlatform::StepPlatform(const training::JobLayout& layout, const StepFabric& fabric,
                           const std::vector<const FlowSet*>& flow_sets)
    : layout_(layout) {
  std::set<long long> nvlink_ranks, nic_ranks;
  for (const FlowSet* set : flow_sets)
    for (const Flow& flow : set->flows) {
      auto& ranks = layout.same_domain(flow.from, flow.to) ? nvlink_ranks : nic_ranks;
      ranks.insert(flow.from);
      ranks.insert(flow.to);
    }
  sg4::NetZone* root = sg4::create_star_zone("job");
  controller_ = root->create_host("controller", 1.0);
  std::map<long long, Switch> domains, leaves;
  for (long long rank : nvlink_ranks) {
    const long long domain = rank / layout.domain_gpus();
    auto [it, added] = domains.try_emplace(domain);
    if (added) it->second = make_switch(root, "nvlink-" + std::to_string(domain));
    nvlink_hosts_[rank] = attach(it->second, "gpu-" + std::to_string(rank), fabric.nvlink_bytes_per_s, 0);
  }
  for (long long rank : nic_ranks) {
    const long long leaf = fabric.leaf(layout.node(rank), layout.local(rank));
    auto [it, added] = leaves.try_emplace(leaf);
    if (added) it->second = make_switch(root, "leaf-" + std::to_string(leaf));
    nic_hosts_[rank] = attach(it->second, "nic-" + std::to_string(rank), fabric.nic_bytes_per_s, fabric.nic_latency_s);
  }
  for (auto& [index, domain] : domains) domain.zone->seal();  // no route to the spines: NVLink traffic stays inside
  for (auto& [index, leaf] : leaves) {
    leaf.zone->seal();
    // Without a leaf size every node hangs off one switch: no uplink is ever crossed.
    const double uplink = fabric.nodes_per_leaf > 0 ? fabric.uplink_bytes_per_s : fabric.nic_bytes_per_s * layout.gpus();
    sg4::Link* link = root->create_split_duplex_link("uplink-" + std::to_string(index), uplink)
                          ->set_latency(fabric.spine_latency_s)
                          ->seal();
    root->add_route(leaf.zone->get_netpoint(), nullptr, leaf.gateway, nullptr, {{link, sg4::LinkInRoute::Direction::UP}},
                    true);
  }
  root->seal();
}

sg4::Host* StepPlatform::endpoint(const Flow& flow, bool source) const {
  const long long rank = source ? flow.from : flow.to;
  const auto& hosts = layout_.same_domain(flow.from, flow.to) ? nvlink_hosts_ : nic_hosts_;
  const auto it = hosts.find(rank);
  if (it == hosts.end()) throw std::logic_error("no platform endpoint for rank " + std::to_string(rank));
  return it->second;
}

}  // namespace fleetsim

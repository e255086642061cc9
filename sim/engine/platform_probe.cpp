#include "sim/engine/platform_probe.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

namespace fleetsim {

struct PlatformProbe::EngineHolder {
  simgrid::s4u::Engine engine{"fleetsim-platform"};
};

PlatformProbe::PlatformProbe(const Fleet& fleet) : engine_(std::make_unique<EngineHolder>()) {
  xbt_log_control_set("root.thres:critical");
  summary_ = build_platform(fleet);
}

PlatformProbe::~PlatformProbe() = default;

std::size_t PlatformProbe::host_count() const { return engine_->engine.get_host_count(); }

LinkFigures PlatformProbe::link(const std::string& name) const {
  const auto* link = simgrid::s4u::Link::by_name(name);
  return {link->get_bandwidth(), link->get_latency()};
}

RouteFigures PlatformProbe::route(const std::string& from_host, const std::string& to_host) const {
  std::vector<simgrid::s4u::Link*> links;
  RouteFigures figures;
  simgrid::s4u::Host::by_name(from_host)->route_to(simgrid::s4u::Host::by_name(to_host), links, &figures.latency_s);
  for (const auto* link : links) figures.links.push_back(link->get_name());
  return figures;
}

}  // namespace fleetsim

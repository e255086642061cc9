#include "sim/power/nameplate.hpp"

#include <algorithm>
#include <cmath>

namespace fleetsim {

double campus_pue(const Scenario& scenario, const CampusConfig& campus, long long hour) {
  if (campus.cooling.empty()) return campus.pue;
  return scenario.hardware.find_cooling(campus.cooling)->pue(campus.ambient_c.at_hour(scenario.simulation.calendar.signal_hour(hour)));
}

double node_full_power_w(const Scenario& scenario, const ClusterConfig& cluster) {
  const hw::NodeSpec& node = *scenario.hardware.find_node(cluster.node);
  const hw::GpuSpec& gpu = *scenario.hardware.find_gpu(node.gpu);
  return node.base_full_w + node.gpus * gpu.power_w(1.0, cluster.power_cap_w);
}

CampusNameplate campus_nameplate(const Scenario& scenario, const CampusConfig& campus) {
  CampusNameplate nameplate;
  // The most the installed clusters and loads can draw at once: clusters commissioned later add, decommissioned
  // ones leave.
  for (const ClusterConfig& when : campus.clusters)
    nameplate.it_w = std::max(nameplate.it_w, installed_it_w(scenario, campus, when.commission_s));
  for (const NonGpuLoad& when : campus.loads)
    nameplate.it_w = std::max(nameplate.it_w, installed_it_w(scenario, campus, when.start_s));
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

double installed_it_w(const Scenario& scenario, const CampusConfig& campus, double time_s) {
  double it_w = 0;
  for (const ClusterConfig& cluster : campus.clusters)
    if (cluster.commission_s <= time_s && time_s < cluster.decommission_s)
      it_w += cluster.nodes * node_full_power_w(scenario, cluster);
  for (const NonGpuLoad& load : campus.loads)
    if (load.start_s <= time_s && time_s < load.end_s) it_w += load.power_w;
  return it_w;
}

std::vector<BuildoutStep> buildout_steps(const Scenario& scenario, const CampusConfig& campus) {
  std::vector<double> times{0.0};
  for (const ClusterConfig& cluster : campus.clusters) {
    times.push_back(cluster.commission_s);
    if (std::isfinite(cluster.decommission_s)) times.push_back(cluster.decommission_s);
  }
  for (const NonGpuLoad& load : campus.loads) {
    times.push_back(load.start_s);
    if (std::isfinite(load.end_s)) times.push_back(load.end_s);
  }
  for (const auto& step : campus.grid_connection_steps) times.push_back(step.first);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  const double max_pue = campus_nameplate(scenario, campus).max_pue;
  std::vector<BuildoutStep> steps;
  for (double time_s : times) {
    BuildoutStep step;
    step.time_s = time_s;
    step.it_w = installed_it_w(scenario, campus, time_s);
    step.facility_w = step.it_w * max_pue;
    step.grid_connection_w = campus.grid_connection_at(time_s);
    steps.push_back(step);
  }
  return steps;
}

}  // namespace fleetsim

#pragma once
// When nodes join or leave the pool by plan: clusters commissioned and decommissioned, maintenance windows
// (sim/scenario/scenario.hpp: ClusterConfig::commission_s, MaintenanceConfig). Pure: the engine sets a timer for
// each change and applies it.
#include <vector>

#include "sim/fleet/fleet.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

struct CapacityChange {
  enum class Kind { commission, decommission, maintenance };
  Kind kind = Kind::maintenance;
  double time_s = 0;
  int cluster = 0;          // index in Fleet::clusters
  int first_node = 0;       // nodes first_node .. first_node + nodes - 1
  int nodes = 0;
  double duration_s = 0;    // maintenance: how long each node is out
  bool drain = false;       // maintenance: wait for jobs to end instead of interrupting them; decommission drains
};

// Every planned change before `horizon_s`, in time order (ties in scenario order). Maintenance that repeats
// (`every`) gives one change per occurrence.
std::vector<CapacityChange> capacity_plan(const Scenario& scenario, const Fleet& fleet, double horizon_s);

}  // namespace fleetsim

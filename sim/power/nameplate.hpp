#pragma once
// Design-time power of a campus: every node at full load (under its cluster's power cap), the facility
// power at the year's highest PUE, and the fullest rack against its rack limit. What a planner compares with
// the grid connection, the cooling plant and the racks before any job runs.
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace fleetsim {

struct CampusNameplate {
  double it_w = 0;        // the most its clusters installed at one time draw at full load
  double max_pue = 1;
  double facility_w = 0;
  double rack_ratio = 0;  // highest (nodes_per_rack × node full power) / rack limit over clusters; 0 = no limit
};

// PUE of `campus` during simulation hour `hour`.
double campus_pue(const Scenario& scenario, const CampusConfig& campus, long long hour);
// Full-load power of one node of `cluster` under its cap.
double node_full_power_w(const Scenario& scenario, const ClusterConfig& cluster);
CampusNameplate campus_nameplate(const Scenario& scenario, const CampusConfig& campus);
// Full-load IT power installed at time_s: clusters commissioned and not yet decommissioned, non-GPU loads at their mw.
double installed_it_w(const Scenario& scenario, const CampusConfig& campus, double time_s);

// The campus's build-out as steps: at each time its installed power or its grid connection changes (and at 0).
struct BuildoutStep {
  double time_s = 0;
  double it_w = 0;               // installed_it_w
  double facility_w = 0;         // it_w at the year's highest PUE
  double grid_connection_w = 0;  // 0: none
};
std::vector<BuildoutStep> buildout_steps(const Scenario& scenario, const CampusConfig& campus);

}  // namespace fleetsim

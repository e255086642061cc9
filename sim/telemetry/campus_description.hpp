#pragma once
// What the output says about each campus before the run: capacities, signal sources, nameplate demand.
#include <vector>

#include "sim/fleet/fleet.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

std::vector<CampusInfo> describe_campuses(const Scenario& scenario, const Fleet& fleet);

}  // namespace fleetsim

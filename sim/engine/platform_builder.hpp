#pragma once
// The fleet as a SimGrid platform: a zone for the fleet (full routing when campuses are joined by [[link]]
// fibres, whose bandwidth and latency come from the inter-campus fabric and the distance), one star zone per
// campus, one star zone per cluster with an uplink sized by its fabric's oversubscription, and one host per
// node (speed = its GPUs' dense BF16 FLOP/s) with its compute NICs as a link. Nested only two levels deep:
// SimGrid 3.32 builds deeper zone trees too slowly at 100k hosts (shared/RECIPES.md).
#include <cstddef>

#include "sim/fleet/fleet.hpp"

namespace fleetsim {

struct PlatformSummary {
  std::size_t zones = 0;
  std::size_t hosts = 0;
  std::size_t links = 0;
};

// Must be called after the SimGrid Engine exists and before it runs. `gateways`: each campus also gets a host
// "<campus>/gateway" beside its router (no link of its own), the end of dataset transfers between campuses
// (dispatch, issue 15).
PlatformSummary build_platform(const Fleet& fleet, bool gateways = false);

}  // namespace fleetsim

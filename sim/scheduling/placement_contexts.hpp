#pragma once
// The workload statistics placement strategies measure fragmentation against, per cluster: the probability that
// a single-node job needs more than f GPUs, and (with GPU sharing) the campus's task sizes for FGD (Weng et al.,
// ATC'23). Computed once from the whole job list, as FGD's experiments do.
#include <vector>

#include "sim/fleet/fleet.hpp"
#include "sim/scheduling/placement.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

std::vector<PlacementContext> make_placement_contexts(const Fleet& fleet, const std::vector<Job>& jobs,
                                                      bool gpu_sharing);

}  // namespace fleetsim

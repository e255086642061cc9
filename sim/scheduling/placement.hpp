#pragma once
// Where a job of g GPUs goes in one cluster. A job that fits in one node stays on one node, on the node
// with the fewest free GPUs that still holds it (best fit: keeps whole nodes free for large jobs); a
// larger job takes ceil(g / gpus_per_node) whole free nodes.
#include <optional>

#include "sim/fleet/cluster_state.hpp"

namespace fleetsim {

std::optional<Placement> best_fit_placement(const ClusterState& cluster, int cluster_index, int gpus);

}  // namespace fleetsim

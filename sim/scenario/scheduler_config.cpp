#include "sim/scenario/scheduler_config.hpp"

#include <type_traits>

namespace fleetsim {

namespace {
// The policies and placements by scenario name, in the order error messages list them.
constexpr const char* kPolicyNames[] = {"fifo", "greedy", "easy-backfill", "conservative-backfill", "priority"};
constexpr const char* kPlacementNames[] = {"best-fit", "first-fit", "topology-aware", "fragmentation-aware"};
}  // namespace

std::string policy_name(const PolicySettings& settings) { return kPolicyNames[settings.index()]; }

std::string placement_name(PlacementStrategy strategy) { return kPlacementNames[static_cast<int>(strategy)]; }

std::vector<std::string> policy_names() { return {std::begin(kPolicyNames), std::end(kPolicyNames)}; }

std::vector<std::string> placement_names() { return {std::begin(kPlacementNames), std::end(kPlacementNames)}; }

}  // namespace fleetsim

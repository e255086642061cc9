#include "sim/scenario/scheduler_config.hpp"

#include <algorithm>

namespace fleetsim {

namespace {
// The policies and placements by scenario name, in the order error messages list them.
constexpr const char* kPolicyNames[] = {"fifo", "greedy", "easy-backfill", "conservative-backfill", "priority"};
constexpr const char* kPlacementNames[] = {"best-fit", "first-fit", "topology-aware", "fragmentation-aware"};
}  // namespace

std::string policy_name(const PolicySettings& settings) { return kPolicyNames[settings.index()]; }

std::string placement_name(PlacementStrategy strategy) { return kPlacementNames[static_cast<int>(strategy)]; }

std::vector<std::string> policy_names() {
  std::vector<std::string> names(std::begin(kPolicyNames), std::end(kPolicyNames));
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> placement_names() {
  std::vector<std::string> names(std::begin(kPlacementNames), std::end(kPlacementNames));
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<PlacementStrategy> placement_strategy(const std::string& name) {
  for (std::size_t i = 0; i < std::size(kPlacementNames); ++i)
    if (name == kPlacementNames[i]) return static_cast<PlacementStrategy>(i);
  return std::nullopt;
}

}  // namespace fleetsim

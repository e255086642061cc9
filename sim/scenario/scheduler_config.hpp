#pragma once
// [scheduler]: the cluster policy with its own settings, the placement strategy and GPU sharing. Each policy
// reads only its own keys (sim/scenario/scheduler_reader.cpp); the scheduling folder turns a SchedulerConfig
// into a policy object (make_scheduler).
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fleetsim {

// Where a job goes inside a cluster (sim/scheduling/placement.hpp describes each).
enum class PlacementStrategy { best_fit, first_fit, topology_aware, fragmentation_aware };

// Queued jobs a backfilling or greedy policy looks at behind the head, per decision (default).
constexpr int kDefaultBackfillDepth = 256;

// One struct per policy: the keys it reads.
struct FifoSettings {};
struct GreedySettings {
  int backfill_depth = kDefaultBackfillDepth;  // jobs tried per decision beyond those known not to fit
};
struct EasyBackfillSettings {
  int backfill_depth = kDefaultBackfillDepth;
};
struct ConservativeBackfillSettings {
  int backfill_depth = kDefaultBackfillDepth;
};
struct PrioritySettings {};

using PolicySettings =
    std::variant<FifoSettings, GreedySettings, EasyBackfillSettings, ConservativeBackfillSettings, PrioritySettings>;

struct SchedulerConfig {
  PolicySettings policy = FifoSettings{};
  PlacementStrategy placement = PlacementStrategy::best_fit;
  bool gpu_sharing = false;  // jobs asking for a fraction of a GPU share GPUs (else they take a whole one)
};

// The scenario name of a policy ("fifo", "easy-backfill"...) and of a placement strategy.
std::string policy_name(const PolicySettings& settings);
std::string placement_name(PlacementStrategy strategy);
// Known names, sorted as error messages list them.
std::vector<std::string> policy_names();
std::vector<std::string> placement_names();
std::optional<PlacementStrategy> placement_strategy(const std::string& name);

}  // namespace fleetsim

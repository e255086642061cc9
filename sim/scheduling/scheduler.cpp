#include "sim/scheduling/scheduler.hpp"

#include <map>
#include <stdexcept>

#include "sim/scheduling/placement.hpp"

namespace fleetsim {

namespace {
using Factory = std::function<std::unique_ptr<SchedulerPolicy>()>;
const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> factories = {
      {"fifo", [] { return std::make_unique<FifoPolicy>(); }},
  };
  return factories;
}
}  // namespace

std::optional<StartDecision> FifoPolicy::decide(const CampusQueueView& view) const {
  if (view.queue.empty()) return std::nullopt;
  const Job& head = view.jobs[view.queue.front()];
  for (int cluster_index : view.fleet.campuses[view.campus].clusters) {
    const Cluster& cluster = view.fleet.clusters[cluster_index];
    if (auto placement = best_fit_placement(cluster.state, cluster_index, head.gpus))
      return StartDecision{0, std::move(*placement)};
  }
  return std::nullopt;
}

std::unique_ptr<SchedulerPolicy> make_scheduler(const std::string& policy) {
  auto found = registry().find(policy);
  if (found == registry().end())
    throw std::invalid_argument("unknown scheduler policy \"" + policy + "\" (known: " + known_policy_names() + ")");
  return found->second();
}

bool is_known_policy(const std::string& policy) { return registry().count(policy) > 0; }

std::string known_policy_names() {
  std::string names;
  for (const auto& [name, factory] : registry()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

}  // namespace fleetsim

#pragma once
// Cluster scheduling policies. A policy is pure: it looks at a campus's queue and free capacity and
// returns the next job to start and where, or nothing. The engine applies the decision and asks again.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/fleet/fleet.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

struct StartDecision {
  std::size_t queue_position = 0;  // index of the job in the queue
  Placement placement;
};

// What a policy sees: one campus's queue (job ids in arrival order) and the fleet's capacity.
struct CampusQueueView {
  const Fleet& fleet;
  int campus;
  const std::deque<std::uint64_t>& queue;
  const std::vector<Job>& jobs;
};

class SchedulerPolicy {
 public:
  virtual ~SchedulerPolicy() = default;
  virtual std::optional<StartDecision> decide(const CampusQueueView& view) const = 0;
};

// Strict FIFO: only the head of the queue may start; it blocks the queue until it fits. Clusters are tried
// in scenario order, best-fit placement within each.
class FifoPolicy final : public SchedulerPolicy {
 public:
  std::optional<StartDecision> decide(const CampusQueueView& view) const override;
};

// One factory for the family: a scenario name picks the policy.
std::unique_ptr<SchedulerPolicy> make_scheduler(const std::string& policy);
bool is_known_policy(const std::string& policy);
std::string known_policy_names();  // "fifo, ..."

}  // namespace fleetsim

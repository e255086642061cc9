#include "sim/scheduling/scheduler.hpp"

#include "sim/scheduling/fgd_placement.hpp"
#include "sim/core/name_list.hpp"

#include <map>
#include <stdexcept>

namespace fleetsim {

namespace {
using Factory = std::function<std::unique_ptr<SchedulerPolicy>(const SchedulerConfig&)>;
const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> factories = {
      {"fifo", [](const SchedulerConfig& c) { return std::make_unique<FifoPolicy>(c); }},
      {"easy-backfill", [](const SchedulerConfig& c) { return std::make_unique<EasyBackfillPolicy>(c); }},
      {"conservative-backfill", [](const SchedulerConfig& c) { return std::make_unique<ConservativeBackfillPolicy>(c); }},
      {"priority", [](const SchedulerConfig& c) { return std::make_unique<PriorityPolicy>(c); }},
      {"greedy", [](const SchedulerConfig& c) { return std::make_unique<GreedyPolicy>(c); }},
  };
  return factories;
}
}  // namespace

int gpus_held(const Cluster& cluster, int job_gpus) {
  const int per_node = cluster.state.gpus_per_node();
  return job_gpus <= per_node ? job_gpus : cluster.node->nodes_for(job_gpus) * per_node;
}

std::optional<Placement> SchedulerPolicy::place_now(const CampusQueueView& view, const Job& job) const {
  static const PlacementContext kNoContext;
  const bool shared = gpu_sharing_ && job.gpu_milli > 0;
  // With GPU sharing, fragmentation-aware placement works at GPU level (FGD) for single-node jobs: the node
  // (and GPU) of the campus where fragmentation grows least, whichever cluster it is in (ties: scenario order).
  if (gpu_sharing_ && placement_ == PlacementStrategy::fragmentation_aware && view.placement) {
    std::optional<FgdChoice> best;
    for (int cluster_index : view.fleet.campuses[view.campus].clusters) {
      const Cluster& cluster = view.fleet.clusters[cluster_index];
      if (!runs_on(job, cluster)) continue;
      const PlacementContext& context = (*view.placement)[cluster_index];
      if (context.task_sizes.empty() || job.gpus > cluster.state.gpus_per_node()) continue;
      auto choice = fgd_choice(cluster, cluster_index, job.gpus, shared ? job.gpu_milli : 0,
                               HostRequest{job.cpu_milli, job.memory_mib}, context.task_sizes, context.fgd_memo.get());
      if (choice && (!best || choice->growth < best->growth - 1e-9)) best = std::move(choice);
    }
    if (best) return std::move(best->placement);
  }
  if (shared) {
    // A fractional job joins the fullest shared GPU that holds it; only then does it open a new one.
    for (int cluster_index : view.fleet.campuses[view.campus].clusters) {
      const Cluster& cluster = view.fleet.clusters[cluster_index];
      if (!runs_on(job, cluster)) continue;
      auto host_ok = [&](int node) { return cluster.state.host_fits(node, job.cpu_milli, job.memory_mib); };
      if (auto slot = cluster.shared.best_fit(job.gpu_milli, host_ok)) {
        Placement placement{cluster_index, {}};
        placement.gpu_milli = job.gpu_milli;
        placement.shared_slot = *slot;
        if (cluster.state.models_host()) {
          placement.cpu_milli = job.cpu_milli;
          placement.memory_mib = job.memory_mib;
        }
        return placement;
      }
    }
  }
  for (int cluster_index : view.fleet.campuses[view.campus].clusters) {
    const Cluster& cluster = view.fleet.clusters[cluster_index];
    if (!cluster.state.fits(job.gpus) || !runs_on(job, cluster)) continue;  // the common case while a queue waits
    const PlacementContext& context = view.placement ? (*view.placement)[cluster_index] : kNoContext;
    if (auto placement = find_placement(placement_, cluster.state, cluster_index, job.gpus, context,
                                        HostRequest{job.cpu_milli, job.memory_mib})) {
      if (gpu_sharing_) placement->gpu_milli = job.gpu_milli;
      return placement;
    }
  }
  return std::nullopt;
}

std::optional<StartDecision> FifoPolicy::decide(const CampusQueueView& view) const {
  if (view.queue.empty()) return std::nullopt;
  if (auto placement = place_now(view, view.jobs[view.queue.front()])) return StartDecision{0, std::move(*placement), {}};
  return std::nullopt;
}

std::optional<StartDecision> GreedyPolicy::decide(const CampusQueueView& view) const {
  const std::size_t end = unplaceable_prefix_after(view);
  for (std::size_t position = std::min(view.unplaceable_prefix, end); position < end; ++position)
    if (auto placement = place_now(view, view.jobs[view.queue[position]]))
      return StartDecision{position, std::move(*placement), {}};
  return std::nullopt;
}

std::size_t GreedyPolicy::unplaceable_prefix_after(const CampusQueueView& view) const {
  return std::min<std::size_t>(view.queue.size(), view.unplaceable_prefix + 1 + backfill_depth_);
}

std::unique_ptr<SchedulerPolicy> make_scheduler(const SchedulerConfig& config) {
  auto found = registry().find(config.policy);
  if (found == registry().end())
    throw std::invalid_argument("unknown scheduler policy \"" + config.policy + "\" (known: " + known_policy_names() +
                                ")");
  return found->second(config);
}

bool is_known_policy(const std::string& policy) { return registry().count(policy) > 0; }

std::string known_policy_names() {
  return join_names(registry(), [](const auto& entry) { return entry.first; });
}

}  // namespace fleetsim

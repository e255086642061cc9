#include "sim/scheduling/scheduler.hpp"

#include "sim/scheduling/fgd_placement.hpp"

#include <type_traits>
#include <variant>

namespace fleetsim {


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
  return std::visit(
      [&](const auto& settings) -> std::unique_ptr<SchedulerPolicy> {
        using Settings = std::decay_t<decltype(settings)>;
        if constexpr (std::is_same_v<Settings, FifoSettings>)
          return std::make_unique<FifoPolicy>(settings, config.placement, config.gpu_sharing);
        else if constexpr (std::is_same_v<Settings, GreedySettings>)
          return std::make_unique<GreedyPolicy>(settings, config.placement, config.gpu_sharing);
        else if constexpr (std::is_same_v<Settings, EasyBackfillSettings>)
          return std::make_unique<EasyBackfillPolicy>(settings, config.placement, config.gpu_sharing);
        else if constexpr (std::is_same_v<Settings, ConservativeBackfillSettings>)
          return std::make_unique<ConservativeBackfillPolicy>(settings, config.placement, config.gpu_sharing);
        else
          return std::make_unique<PriorityPolicy>(settings, config.placement, config.gpu_sharing);
      },
      config.policy);
}

}  // namespace fleetsim

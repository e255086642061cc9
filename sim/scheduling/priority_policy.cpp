#include <algorithm>

#include "sim/scheduling/scheduler.hpp"

namespace fleetsim {

std::optional<StartDecision> PriorityPolicy::decide(const CampusQueueView& view) const {
  if (view.queue.empty()) return std::nullopt;
  std::size_t first = 0;
  for (std::size_t position = 1; position < view.queue.size(); ++position)
    if (view.jobs[view.queue[position]].priority > view.jobs[view.queue[first]].priority) first = position;
  const Job& job = view.jobs[view.queue[first]];
  if (auto placement = place_now(view, job)) return StartDecision{first, std::move(*placement), {}};
  if (!view.running || job.gpu_milli > 0) return std::nullopt;

  static const PlacementContext kNoContext;
  for (int cluster_index : view.fleet.campuses[view.campus].clusters) {
    const Cluster& cluster = view.fleet.clusters[cluster_index];
    if (!runs_on(job, cluster)) continue;
    std::vector<const RunningJob*> candidates;
    for (const auto& [end_s, running] : (*view.running)[cluster_index])
      if (view.jobs[running.id].priority < job.priority && running.placement && running.placement->gpu_milli == 0)
        candidates.push_back(&running);
    // Youngest first: they have done the least work since their last checkpoint.
    std::sort(candidates.begin(), candidates.end(), [](const RunningJob* a, const RunningJob* b) {
      return a->start_s != b->start_s ? a->start_s > b->start_s : a->id > b->id;
    });
    ClusterState after = cluster.state;
    std::vector<std::uint64_t> victims;
    const PlacementContext& context = view.placement ? (*view.placement)[cluster_index] : kNoContext;
    for (const RunningJob* victim : candidates) {
      after.give_back(*victim->placement);
      victims.push_back(victim->id);
      if (auto placement = find_placement(placement_, after, cluster_index, job.gpus, context))
        return StartDecision{first, std::move(*placement), std::move(victims)};
    }
  }
  return std::nullopt;
}

}  // namespace fleetsim

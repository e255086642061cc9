#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/scheduling/scheduler.hpp"

namespace fleetsim {

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();

struct Reservation {
  int cluster = -1;
  double shadow_s = kNever;  // when the head can start at the earliest
  int extra_gpus = 0;        // GPUs free at the shadow time beyond what the head needs
};

// Earliest time `need` GPUs are free in `cluster`, counting releases at the running jobs' estimated ends.
// A head that does not fit now although enough GPUs are free (they are scattered over nodes) waits at least
// for the next release.
Reservation reserve(const Cluster& cluster, int cluster_index, const RunningJobs& running, int need, double now_s) {
  Reservation reservation;
  if (need > cluster.state.node_count() * cluster.state.gpus_per_node()) return reservation;
  int available = cluster.state.free_gpus();
  for (auto it = running.begin(); it != running.end(); ++it) {
    available += it->second.gpus;
    if (available < need) continue;
    // Every job ending at the shadow time frees its GPUs then too: they count among the extra GPUs.
    const double shadow_s = it->first;
    for (auto next = std::next(it); next != running.end() && next->first == shadow_s; ++next)
      available += next->second.gpus;
    return {cluster_index, std::max(shadow_s, now_s), available - need};
  }
  return reservation;
}
}  // namespace

double estimated_duration_s(const Job& job) { return std::isnan(job.estimate_s) ? job.duration_s : job.estimate_s; }

std::optional<StartDecision> EasyBackfillPolicy::decide(const CampusQueueView& view) const {
  if (view.queue.empty()) return std::nullopt;
  const Job& head = view.jobs[view.queue.front()];
  if (auto placement = place_now(view, head)) return StartDecision{0, std::move(*placement), {}};
  if (!view.running) return std::nullopt;

  Reservation reservation;
  for (int cluster_index : view.fleet.campuses[view.campus].clusters) {
    const Cluster& cluster = view.fleet.clusters[cluster_index];
    if (!runs_on(head, cluster)) continue;
    Reservation candidate =
        reserve(cluster, cluster_index, (*view.running)[cluster_index], gpus_held(cluster, head.gpus), view.now_s);
    if (candidate.shadow_s < reservation.shadow_s) reservation = candidate;
  }

  // No queued job fits when no node has a free GPU (unless jobs may join shared GPUs).
  int largest_free = 0;
  for (int cluster_index : view.fleet.campuses[view.campus].clusters)
    largest_free = std::max(largest_free, view.fleet.clusters[cluster_index].state.largest_free_on_a_node());
  if (largest_free == 0 && !gpu_sharing_) return std::nullopt;
  const std::size_t depth = std::min<std::size_t>(view.queue.size(), 1 + backfill_depth_);
  for (std::size_t position = 1; position < depth; ++position) {
    const Job& job = view.jobs[view.queue[position]];
    auto placement = place_now(view, job);
    if (!placement) continue;
    const bool ends_before_shadow = view.now_s + estimated_duration_s(job) <= reservation.shadow_s;
    const bool elsewhere = placement->cluster != reservation.cluster;
    const bool within_extra = placement->gpus() <= reservation.extra_gpus;
    if (ends_before_shadow || elsewhere || within_extra) return StartDecision{position, std::move(*placement), {}};
  }
  return std::nullopt;
}

}  // namespace fleetsim

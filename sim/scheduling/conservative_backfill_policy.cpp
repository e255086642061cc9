#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/scheduling/scheduler.hpp"

namespace fleetsim {

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();

// Free GPUs of one cluster over time, as steps: time -> free GPUs from then on (until the next step).
class AvailabilityProfile {
 public:
  AvailabilityProfile(int free_now, double now_s, const RunningJobs& running) {
    steps_[now_s] = free_now;
    int free = free_now;
    for (const auto& [end_s, job] : running) {
      free += job.gpus;
      steps_[std::max(end_s, now_s)] = free;
    }
  }

  // Earliest start >= now with `need` GPUs free for `duration_s`.
  double earliest_start(int need, double duration_s) const {
    for (auto start = steps_.begin(); start != steps_.end(); ++start) {
      if (start->second < need) continue;
      const double end_s = start->first + duration_s;
      bool enough = true;
      for (auto step = std::next(start); step != steps_.end() && step->first < end_s; ++step)
        if (step->second < need) {
          enough = false;
          break;
        }
      if (enough) return start->first;
    }
    return kNever;
  }

  // Takes `gpus` over [start, start + duration).
  void reserve(double start_s, double duration_s, int gpus) {
    const double end_s = start_s + duration_s;
    split_at(start_s);
    split_at(end_s);
    for (auto step = steps_.find(start_s); step != steps_.end() && step->first < end_s; ++step) step->second -= gpus;
  }

 private:
  void split_at(double time_s) {
    if (steps_.count(time_s) || !std::isfinite(time_s)) return;
    auto after = steps_.upper_bound(time_s);
    steps_[time_s] = std::prev(after)->second;
  }
  std::map<double, int> steps_;
};
}  // namespace

std::optional<StartDecision> ConservativeBackfillPolicy::decide(const CampusQueueView& view) const {
  if (view.queue.empty()) return std::nullopt;
  const Job& head = view.jobs[view.queue.front()];
  if (auto placement = place_now(view, head)) return StartDecision{0, std::move(*placement), {}};
  if (!view.running) return std::nullopt;

  const auto& clusters = view.fleet.campuses[view.campus].clusters;
  std::vector<AvailabilityProfile> profiles;
  for (int cluster_index : clusters)
    profiles.emplace_back(view.fleet.clusters[cluster_index].state.free_gpus(), view.now_s,
                          (*view.running)[cluster_index]);

  const std::size_t depth = std::min<std::size_t>(view.queue.size(), 1 + backfill_depth_);
  for (std::size_t position = 0; position < depth; ++position) {
    const Job& job = view.jobs[view.queue[position]];
    const double duration_s = estimated_duration_s(job);
    double best_start = kNever;
    std::size_t best = 0;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
      const Cluster& cluster = view.fleet.clusters[clusters[c]];
      if (!runs_on(job, cluster)) continue;
      const int need = gpus_held(cluster, job.gpus);
      if (need > cluster.state.node_count() * cluster.state.gpus_per_node()) continue;
      const double start = profiles[c].earliest_start(need, duration_s);
      if (start < best_start) {
        best_start = start;
        best = c;
      }
    }
    if (best_start == view.now_s && position > 0) {
      if (auto placement = place_now(view, job)) return StartDecision{position, std::move(*placement), {}};
    }
    // Not startable now (or scattered free GPUs): hold its reservation so later jobs respect it.
    if (std::isfinite(best_start)) {
      const Cluster& cluster = view.fleet.clusters[clusters[best]];
      profiles[best].reserve(best_start, duration_s, gpus_held(cluster, job.gpus));
    }
  }
  return std::nullopt;
}

}  // namespace fleetsim

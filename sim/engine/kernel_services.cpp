// Capacity for inference services (FleetControl::take_nodes, give_back_nodes, set_service_load): a service takes
// whole nodes out of the job pool (status `serving`), idle ones first, then ones freed by preempting jobs of lower
// priority, youngest first; it gives them back when it scales down. What they draw above idle is the service's to
// say (ServiceLoad), announced for the power meter.
#include "sim/engine/kernel.hpp"

#include <algorithm>

namespace fleetsim {

std::vector<int> Kernel::take_nodes(int cluster_index, int count, int priority) {
  Cluster& cluster = fleet_.clusters[cluster_index];
  const int whole = cluster.state.gpus_per_node();
  std::vector<int> taken;
  const auto take_idle = [&] {
    const std::vector<int>& idle = cluster.state.nodes_with_free(whole);  // available nodes with no job
    while (static_cast<int>(taken.size()) < count && !idle.empty()) {
      const int node = idle.back();
      cluster.state.set_available(node, false);  // leaves the bucket
      status_[cluster_index][node] = serving;
      taken.push_back(node);
    }
  };
  take_idle();
  if (static_cast<int>(taken.size()) < count) {
    // Not enough idle nodes: preempt lower-priority jobs on the cluster, youngest first (ties: highest id), until
    // enough nodes are idle. A shared GPU's tenants are left alone.
    std::vector<std::pair<double, std::uint64_t>> victims;
    for (const Run& run : runs_)
      if (run.active && run.placement.cluster == cluster_index && run.placement.gpu_milli == 0 &&
          jobs_[run.id].priority < priority)
        victims.emplace_back(run.start_s, run.id);
    std::sort(victims.begin(), victims.end(), [](const auto& a, const auto& b) { return a > b; });
    for (const auto& victim : victims) {
      if (static_cast<int>(taken.size()) >= count) break;
      interrupt_job(victim.second, InterruptCause::preempted);
      take_idle();
    }
    if (!victims.empty()) schedule(cluster.campus);  // the preempted jobs queue again: some may fit elsewhere
  }
  return taken;
}

void Kernel::give_back_nodes(int cluster_index, const std::vector<int>& nodes) {
  Cluster& cluster = fleet_.clusters[cluster_index];
  for (int node : nodes) {
    if (status_[cluster_index][node] != serving) continue;
    status_[cluster_index][node] = up;
    cluster.state.set_available(node, true);
  }
  capacity_returned(cluster.campus);
}

void Kernel::set_service_load(const ServiceLoad& load) {
  ServiceLoad now = load;
  now.time_s = now_s();
  lifecycle_.service_load_changed(now);
}

}  // namespace fleetsim

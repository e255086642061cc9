#include "sim/scheduling/fgd_placement.hpp"

#include <limits>

namespace fleetsim {

namespace {
NodeFree node_free(const Cluster& cluster, int node) {
  NodeFree free;
  free.gpus = cluster.state.free_gpus_on(node);
  for (int slot : cluster.shared.slots_on(node)) free.shared_milli.push_back(cluster.shared.free_milli(slot));
  if (cluster.state.models_host()) {
    free.cpu_milli = cluster.state.cpu_free_on(node);
    free.memory_mib = cluster.state.memory_free_on(node);
  }
  return free;
}

bool host_fits(const NodeFree& node, std::int64_t cpu_milli, std::int64_t memory_mib) {
  return node.cpu_milli < 0 || (node.cpu_milli >= cpu_milli && node.memory_mib >= memory_mib);
}
}  // namespace

double node_gpu_fragmentation(const NodeFree& node, const TaskSizes& sizes) {
  double shared_total = 0;
  for (int free : node.shared_milli) shared_total += free;
  const double all_free = node.gpus * static_cast<double>(kMilliPerGpu) + shared_total;
  double expected = 0;
  for (const TaskSize& task : sizes) {
    double unusable;
    if (!host_fits(node, task.cpu_milli, task.memory_mib)) {
      unusable = all_free;
    } else if (task.milli < kMilliPerGpu) {
      bool fits = node.gpus > 0;
      double too_small = 0;
      for (int free : node.shared_milli) {
        if (free >= task.milli) fits = true;
        else too_small += free;
      }
      unusable = fits ? too_small : all_free;
    } else {
      unusable = node.gpus >= task.milli / kMilliPerGpu ? shared_total : all_free;
    }
    expected += task.probability * unusable;
  }
  return expected;
}

std::optional<Placement> fgd_placement(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                       const HostRequest& host, const TaskSizes& sizes) {
  const ClusterState& state = cluster.state;
  double best_growth = std::numeric_limits<double>::infinity();
  std::optional<Placement> best;
  auto consider = [&](double growth, Placement placement) {
    if (growth < best_growth - 1e-9) {
      best_growth = growth;
      best = std::move(placement);
    }
  };
  auto with_host = [&](Placement placement) {
    if (state.models_host()) {
      placement.cpu_milli = host.cpu_milli;
      placement.memory_mib = host.memory_mib;
    }
    placement.gpu_milli = gpu_milli;
    return placement;
  };
  const int need = gpu_milli > 0 ? 1 : gpus;
  // Whole GPUs on a node (a fractional task opens a new shared GPU there).
  for (int free = need; free <= state.gpus_per_node(); ++free) {
    for (int node : state.nodes_with_free(free)) {
      if (!state.host_fits(node, host.cpu_milli, host.memory_mib)) continue;
      NodeFree now = node_free(cluster, node);
      const double before = node_gpu_fragmentation(now, sizes);
      now.gpus -= need;
      if (gpu_milli > 0) now.shared_milli.push_back(kMilliPerGpu - gpu_milli);
      if (now.cpu_milli >= 0) {
        now.cpu_milli -= host.cpu_milli;
        now.memory_mib -= host.memory_mib;
      }
      consider(node_gpu_fragmentation(now, sizes) - before, with_host(Placement{cluster_index, {{node, need}}}));
    }
  }
  // A fractional task may join a shared GPU with room for it.
  if (gpu_milli > 0) {
    for (int node = 0; node < state.node_count(); ++node) {
      const auto& slots = cluster.shared.slots_on(node);
      if (slots.empty() || !state.host_fits(node, host.cpu_milli, host.memory_mib)) continue;
      const NodeFree now = node_free(cluster, node);
      const double before = node_gpu_fragmentation(now, sizes);
      for (std::size_t i = 0; i < slots.size(); ++i) {
        if (now.shared_milli[i] < gpu_milli) continue;
        NodeFree after = now;
        after.shared_milli[i] -= gpu_milli;
        if (after.cpu_milli >= 0) {
          after.cpu_milli -= host.cpu_milli;
          after.memory_mib -= host.memory_mib;
        }
        Placement placement = with_host(Placement{cluster_index, {}});
        placement.shared_slot = slots[i];
        // Joining an existing shared GPU wins ties: it keeps whole GPUs free.
        consider(node_gpu_fragmentation(after, sizes) - before - 1e-6, std::move(placement));
      }
    }
  }
  return best;
}

}  // namespace fleetsim

#include "sim/scheduling/fgd_placement.hpp"

#include <limits>

namespace fleetsim {

namespace {
std::vector<int> shared_free(const Cluster& cluster, int node) {
  std::vector<int> free;
  for (int slot : cluster.shared.slots_on(node)) free.push_back(cluster.shared.free_milli(slot));
  return free;
}
}  // namespace

double node_gpu_fragmentation(int free_gpus, const std::vector<int>& shared_free_milli, const TaskSizes& sizes) {
  double shared_total = 0;
  for (int free : shared_free_milli) shared_total += free;
  const double all_free = free_gpus * static_cast<double>(kMilliPerGpu) + shared_total;
  double expected = 0;
  for (const auto& [milli, probability] : sizes) {
    double unusable;
    if (milli < kMilliPerGpu) {
      bool fits = free_gpus > 0;
      double too_small = 0;
      for (int free : shared_free_milli) {
        if (free >= milli) fits = true;
        else too_small += free;
      }
      unusable = fits ? too_small : all_free;
    } else {
      unusable = free_gpus >= milli / kMilliPerGpu ? shared_total : all_free;
    }
    expected += probability * unusable;
  }
  return expected;
}

std::optional<Placement> fgd_placement(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                       const TaskSizes& sizes) {
  const ClusterState& state = cluster.state;
  double best_growth = std::numeric_limits<double>::infinity();
  std::optional<Placement> best;
  auto consider = [&](double growth, Placement placement) {
    if (growth < best_growth - 1e-9) {
      best_growth = growth;
      best = std::move(placement);
    }
  };
  const int need = gpu_milli > 0 ? 1 : gpus;
  // Whole GPUs on a node (a fractional task opens a new shared GPU there).
  for (int free = need; free <= state.gpus_per_node(); ++free) {
    for (int node : state.nodes_with_free(free)) {
      std::vector<int> shared = shared_free(cluster, node);
      const double before = node_gpu_fragmentation(free, shared, sizes);
      if (gpu_milli > 0) shared.push_back(kMilliPerGpu - gpu_milli);
      Placement placement{cluster_index, {{node, need}}};
      placement.gpu_milli = gpu_milli;
      consider(node_gpu_fragmentation(free - need, shared, sizes) - before, std::move(placement));
    }
  }
  // A fractional task may join a shared GPU with room for it.
  if (gpu_milli > 0) {
    for (int node = 0; node < state.node_count(); ++node) {
      const auto& slots = cluster.shared.slots_on(node);
      if (slots.empty()) continue;
      const std::vector<int> shared = shared_free(cluster, node);
      const double before = node_gpu_fragmentation(state.free_gpus_on(node), shared, sizes);
      for (std::size_t i = 0; i < slots.size(); ++i) {
        if (shared[i] < gpu_milli) continue;
        std::vector<int> after = shared;
        after[i] -= gpu_milli;
        Placement placement{cluster_index, {}};
        placement.gpu_milli = gpu_milli;
        placement.shared_slot = slots[i];
        // Joining an existing shared GPU wins ties: it keeps whole GPUs free.
        consider(node_gpu_fragmentation(state.free_gpus_on(node), after, sizes) - before - 1e-6, std::move(placement));
      }
    }
  }
  return best;
}

}  // namespace fleetsim

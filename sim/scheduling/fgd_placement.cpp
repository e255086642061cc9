#include "sim/scheduling/fgd_placement.hpp"

#include <limits>

namespace fleetsim {

namespace {
void read_node(const Cluster& cluster, int node, NodeFree& free) {
  free.gpus = cluster.state.free_gpus_on(node);
  free.shared_milli.clear();
  for (int slot : cluster.shared.slots_on(node)) free.shared_milli.push_back(cluster.shared.free_milli(slot));
  if (cluster.state.models_host()) {
    free.cpu_milli = cluster.state.cpu_free_on(node);
    free.memory_mib = cluster.state.memory_free_on(node);
  } else {
    free.cpu_milli = free.memory_mib = -1;
  }
}

double fragmentation_now(const Cluster& cluster, int node, const TaskSizes& sizes, FgdMemo* memo, NodeFree& scratch) {
  const std::uint32_t stamp = cluster.state.node_version(node) + 1;
  if (memo) {
    if (memo->version.size() != static_cast<std::size_t>(cluster.state.node_count())) {
      memo->version.assign(cluster.state.node_count(), 0);
      memo->fragmentation.assign(cluster.state.node_count(), 0.0);
    }
    if (memo->version[node] == stamp) return memo->fragmentation[node];
  }
  read_node(cluster, node, scratch);
  const double value = node_gpu_fragmentation(scratch, sizes);
  if (memo) {
    memo->version[node] = stamp;
    memo->fragmentation[node] = value;
  }
  return value;
}

bool host_fits(const NodeFree& node, std::int64_t cpu_milli, std::int64_t memory_mib) {
  return node.cpu_milli < 0 || (node.cpu_milli >= cpu_milli && node.memory_mib >= memory_mib);
}

void take_host(NodeFree& node, const HostRequest& host) {
  if (node.cpu_milli < 0) return;
  node.cpu_milli -= host.cpu_milli;
  node.memory_mib -= host.memory_mib;
}
}  // namespace

double node_fragmentation_now(const Cluster& cluster, int node, const TaskSizes& sizes, FgdMemo* memo) {
  NodeFree scratch;
  return fragmentation_now(cluster, node, sizes, memo, scratch);
}

double node_gpu_fragmentation(const NodeFree& node, const TaskSizes& sizes) {
  double shared_total = 0;
  for (int free : node.shared_milli) shared_total += free;
  const double all_free = node.gpus * static_cast<double>(kMilliPerGpu) + shared_total;
  if (all_free <= 0) return 0;
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

std::optional<FgdChoice> fgd_choice(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                    const HostRequest& host, const TaskSizes& sizes, FgdMemo* memo) {
  const ClusterState& state = cluster.state;
  std::optional<FgdChoice> best;
  auto consider = [&](double growth, auto make_placement) {
    if (best && !(growth < best->growth - 1e-9)) return;
    Placement placement = make_placement();
    if (state.models_host()) {
      placement.cpu_milli = host.cpu_milli;
      placement.memory_mib = host.memory_mib;
    }
    placement.gpu_milli = gpu_milli;
    best = FgdChoice{std::move(placement), growth};
  };
  NodeFree scratch;
  // A fractional task may join a shared GPU with room for it; considered first, so that it wins ties with
  // opening a new shared GPU (it keeps whole GPUs free).
  if (gpu_milli > 0) {
    for (const auto& [node, slots] : cluster.shared.nodes_with_slots()) {
      bool room = false;
      for (int slot : slots) room |= cluster.shared.free_milli(slot) >= gpu_milli;
      if (!room || !state.host_fits(node, host.cpu_milli, host.memory_mib)) continue;
      const double before = fragmentation_now(cluster, node, sizes, memo, scratch);
      read_node(cluster, node, scratch);
      take_host(scratch, host);
      for (std::size_t i = 0; i < slots.size(); ++i) {
        if (scratch.shared_milli[i] < gpu_milli) continue;
        scratch.shared_milli[i] -= gpu_milli;
        const double growth = node_gpu_fragmentation(scratch, sizes) - before;
        scratch.shared_milli[i] += gpu_milli;
        const int slot = slots[i];
        consider(growth, [&] {
          Placement placement{cluster_index, {}};
          placement.shared_slot = slot;
          return placement;
        });
      }
    }
  }
  // Whole GPUs on a node (a fractional task opens a new shared GPU there).
  const int need = gpu_milli > 0 ? 1 : gpus;
  if (!state.fits(need)) return best;
  for (int free = need; free <= state.gpus_per_node(); ++free) {
    for (int node : state.nodes_with_free(free)) {
      if (!state.host_fits(node, host.cpu_milli, host.memory_mib)) continue;
      const double before = fragmentation_now(cluster, node, sizes, memo, scratch);
      read_node(cluster, node, scratch);
      scratch.gpus -= need;
      if (gpu_milli > 0) scratch.shared_milli.push_back(kMilliPerGpu - gpu_milli);
      take_host(scratch, host);
      consider(node_gpu_fragmentation(scratch, sizes) - before,
               [&] { return Placement{cluster_index, {{node, need}}}; });
    }
  }
  return best;
}

std::optional<Placement> fgd_placement(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                       const HostRequest& host, const TaskSizes& sizes) {
  auto choice = fgd_choice(cluster, cluster_index, gpus, gpu_milli, host, sizes);
  if (!choice) return std::nullopt;
  return std::move(choice->placement);
}

}  // namespace fleetsim

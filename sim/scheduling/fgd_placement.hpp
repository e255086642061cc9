#pragma once
// Fragmentation Gradient Descent at GPU level (Weng et al., "Beware of Fragmentation: Scheduling
// GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX ATC'23): a node's fragmentation for a
// task is the free GPU capacity the task cannot use there; its expectation over the workload's task sizes is
// the node's fragmentation; a task goes where that expectation grows least. Used by the fragmentation-aware
// placement when GPUs are shared.
#include <optional>
#include <utility>
#include <vector>

#include "sim/fleet/fleet.hpp"
#include "sim/scheduling/placement.hpp"

namespace fleetsim {

using TaskSizes = std::vector<TaskSize>;

// What a node has free: whole GPUs, the free thousandths of its shared GPUs, CPU and memory (negative CPU
// or memory: not modelled).
struct NodeFree {
  int gpus = 0;
  std::vector<int> shared_milli;
  std::int64_t cpu_milli = -1;
  std::int64_t memory_mib = -1;
};

// Expected free GPU capacity (thousandths of a GPU) of a node that a task drawn from `sizes` cannot use:
// all of it when the task does not fit the node (GPUs, CPU or memory), else the shared GPUs too small for it.
double node_gpu_fragmentation(const NodeFree& node, const TaskSizes& sizes);

// Where a single-node task of `gpus` GPUs, or `gpu_milli` thousandths of one GPU, grows the cluster's
// fragmentation least: a shared GPU to join (placement.shared_slot) or whole GPUs on a node.
std::optional<Placement> fgd_placement(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                       const HostRequest& host, const TaskSizes& sizes);

}  // namespace fleetsim

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

namespace fleetsim {

// Task sizes in thousandths of a GPU (< 1000: a share of one GPU; k x 1000: k whole GPUs) and their
// probabilities.
using TaskSizes = std::vector<std::pair<int, double>>;

// Expected free capacity (thousandths of a GPU) of a node that a task drawn from `sizes` cannot use, given its
// whole free GPUs and the free thousandths of its shared GPUs.
double node_gpu_fragmentation(int free_gpus, const std::vector<int>& shared_free_milli, const TaskSizes& sizes);

// Where a single-node task of `gpus` GPUs, or `gpu_milli` thousandths of one GPU, grows the cluster's
// fragmentation least: a shared GPU to join (placement.shared_slot) or whole GPUs on a node.
std::optional<Placement> fgd_placement(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                       const TaskSizes& sizes);

}  // namespace fleetsim

#pragma once
// Fragmentation Gradient Descent at GPU level (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
// Workloads with Fragmentation Gradient Descent", USENIX ATC'23, Section 4; reference implementation
// hkust-adsl/kubernetes-scheduler-simulator, pkg/utils/frag.go and pkg/simulator/plugin/fgd_score.go): a node's
// fragmentation for a task is the free GPU capacity the task cannot use there; its expectation over the
// workload's task sizes is the node's fragmentation; a task goes where that expectation grows least, among
// every node of every cluster it may run on. Used by the fragmentation-aware placement when GPUs are shared.
#include <cstdint>
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

// Each node's fragmentation, remembered until the node changes (ClusterState::node_version; a shared GPU's
// tenants always come and go with a change of the node's CPU and memory, which bumps it). Only a cache: FGD
// decides the same with or without it.
struct FgdMemo {
  std::vector<std::uint32_t> version;  // node version + 1 the value was computed at; 0 = never
  std::vector<double> fragmentation;
};

// A node's fragmentation now (thousandths of a GPU), from the memo when the node has not changed since.
double node_fragmentation_now(const Cluster& cluster, int node, const TaskSizes& sizes, FgdMemo* memo);

// The best place for a single-node task in one cluster and how much it grows the cluster's fragmentation.
struct FgdChoice {
  Placement placement;
  double growth = 0;  // thousandths of a GPU
};

// Where a single-node task of `gpus` GPUs, or `gpu_milli` thousandths of one GPU, grows the cluster's
// fragmentation least: a shared GPU to join (placement.shared_slot) or whole GPUs on a node. Ties go to the
// first candidate: joining a shared GPU before opening one (it keeps whole GPUs free), then nodes in bucket
// order (fullest first).
std::optional<FgdChoice> fgd_choice(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                    const HostRequest& host, const TaskSizes& sizes, FgdMemo* memo = nullptr);

// The same, for tests and single clusters.
std::optional<Placement> fgd_placement(const Cluster& cluster, int cluster_index, int gpus, int gpu_milli,
                                       const HostRequest& host, const TaskSizes& sizes);

}  // namespace fleetsim

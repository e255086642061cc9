#pragma once
// Where a job of g GPUs goes in one cluster. A job that fits in one node stays on one node; a larger job
// takes ceil(g / gpus_per_node) whole free nodes. Strategies differ in which node(s):
//   best-fit             the node with the fewest free GPUs that still holds the job (keeps whole nodes free)
//   first-fit            the lowest-numbered node that holds it (scans nodes: meant for clusters up to ~10k nodes)
//   topology-aware       multi-node jobs packed into the fewest racks (rack = nodes_per_rack consecutive
//                        nodes, an NVLink/leaf-switch domain); single-node jobs best-fit
//   fragmentation-aware  single-node jobs on the node whose fragmentation grows least, in the spirit of
//                        Alibaba's FGD (Weng et al., ATC'23): a node's fragmentation is its free GPUs times
//                        the probability that the next job is too big for them, from the workload's job sizes
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/fleet/cluster_state.hpp"
#include "sim/scenario/scheduler_config.hpp"  // PlacementStrategy

namespace fleetsim {

struct FgdMemo;  // fgd_placement.hpp


// CPU and memory a single-node job needs on its node (checked only where the cluster models them).
struct HostRequest {
  std::int64_t cpu_milli = 0;
  std::int64_t memory_mib = 0;
};

// A task size of the workload: thousandths of a GPU (< 1000: a share of one GPU; k x 1000: k whole GPUs),
// the CPU and memory it needs on its node, and how often it occurs.
struct TaskSize {
  int milli = 0;
  std::int64_t cpu_milli = 0;
  std::int64_t memory_mib = 0;
  double probability = 0;
};

// What strategies may need beyond free capacity.
struct PlacementContext {
  int nodes_per_rack = 1;
  // size_above[f] = probability that a job needs more than f GPUs of one node (f = 0..gpus_per_node);
  // empty = unknown (fragmentation-aware then falls back to best fit).
  std::vector<double> size_above;
  // The campus's workload as task sizes (GPU thousandths, CPU, memory), for GPU-level fragmentation (FGD) with
  // GPU sharing, and the cluster's memo of node fragmentation for it; see fgd_placement.hpp.
  std::vector<TaskSize> task_sizes;
  std::shared_ptr<FgdMemo> fgd_memo;
};

std::optional<Placement> find_placement(PlacementStrategy strategy, const ClusterState& cluster, int cluster_index,
                                        int gpus, const PlacementContext& context = {}, const HostRequest& host = {});

// Best fit, the default.
std::optional<Placement> best_fit_placement(const ClusterState& cluster, int cluster_index, int gpus,
                                            const HostRequest& host = {});

// Fragmentation of a node with `free` GPUs: free x P(next job needs more than free).
double node_fragmentation(int free, const std::vector<double>& size_above);

}  // namespace fleetsim

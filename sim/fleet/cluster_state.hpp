#pragma once
// Free-GPU state of one cluster of identical nodes. Available nodes with free GPUs are kept in buckets by
// free-GPU count, so finding a node with at least g free GPUs, or k fully free nodes, costs O(GPUs per node),
// not O(nodes). Full nodes (no GPU free) are in no bucket: nothing searches for them, and leaving them out saves
// a random access per node a job takes or gives back. A node's state is one 16-byte record: at fleet scale
// every node a job touches costs one cache line, not four.
// A node may leave the pool (not yet commissioned, in maintenance, draining, failed): it is then in no bucket,
// placement never sees it, and its GPUs are not counted free; the jobs still on it give their GPUs back as usual.
#include <cstdint>
#include <vector>

namespace fleetsim {

// GPUs taken on each node of one cluster by one job.
struct Placement {
  int cluster = -1;                         // cluster index within the fleet
  std::vector<std::pair<int, int>> parts;   // (node index, GPUs taken)
  // A fractional job: its share of one GPU in thousandths, and the shared GPU it joins (-1: the GPU in
  // `parts` becomes shared).
  int gpu_milli = 0;
  int shared_slot = -1;
  // CPU and memory taken on the (single) node, where the cluster models them.
  std::int64_t cpu_milli = 0;
  std::int64_t memory_mib = 0;
  int gpus() const {
    int total = 0;
    for (const auto& part : parts) total += part.second;
    return total;
  }
};

class ClusterState {
 public:
  // `available`: whether the nodes start in the pool.
  ClusterState(int node_count, int gpus_per_node, bool available = true);

  int node_count() const { return static_cast<int>(nodes_.size()); }
  int gpus_per_node() const { return gpus_per_node_; }
  // Free GPUs on available nodes.
  int free_gpus() const { return free_total_; }
  // Free GPUs a job could be placed on: 0 on a node out of the pool.
  int free_gpus_on(int node) const { return nodes_[node].available ? nodes_[node].free : 0; }
  // GPUs no job holds, in the pool or not (a node out of the pool is idle when this is gpus_per_node()).
  int idle_gpus_on(int node) const { return nodes_[node].free; }
  bool available(int node) const { return nodes_[node].available != 0; }
  int available_nodes() const { return available_count_; }
  // Takes a node out of the pool (jobs on it keep running until they end or are stopped) or puts it back.
  void set_available(int node, bool available);
  // Changes whenever the node's free GPUs, CPU or memory change (a shared GPU's tenants come and go with their
  // CPU and memory): caches of per-node values (FGD's fragmentation) compare it.
  std::uint32_t node_version(int node) const { return nodes_[node].version; }
  // Available nodes with exactly `free` GPUs free (free >= 1; full nodes are in no bucket).
  const std::vector<int>& nodes_with_free(int free) const { return buckets_[free]; }
  // Most free GPUs on any one node (kept up to date: schedulers ask this for every queued job).
  int largest_free_on_a_node() const { return largest_free_; }
  // Whether a job of `gpus` GPUs can be placed now (on one node, or on enough whole free nodes).
  bool fits(int gpus) const {
    if (gpus <= gpus_per_node_) return gpus <= largest_free_;
    return static_cast<long long>(buckets_[gpus_per_node_].size()) * gpus_per_node_ >= gpus;
  }

  // `holder`: a tag (the engine's run slot) recorded on every node the placement takes whole, -1 for none; a node
  // given back whole loses its tag. Failures ask who holds a node without an index of their own.
  void take(const Placement& placement, std::int32_t holder = -1);
  void give_back(const Placement& placement);
  // The tag of whoever holds all of the node's GPUs (see take), -1 when no one does.
  std::int32_t whole_holder(int node) const { return nodes_[node].holder; }

  // CPU and memory per node (thousandths of a core, MiB), for clusters built from a trace's node list; a
  // cluster without them places on GPUs alone.
  void set_host_capacity(std::vector<std::int64_t> cpu_milli, std::vector<std::int64_t> memory_mib);
  bool models_host() const { return !cpu_free_.empty(); }
  // Whether the node is in the pool and has the CPU and memory (where modelled).
  bool host_fits(int node, std::int64_t cpu_milli, std::int64_t memory_mib) const {
    return nodes_[node].available && (cpu_free_.empty() || (cpu_free_[node] >= cpu_milli && memory_free_[node] >= memory_mib));
  }
  std::int64_t cpu_free_on(int node) const { return cpu_free_.empty() ? 0 : cpu_free_[node]; }
  std::int64_t memory_free_on(int node) const { return memory_free_.empty() ? 0 : memory_free_[node]; }
  // A job joining a shared GPU takes CPU and memory only.
  void take_host(int node, std::int64_t cpu_milli, std::int64_t memory_mib);
  void give_back_host(int node, std::int64_t cpu_milli, std::int64_t memory_mib);

 private:
  void change(const Placement& placement, int sign, std::int32_t holder);
  void unlink(int node);
  void link(int node);
  void settle_largest_free();
  int gpus_per_node_;
  int free_total_;
  int largest_free_;
  int available_count_;
  struct Node {
    std::int32_t position = -1;    // index in its bucket, -1 in none
    std::uint32_t version = 0;     // see node_version
    std::int32_t holder = -1;      // see whole_holder
    std::int16_t free = 0;         // GPUs no job holds (the catalog allows at most 1,024 per node)
    std::uint8_t available = 1;    // in the pool
  };
  static_assert(sizeof(Node) == 16, "one node, one 16-byte record");
  std::vector<Node> nodes_;
  std::vector<std::vector<int>> buckets_;    // free count -> available nodes (bucket 0 stays empty)
  std::vector<std::int64_t> cpu_free_, memory_free_;  // per node, empty when not modelled
};

}  // namespace fleetsim

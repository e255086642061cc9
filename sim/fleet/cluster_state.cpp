#include "sim/fleet/cluster_state.hpp"

#include <cassert>

namespace fleetsim {

ClusterState::ClusterState(int node_count, int gpus_per_node)
    : gpus_per_node_(gpus_per_node),
      free_total_(node_count * gpus_per_node),
      largest_free_(node_count > 0 ? gpus_per_node : 0),
      free_gpus_(node_count, gpus_per_node),
      buckets_(gpus_per_node + 1),
      position_(node_count),
      version_(node_count, 0) {
  auto& full = buckets_[gpus_per_node];
  full.reserve(node_count);
  // Highest index at the back: placement takes nodes from the back, so node 0 is used first.
  for (int node = node_count - 1; node >= 0; --node) {
    position_[node] = static_cast<int>(full.size());
    full.push_back(node);
  }
}

void ClusterState::move_node(int node, int new_free) {
  auto& old_bucket = buckets_[free_gpus_[node]];
  const int index = position_[node];
  const int last = old_bucket.back();
  old_bucket[index] = last;
  position_[last] = index;
  old_bucket.pop_back();
  auto& new_bucket = buckets_[new_free];
  position_[node] = static_cast<int>(new_bucket.size());
  new_bucket.push_back(node);
  free_gpus_[node] = new_free;
  ++version_[node];
  if (new_free > largest_free_) largest_free_ = new_free;
  while (largest_free_ > 0 && buckets_[largest_free_].empty()) --largest_free_;
}

void ClusterState::set_host_capacity(std::vector<std::int64_t> cpu_milli, std::vector<std::int64_t> memory_mib) {
  cpu_free_ = std::move(cpu_milli);
  memory_free_ = std::move(memory_mib);
}

void ClusterState::take_host(int node, std::int64_t cpu_milli, std::int64_t memory_mib) {
  ++version_[node];
  if (cpu_free_.empty()) return;
  cpu_free_[node] -= cpu_milli;
  memory_free_[node] -= memory_mib;
}

void ClusterState::give_back_host(int node, std::int64_t cpu_milli, std::int64_t memory_mib) {
  ++version_[node];
  if (cpu_free_.empty()) return;
  cpu_free_[node] += cpu_milli;
  memory_free_[node] += memory_mib;
}

void ClusterState::take(const Placement& placement) {
  if (placement.parts.size() == 1) take_host(placement.parts[0].first, placement.cpu_milli, placement.memory_mib);
  for (const auto& [node, gpus] : placement.parts) {
    assert(gpus > 0 && gpus <= free_gpus_[node]);
    move_node(node, free_gpus_[node] - gpus);
    free_total_ -= gpus;
  }
}

void ClusterState::give_back(const Placement& placement) {
  if (placement.parts.size() == 1) give_back_host(placement.parts[0].first, placement.cpu_milli, placement.memory_mib);
  for (const auto& [node, gpus] : placement.parts) {
    assert(gpus > 0 && free_gpus_[node] + gpus <= gpus_per_node_);
    move_node(node, free_gpus_[node] + gpus);
    free_total_ += gpus;
  }
}

}  // namespace fleetsim

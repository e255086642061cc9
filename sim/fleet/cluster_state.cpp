#include "sim/fleet/cluster_state.hpp"

#include <cassert>

namespace fleetsim {

ClusterState::ClusterState(int node_count, int gpus_per_node, bool available)
    : gpus_per_node_(gpus_per_node),
      free_total_(available ? node_count * gpus_per_node : 0),
      largest_free_(available && node_count > 0 ? gpus_per_node : 0),
      available_count_(available ? node_count : 0),
      free_gpus_(node_count, gpus_per_node),
      available_(node_count, available ? 1 : 0),
      buckets_(gpus_per_node + 1),
      position_(node_count, -1),
      version_(node_count, 0) {
  if (!available) return;
  auto& full = buckets_[gpus_per_node];
  full.reserve(node_count);
  // Highest index at the back: placement takes nodes from the back, so node 0 is used first.
  for (int node = node_count - 1; node >= 0; --node) {
    position_[node] = static_cast<int>(full.size());
    full.push_back(node);
  }
}

void ClusterState::unlink(int node) {
  auto& bucket = buckets_[free_gpus_[node]];
  const int index = position_[node];
  const int last = bucket.back();
  bucket[index] = last;
  position_[last] = index;
  bucket.pop_back();
  position_[node] = -1;
}

void ClusterState::link(int node) {
  auto& bucket = buckets_[free_gpus_[node]];
  position_[node] = static_cast<int>(bucket.size());
  bucket.push_back(node);
}

void ClusterState::move_node(int node, int new_free) {
  ++version_[node];
  if (!available_[node]) {
    free_gpus_[node] = new_free;
    return;
  }
  free_total_ += new_free - free_gpus_[node];
  unlink(node);
  free_gpus_[node] = new_free;
  link(node);
  if (new_free > largest_free_) largest_free_ = new_free;
  while (largest_free_ > 0 && buckets_[largest_free_].empty()) --largest_free_;
}

void ClusterState::set_available(int node, bool available) {
  if (static_cast<bool>(available_[node]) == available) return;
  ++version_[node];
  if (available) {
    available_[node] = 1;
    ++available_count_;
    free_total_ += free_gpus_[node];
    link(node);
    if (free_gpus_[node] > largest_free_) largest_free_ = free_gpus_[node];
  } else {
    unlink(node);
    available_[node] = 0;
    --available_count_;
    free_total_ -= free_gpus_[node];
    while (largest_free_ > 0 && buckets_[largest_free_].empty()) --largest_free_;
  }
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
    assert(gpus > 0 && gpus <= free_gpus_[node] && available_[node]);
    move_node(node, free_gpus_[node] - gpus);
  }
}

void ClusterState::give_back(const Placement& placement) {
  if (placement.parts.size() == 1) give_back_host(placement.parts[0].first, placement.cpu_milli, placement.memory_mib);
  for (const auto& [node, gpus] : placement.parts) {
    assert(gpus > 0 && free_gpus_[node] + gpus <= gpus_per_node_);
    move_node(node, free_gpus_[node] + gpus);
  }
}

}  // namespace fleetsim

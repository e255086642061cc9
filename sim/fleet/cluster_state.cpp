#include "sim/fleet/cluster_state.hpp"

#include <algorithm>
#include <cassert>

#include "sim/core/huge_pages.hpp"

namespace fleetsim {

ClusterState::ClusterState(int node_count, int gpus_per_node, bool available)
    : gpus_per_node_(gpus_per_node),
      free_total_(available ? node_count * gpus_per_node : 0),
      largest_free_(available && node_count > 0 ? gpus_per_node : 0),
      available_count_(available ? node_count : 0),
      buckets_(gpus_per_node + 1) {
  assert(gpus_per_node <= 1024);  // hw/catalog.cpp's limit; a node's free count is 16 bits
  assign_on_huge_pages(nodes_, node_count, Node{-1, 0, -1, static_cast<std::int16_t>(gpus_per_node), static_cast<std::uint8_t>(available ? 1 : 0)});
  if (!available || gpus_per_node == 0) return;
  auto& full = buckets_[gpus_per_node];
  full.reserve(node_count);
  // Highest index at the back: placement takes nodes from the back, so node 0 is used first.
  for (int node = node_count - 1; node >= 0; --node) {
    nodes_[node].position = static_cast<int>(full.size());
    full.push_back(node);
  }
}

void ClusterState::unlink(int node) {
  Node& record = nodes_[node];
  if (record.position < 0) return;
  auto& bucket = buckets_[record.free];
  const int last = bucket.back();
  bucket[record.position] = last;
  nodes_[last].position = record.position;
  bucket.pop_back();
  record.position = -1;
}

void ClusterState::link(int node) {
  Node& record = nodes_[node];
  if (record.free == 0) return;
  auto& bucket = buckets_[record.free];
  record.position = static_cast<int>(bucket.size());
  bucket.push_back(node);
}

void ClusterState::set_available(int node, bool available) {
  Node& record = nodes_[node];
  if (static_cast<bool>(record.available) == available) return;
  ++record.version;
  if (available) {
    record.available = 1;
    ++available_count_;
    free_total_ += record.free;
    link(node);
    if (record.free > largest_free_) largest_free_ = record.free;
  } else {
    unlink(node);
    record.available = 0;
    --available_count_;
    free_total_ -= record.free;
    settle_largest_free();
  }
}

// Lowers the largest free count to the highest non-empty bucket (after nodes left the buckets at the top).
void ClusterState::settle_largest_free() {
  while (largest_free_ > 0 && buckets_[largest_free_].empty()) --largest_free_;
}

void ClusterState::set_host_capacity(std::vector<std::int64_t> cpu_milli, std::vector<std::int64_t> memory_mib) {
  cpu_free_ = std::move(cpu_milli);
  memory_free_ = std::move(memory_mib);
}

void ClusterState::take_host(int node, std::int64_t cpu_milli, std::int64_t memory_mib) {
  ++nodes_[node].version;
  if (cpu_free_.empty()) return;
  cpu_free_[node] -= cpu_milli;
  memory_free_[node] -= memory_mib;
}

void ClusterState::give_back_host(int node, std::int64_t cpu_milli, std::int64_t memory_mib) {
  ++nodes_[node].version;
  if (cpu_free_.empty()) return;
  cpu_free_[node] += cpu_milli;
  memory_free_[node] += memory_mib;
}

// A multi-node job touches hundreds of nodes spread over the cluster: fetch the records well ahead (a memory
// access takes far longer than the work on one node) so that their cache misses overlap instead of following
// each other. At 10 GW, 8 ahead: engine 63-67 s; 32 ahead: 50 s.
namespace {
constexpr std::size_t kPrefetchAhead = 32;

void prefetch_first(const std::vector<std::pair<int, int>>& parts, const void* records, std::size_t record_bytes) {
  const std::size_t end = std::min(parts.size(), kPrefetchAhead);
  for (std::size_t i = 0; i < end; ++i)
    __builtin_prefetch(static_cast<const char*>(records) + parts[i].first * record_bytes, 1);
}
}  // namespace

// Takes (sign -1) or gives back (+1) the GPUs of a placement.
void ClusterState::change(const Placement& placement, int sign, std::int32_t holder) {
  const auto& parts = placement.parts;
  if (parts.size() == 1) {
    if (sign < 0) take_host(parts[0].first, placement.cpu_milli, placement.memory_mib);
    else give_back_host(parts[0].first, placement.cpu_milli, placement.memory_mib);
  }
  prefetch_first(parts, nodes_.data(), sizeof(Node));
  // Each node moves to the bucket of its new free count; the largest free count is settled once, after the
  // loop (it is the highest non-empty bucket: the same value as settling it after every node).
  int raised = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i + kPrefetchAhead < parts.size()) __builtin_prefetch(&nodes_[parts[i + kPrefetchAhead].first], 1);
    const auto [node, gpus] = parts[i];
    Node& record = nodes_[node];
    assert(gpus > 0 && (sign > 0 ? record.free + gpus <= gpus_per_node_ : gpus <= record.free && record.available));
    if (gpus == gpus_per_node_) record.holder = sign < 0 ? holder : -1;
    const int new_free = record.free + sign * gpus;
    ++record.version;
    if (!record.available) {  // out of the pool (draining, failed): no bucket, not counted as free
      record.free = static_cast<std::int16_t>(new_free);
      continue;
    }
    free_total_ += sign * gpus;
    unlink(node);
    record.free = static_cast<std::int16_t>(new_free);
    link(node);
    if (new_free > raised) raised = new_free;
  }
  if (raised > largest_free_) largest_free_ = raised;
  settle_largest_free();
}

void ClusterState::take(const Placement& placement, std::int32_t holder) { change(placement, -1, holder); }

void ClusterState::give_back(const Placement& placement) { change(placement, +1, -1); }

}  // namespace fleetsim

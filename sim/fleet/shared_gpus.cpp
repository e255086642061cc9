#include "sim/fleet/shared_gpus.hpp"

#include <algorithm>
#include <cassert>

namespace fleetsim {

void SharedGpus::index(int slot) { slots_[slot].entry = by_free_.emplace(slots_[slot].free_milli, slot); }

int SharedGpus::open(int node, int milli) {
  assert(milli > 0 && milli < kMilliPerGpu);
  int slot;
  if (!closed_.empty()) {
    slot = closed_.back();
    closed_.pop_back();
  } else {
    slot = static_cast<int>(slots_.size());
    slots_.emplace_back();
  }
  slots_[slot].node = node;
  slots_[slot].free_milli = kMilliPerGpu - milli;
  index(slot);
  by_node_[node].push_back(slot);
  return slot;
}

void SharedGpus::take(int slot, int milli) {
  Slot& s = slots_[slot];
  assert(milli <= s.free_milli);
  by_free_.erase(s.entry);
  s.free_milli -= milli;
  index(slot);
}

const std::vector<int>& SharedGpus::slots_on(int node) const {
  static const std::vector<int> kNone;
  auto found = by_node_.find(node);
  return found == by_node_.end() ? kNone : found->second;
}

bool SharedGpus::release(int slot, int milli) {
  Slot& s = slots_[slot];
  by_free_.erase(s.entry);
  s.free_milli += milli;
  assert(s.free_milli <= kMilliPerGpu);
  if (s.free_milli == kMilliPerGpu) {
    auto& on_node = by_node_[s.node];
    on_node.erase(std::find(on_node.begin(), on_node.end(), slot));
    if (on_node.empty()) by_node_.erase(s.node);
    closed_.push_back(slot);
    return true;
  }
  index(slot);
  return false;
}

}  // namespace fleetsim

#pragma once
// GPUs shared by jobs that each ask for a fraction of one GPU (Alibaba openb's gpu_milli, ATC'23): a shared
// GPU is taken whole from its node's free GPUs when its first tenant arrives and given back when its last
// tenant leaves. Capacity is counted in thousandths of a GPU.
#include <map>
#include <optional>
#include <vector>

#include "sim/workload/job.hpp"  // kMilliPerGpu

namespace fleetsim {

class SharedGpus {
 public:
  // The shared GPU with the least free capacity that still holds `milli` (best fit) among those whose node
  // passes `node_ok` (e.g. has the CPU and memory the job needs), if any.
  template <class NodeOk>
  std::optional<int> best_fit(int milli, NodeOk node_ok) const {
    for (auto it = by_free_.lower_bound(milli); it != by_free_.end(); ++it)
      if (node_ok(slots_[it->second].node)) return it->second;
    return std::nullopt;
  }
  // A GPU of `node` becomes shared, its first tenant taking `milli`; returns its slot.
  int open(int node, int milli);
  void take(int slot, int milli);
  // Gives `milli` back; true when the GPU has no tenant left (the slot is then closed and the caller gives the
  // GPU back to its node).
  bool release(int slot, int milli);
  int node_of(int slot) const { return slots_[slot].node; }
  int free_milli(int slot) const { return slots_[slot].free_milli; }
  // Open shared GPUs of `node` (slot numbers).
  const std::vector<int>& slots_on(int node) const;
  // Nodes with open shared GPUs (ascending) and their slots.
  const std::map<int, std::vector<int>>& nodes_with_slots() const { return by_node_; }

 private:
  struct Slot {
    int node = -1;
    int free_milli = 0;
    std::multimap<int, int>::iterator entry;  // in by_free_
  };
  void index(int slot);
  std::vector<Slot> slots_;
  std::vector<int> closed_;             // slot numbers to reuse
  std::multimap<int, int> by_free_;     // free milli -> slot
  std::map<int, std::vector<int>> by_node_;  // node -> open slots
};

}  // namespace fleetsim

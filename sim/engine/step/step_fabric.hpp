#pragma once
// The network of a training job's nodes as the detailed mode (`fleetsim step`) builds it on SimGrid. Plain data
// and arithmetic, no SimGrid: step_platform.cpp turns it into zones, hosts and links.
//
// - Scale-up: per NVLink domain a switch, one link per GPU (each way) at the all-reduce bus bandwidth fitted to
//   NCCL's measured timings (kernels.toml), so that a ring over the switch reproduces the measured collectives; no
//   link latency: the fitted per-collective latency is added once per collective, as measured.
// - Scale-out: per GPU its share of the node's NICs (the same effective rate as fleet mode: NIC or fabric port rate
//   at the efficiency measured between two DGX H100), half the measured GPU-to-GPU latency on each side, to a leaf
//   switch. Rail-optimised fabrics put GPU i of every node of a scalable unit on leaf i; leaf/spine ("fat-tree")
//   fabrics put all of a node's NICs on one leaf, of ScaleOut::leaf_nodes nodes (machine_for: radix x o / (1 + o)
//   ports down, o the fabric's oversubscription); the spines above are one aggregated link per leaf (ECMP over the
//   spines taken as perfect) carrying the leaf's down ports / o, with the switch latency each way. Without a
//   fabric (or a radix) the nodes share one non-blocking switch.
#include "sim/training/step_time.hpp"

namespace fleetsim {

struct StepFabric {
  bool rail_optimized = false;
  int node_gpus = 1;
  long long nodes_per_leaf = 0;   // 0: one switch for every node (per rail when rail-optimised)
  double nic_bytes_per_s = 0;     // per GPU, each way
  double nic_latency_s = 0;       // GPU to its leaf
  double uplink_bytes_per_s = 0;  // one leaf to the spines, each way (all its uplinks together)
  double oversubscription = 1;    // the leaf's down ports over its up ports
  double spine_latency_s = 0;     // leaf to spine
  double nvlink_bytes_per_s = 0;  // per GPU to its NVLink switch, each way
  bool reduce_by_symmetry = true;  // false: every rail's and every replica's flows (collective_flows.hpp), to check

  // The leaf a GPU's NIC is on.
  long long leaf(long long node, int local) const {
    const long long group = nodes_per_leaf > 0 ? node / nodes_per_leaf : 0;
    return rail_optimized ? group * node_gpus + local : group;
  }
  // Rails share no link on a rail-optimised fabric (and the spines are not oversubscribed by one rail's traffic
  // more than by another's): every rail carries the same flows, so one rail stands for all.
  bool rails_independent() const { return rail_optimized && reduce_by_symmetry; }
};

// From the machine's scale-out (training::machine_for / apply_fabric: no fabric = one switch).
StepFabric step_fabric(const training::Machine& machine);

}  // namespace fleetsim

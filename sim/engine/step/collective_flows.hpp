#pragma once
// The flows the detailed mode starts on the SimGrid network for each kind of communication, chosen by symmetry so
// that their number stays in the hundreds to low thousands (SimGrid's flow-level model costs about K^2 for K
// concurrent flows). A communication ends when all its flows have: the replicas synchronise at every step's
// data-parallel collectives, so the slowest group or replica sets the pace. Plain data, no SimGrid.
//
// Symmetries used:
// - Every step of a ring collective moves the same bytes between the same GPUs: one step's flows are started with
//   the bytes of all n - 1 steps (the links are busy for the whole collective), the other steps' latency added.
// - Every tensor-parallel group of a job does the same on its own NVLink ports: one group is simulated.
// - On a rail-optimised fabric the rails share no link: the flows of one rail stand for all (rails_independent).
// - A data-parallel ring flow that stays under one leaf uses only its two NICs, which carry no other ring's flow:
//   it ends no later than the slowest flow, so only the representative replica's own flows (which meet its
//   pipeline traffic on the same NICs) are kept; every flow crossing leaves is kept (uplinks are shared).
// - All stages' expert groups are alike: those of the first stage are simulated, over one period of the pattern
//   that groups and leaves make (lcm of their sizes in nodes): every alignment of a group on the leaves appears.
// - Pipeline sends: the representative replica's, and on an oversubscribed fabric the other replicas' sends that
//   share a leaf with them (all replicas send at the same moment, across the same uplinks).
// StepFabric::reduce_by_symmetry = false keeps every rail, every ring hop, every expert group and every replica's
// sends: the same times, at a higher cost (`fleetsim step --all-flows`, a check of these arguments).
#include <vector>

#include "sim/engine/step/step_fabric.hpp"
#include "sim/training/job_layout.hpp"

namespace fleetsim {

struct Flow {
  long long from = 0, to = 0;  // ranks
  double bytes = 0;            // per ring step, or per transfer
};

struct FlowSet {
  std::vector<Flow> flows;
  bool nvlink = false;  // every flow inside one NVLink domain
};

// One step of a ring reduce-scatter or all-gather in the first tensor-parallel group, for a tensor of 1 byte (scale by
// the tensor's bytes).
FlowSet tensor_parallel_ring(const training::JobLayout& layout);

// One step of the data-parallel rings of pipeline stage `stage` for a buffer of 1 byte per GPU (scale by the bytes):
// inside one NVLink domain each GPU sends 1/n to the next; across nodes, with L data-parallel peers on a node, each
// NIC carries one channel of 1/(n x L) to the same rail of the next node (the intra-node hops, over NVLink ~10x
// faster, are not simulated).
FlowSet data_parallel_ring(const training::JobLayout& layout, const StepFabric& fabric, int stage);

// One all-to-all (dispatch or combine) of the expert-parallel groups of stage 0: each GPU sends `bytes` in all,
// split evenly over its ep - 1 peers.
FlowSet expert_all_to_all(const training::JobLayout& layout, const StepFabric& fabric, double bytes);

// One step of the context-parallel K/V ring of stage 0, replica 0: each rank sends `bytes` to the next.
FlowSet context_parallel_ring(const training::JobLayout& layout, const StepFabric& fabric, double bytes);

// A pipeline send of `bytes` from every GPU of stage `from` to the same tensor/context rank of stage `to`, replica 0.
FlowSet pipeline_send(const training::JobLayout& layout, const StepFabric& fabric, int from, int to, double bytes);

}  // namespace fleetsim

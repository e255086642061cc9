#include "sim/engine/step/collective_flows.hpp"

#include <numeric>
#include <set>

namespace fleetsim {

namespace {

// Keeps the flows of the reference GPU's rail when rails are independent (every rail carries the same flows).
class RailFilter {
 public:
  RailFilter(const training::JobLayout& layout, const StepFabric& fabric, long long reference)
      : layout_(layout), all_(!fabric.rails_independent()), rail_(layout.local(reference)) {}
  bool keeps(long long from) const { return all_ || layout_.local(from) == rail_; }

 private:
  const training::JobLayout& layout_;
  bool all_;
  int rail_;
};

// Calls f(t, c) for every tensor- and context-parallel rank: the GPUs of one stage of one replica.
template <class F>
void for_each_model_rank(const training::Parallelism& p, F f) {
  for (int t = 0; t < p.tp; ++t)
    for (int c = 0; c < p.cp; ++c) f(t, c);
}

long long leaf_of(const training::JobLayout& layout, const StepFabric& fabric, long long rank) {
  return fabric.leaf(layout.node(rank), layout.local(rank));
}

bool crosses_leaves(const training::JobLayout& layout, const StepFabric& fabric, const Flow& flow) {
  return !layout.same_domain(flow.from, flow.to) && leaf_of(layout, fabric, flow.from) != leaf_of(layout, fabric, flow.to);
}

void finish(FlowSet& set, const training::JobLayout& layout) {
  set.nvlink = !set.flows.empty();
  for (const Flow& flow : set.flows) set.nvlink = set.nvlink && layout.same_domain(flow.from, flow.to);
}

// Every ordered pair of a group's members, `bytes` per GPU split over its peers. Between NVLink domains the data
// leaves through the NIC on the receiver's rail (NCCL's PXN moves it there over NVLink first: that hop, ~10x
// faster than the NIC, is not simulated); kept when that rail is.
void add_all_to_all(FlowSet& set, const training::JobLayout& layout, const std::vector<long long>& members, double bytes,
                    const RailFilter& rails) {
  const double each = bytes / double(members.size() - 1);
  for (long long from : members)
    for (long long to : members) {
      if (to == from) continue;
      if (layout.same_domain(from, to)) {
        if (rails.keeps(from)) set.flows.push_back({from, to, each});
      } else if (rails.keeps(to)) {
        set.flows.push_back({layout.node(from) * layout.node_gpus() + layout.local(to), to, each});
      }
    }
}

// One step of a ring over `members` (in ring order) for a buffer of 1 byte per member. Inside one NVLink domain
// each member sends 1/n to the next. Across nodes NCCL runs one channel per NIC through the L members a node holds,
// so each member sends 1/(n L) to the member L places on, the same rail of the next node (NCCL rings: (n-1)/n x S per
// rank, split over the channels); the hops inside a node go over NVLink, ~10x faster, and are not simulated.
std::vector<Flow> ring_step(const std::vector<long long>& members, const training::JobLayout& layout) {
  const std::size_t n = members.size();
  if (n <= 1) return {};
  bool one_domain = true;
  std::size_t on_first_node = 0;
  for (long long member : members) {
    one_domain = one_domain && layout.same_domain(members.front(), member);
    on_first_node += layout.node(member) == layout.node(members.front());
  }
  const std::size_t hop = one_domain ? 1 : on_first_node;
  const double bytes = 1.0 / (double(n) * hop);
  std::vector<Flow> flows;
  for (std::size_t i = 0; i < n; ++i) flows.push_back({members[i], members[(i + hop) % n], bytes});
  return flows;
}

}  // namespace

FlowSet tensor_parallel_ring(const training::JobLayout& layout) {
  FlowSet set;
  std::vector<long long> members;
  for (int t = 0; t < layout.parallelism().tp; ++t) members.push_back(layout.rank(t, 0, 0, 0));
  set.flows = ring_step(members, layout);
  finish(set, layout);
  return set;
}

FlowSet data_parallel_ring(const training::JobLayout& layout, const StepFabric& fabric, int stage) {
  FlowSet set;
  const training::Parallelism& p = layout.parallelism();
  const RailFilter rails(layout, fabric, layout.rank(0, 0, 0, stage));
  std::set<long long> replica_nodes;  // the representative replica's nodes: its pipeline sends use their NICs
  for_each_model_rank(p, [&](int t, int c) { replica_nodes.insert(layout.node(layout.rank(t, c, 0, stage))); });
  for_each_model_rank(p, [&](int t, int c) {
    std::vector<long long> members;
    for (int d = 0; d < layout.data_parallel(); ++d) members.push_back(layout.rank(t, c, d, stage));
    for (const Flow& flow : ring_step(members, layout)) {
      if (!rails.keeps(flow.from)) continue;
      const bool replica = replica_nodes.count(layout.node(flow.from)) || replica_nodes.count(layout.node(flow.to));
      if (replica || crosses_leaves(layout, fabric, flow) || !fabric.reduce_by_symmetry) set.flows.push_back(flow);
    }
  });
  finish(set, layout);
  return set;
}

FlowSet expert_all_to_all(const training::JobLayout& layout, const StepFabric& fabric, double bytes) {
  FlowSet set;
  const training::Parallelism& p = layout.parallelism();
  if (p.ep <= 1) return set;
  const RailFilter rails(layout, fabric, 0);
  const auto group = [&](int t, int c, int block) {
    std::vector<long long> members;
    for (int i = 0; i < p.ep; ++i) members.push_back(layout.rank(t, c, block * p.ep + i, 0));
    return members;
  };
  // One period of the groups' alignment on the leaves, in nodes (all of the stage without symmetry).
  const long long span = layout.node(group(p.tp - 1, p.cp - 1, 0).back()) + 1;  // nodes under the first groups
  long long period = fabric.nodes_per_leaf > 0 ? std::lcm(span, fabric.nodes_per_leaf) : span;
  if (!fabric.reduce_by_symmetry) period = layout.nodes();
  for (int block = 0; block < layout.data_parallel() / p.ep; ++block)
    for_each_model_rank(p, [&](int t, int c) {
      const std::vector<long long> members = group(t, c, block);
      if (layout.node(members.front()) < period) add_all_to_all(set, layout, members, bytes, rails);
    });
  finish(set, layout);
  return set;
}

FlowSet context_parallel_ring(const training::JobLayout& layout, const StepFabric& fabric, double bytes) {
  FlowSet set;
  const training::Parallelism& p = layout.parallelism();
  if (p.cp <= 1) return set;
  const RailFilter rails(layout, fabric, 0);
  for_each_model_rank(p, [&](int t, int c) {
    const Flow flow{layout.rank(t, c, 0, 0), layout.rank(t, (c + 1) % p.cp, 0, 0), bytes};
    if (rails.keeps(flow.from)) set.flows.push_back(flow);
  });
  finish(set, layout);
  return set;
}

FlowSet pipeline_send(const training::JobLayout& layout, const StepFabric& fabric, int from, int to, double bytes) {
  FlowSet set;
  const training::Parallelism& p = layout.parallelism();
  if (from == to) return set;
  const RailFilter rails(layout, fabric, layout.rank(0, 0, 0, from));
  const auto send = [&](int t, int c, int d) { return Flow{layout.rank(t, c, d, from), layout.rank(t, c, d, to), bytes}; };
  std::set<long long> leaves;  // the leaves replica 0's sends leave and enter, when they cross
  for_each_model_rank(p, [&](int t, int c) {
    const Flow flow = send(t, c, 0);
    if (!rails.keeps(flow.from)) return;
    set.flows.push_back(flow);
    if (crosses_leaves(layout, fabric, flow)) {
      leaves.insert(leaf_of(layout, fabric, flow.from));
      leaves.insert(leaf_of(layout, fabric, flow.to));
    }
  });
  // Below an oversubscription of 1 a leaf's uplinks carry all its nodes' sends at the NIC rate: replica 0 suffices.
  if (fabric.oversubscription <= 1 && fabric.reduce_by_symmetry) leaves.clear();
  for (int d = 1; d < layout.data_parallel(); ++d)
    for_each_model_rank(p, [&](int t, int c) {
      const Flow flow = send(t, c, d);
      const bool shares = leaves.count(leaf_of(layout, fabric, flow.from)) || leaves.count(leaf_of(layout, fabric, flow.to));
      if (rails.keeps(flow.from) && (shares || !fabric.reduce_by_symmetry)) set.flows.push_back(flow);
    });
  finish(set, layout);
  return set;
}

}  // namespace fleetsim

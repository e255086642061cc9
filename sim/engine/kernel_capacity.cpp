// Planned capacity changes (sim/fleet/capacity_plan.hpp): clusters commissioned and decommissioned, maintenance
// windows with or without draining. A node's status says where it is:
//   absent (not commissioned yet) -> up (in the pool) -> draining (out of the pool, jobs still on it)
//   -> in_maintenance (powered off, back after its duration) or retired (decommissioned).
// nodes_down/nodes_up are announced when nodes are powered off or on, and say whether they leave or join the
// installed fleet.
#include <simgrid/kernel/Timer.hpp>

#include "sim/engine/kernel.hpp"

#include <algorithm>

namespace fleetsim {

namespace {
std::vector<int> node_range(int first, int count) {
  std::vector<int> nodes(count);
  for (int i = 0; i < count; ++i) nodes[i] = first + i;
  return nodes;
}
}  // namespace

bool Kernel::idle(int cluster_index, int node) const {
  const Cluster& cluster = fleet_.clusters[cluster_index];
  return cluster.state.idle_gpus_on(node) == cluster.state.gpus_per_node() && cluster.shared.slots_on(node).empty();
}

void Kernel::apply(const CapacityChange& change) {
  ++events_;
  const double now = now_s();
  Cluster& cluster = fleet_.clusters[change.cluster];
  std::vector<int> nodes = node_range(change.first_node, change.nodes);
  switch (change.kind) {
    case CapacityChange::Kind::commission: {
      std::vector<int> joined;
      for (int node : nodes)
        if (status_[change.cluster][node] == absent) {
          status_[change.cluster][node] = up;
          cluster.state.set_available(node, true);
          joined.push_back(node);
        }
      if (!joined.empty()) lifecycle_.nodes_up(NodeChange{change.cluster, joined, now, CapacityReason::commissioning, true});
      capacity_returned(cluster.campus);
      return;
    }
    case CapacityChange::Kind::decommission:
      for (int node : nodes) {
        std::uint8_t& status = status_[change.cluster][node];
        if (status == in_maintenance) {  // already off: it leaves the installed fleet without coming back
          status = retired;
          lifecycle_.nodes_down(NodeChange{change.cluster, {node}, now, CapacityReason::decommissioning, true, false});
        } else if (status == draining) {
          draining_[change.cluster][node] = Drain{retired, 0};
        }
      }
      take_out(change.cluster, nodes, change);
      return;
    case CapacityChange::Kind::maintenance:
      if (!change.drain) {
        // Interrupt the jobs on these nodes (they resume from their last checkpoint), then power the nodes off.
        for (std::uint64_t victim : runs_on(change.cluster, nodes)) interrupt_job(victim, InterruptCause::maintenance);
      }
      take_out(change.cluster, nodes, change);
      schedule(cluster.campus);
      return;
  }
}

// Which runs are on which node (for failures): a run is listed on each node it holds GPUs (or a shared GPU) of.
void Kernel::index_run(const Run& run, std::int32_t slot, bool add) {
  NodeRuns& nodes = node_runs_[run.placement.cluster];
  const auto update = [&](int node) {
    std::int32_t* first = nodes.runs.data() + static_cast<std::size_t>(node) * nodes.slots;
    std::int32_t* last = first + nodes.slots;
    std::int32_t* found = std::find(first, last, add ? -1 : slot);
    if (found != last) {
      *found = add ? slot : -1;
      return;
    }
    if (add) {
      nodes.overflow.emplace(node, slot);
      return;
    }
    for (auto [at, end] = nodes.overflow.equal_range(node); at != end; ++at)
      if (at->second == slot) {
        nodes.overflow.erase(at);
        return;
      }
  };
  if (run.shared_node >= 0) {
    update(run.shared_node);
    return;
  }
  // A multi-node run's nodes are spread over the cluster: fetch their slots ahead so the misses overlap (as
  // ClusterState::change does).
  constexpr std::size_t kAhead = 16;
  const auto& parts = run.placement.parts;
  const auto prefetch = [&](std::size_t i) {
    __builtin_prefetch(nodes.runs.data() + static_cast<std::size_t>(parts[i].first) * nodes.slots, 1);
  };
  // Nodes the run holds whole carry it in their ClusterState record (whole_holder): only the others are indexed
  // here. Whole-node placements are the bulk of a large fleet's node updates.
  const int whole = fleet_.clusters[run.placement.cluster].state.gpus_per_node();
  if (std::all_of(parts.begin(), parts.end(), [whole](const auto& part) { return part.second == whole; })) return;
  for (std::size_t i = 0; i < std::min(parts.size(), kAhead); ++i) prefetch(i);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i + kAhead < parts.size()) prefetch(i + kAhead);
    if (parts[i].second != whole) update(parts[i].first);
  }
}

// A single-node run's index line, fetched ahead at the start of start_job and release so that its miss overlaps
// the node record's (most runs at fleet scale hold part of one node).
void Kernel::prefetch_index(const Placement& placement) const {
  if (!track_nodes_ || placement.parts.size() != 1) return;
  const NodeRuns& nodes = node_runs_[placement.cluster];
  __builtin_prefetch(nodes.runs.data() + static_cast<std::size_t>(placement.parts.front().first) * nodes.slots, 1);
}

// Ids of the jobs running on any of `nodes`, in id order (whatever slots they run in).
std::vector<std::uint64_t> Kernel::runs_on(int cluster_index, const std::vector<int>& nodes) const {
  std::vector<std::uint64_t> victims;
  if (track_nodes_) {
    const NodeRuns& index = node_runs_[cluster_index];
    const ClusterState& state = fleet_.clusters[cluster_index].state;
    for (int node : nodes) {
      if (const std::int32_t holder = state.whole_holder(node); holder >= 0) victims.push_back(runs_[holder].id);
      for (int i = 0; i < index.slots; ++i) {
        const std::int32_t slot = index.runs[static_cast<std::size_t>(node) * index.slots + i];
        if (slot >= 0) victims.push_back(runs_[slot].id);
      }
      for (auto [at, end] = index.overflow.equal_range(node); at != end; ++at) victims.push_back(runs_[at->second].id);
    }
    std::sort(victims.begin(), victims.end());
    victims.erase(std::unique(victims.begin(), victims.end()), victims.end());
    return victims;
  }
  {
    std::vector<std::uint8_t> in_set(fleet_.clusters[cluster_index].state.node_count(), 0);
    for (int node : nodes) in_set[node] = 1;
    for (const Run& run : runs_) {
      if (!run.active || run.placement.cluster != cluster_index) continue;
      bool hit = run.shared_node >= 0 && in_set[run.shared_node];
      for (const auto& part : run.placement.parts) hit |= in_set[part.first] != 0;
      if (hit) victims.push_back(run.id);
    }
  }
  std::sort(victims.begin(), victims.end());
  return victims;
}

// A node fails: its runs stop (they resume from their last checkpoint after their restart time) and, with a
// repair time, it leaves the pool, powered off, until repaired.
FailureImpact Kernel::fail_node(int cluster_index, int node, double repair_s) {
  FailureImpact impact;
  const std::uint8_t status = status_[cluster_index][node];
  if (status != up && status != draining) return impact;
  impact.in_service = true;
  for (std::uint64_t victim : runs_on(cluster_index, {node})) {
    const int gpus = jobs_[victim].gpus;
    const double rate = runs_[job_[victim].run].work.rate();
    const Interruption interruption = interrupt_job(victim, InterruptCause::failure);
    ++impact.jobs_hit;
    if (rate > 0) impact.gpu_seconds_lost += (interruption.work_done - interruption.work_kept) / rate * gpus;
  }
  Cluster& cluster = fleet_.clusters[cluster_index];
  if (repair_s > 0) {
    if (status == draining) draining_[cluster_index].erase(node);  // planned to go down anyway: repair first
    else cluster.state.set_available(node, false);
    status_[cluster_index][node] = in_maintenance;
    const double now = now_s();
    lifecycle_.nodes_down(NodeChange{cluster_index, {node}, now, CapacityReason::failure, false});
    if (now + repair_s <= horizon_s_)
      Timer::set(now + repair_s, [this, cluster_index, node] { repaired(cluster_index, node); });
    swap_in_spare(cluster_index);
  }
  schedule(cluster.campus);
  return impact;
}

// A hot spare replaces a failed node: it joins the pool after the swap time.
void Kernel::swap_in_spare(int cluster_index) {
  auto& spares = spares_[cluster_index];
  if (spares.empty()) return;
  const int node = spares.back();
  spares.pop_back();
  if (now_s() + swap_s_ > horizon_s_) return;
  Timer::set(now_s() + swap_s_, [this, cluster_index, node] {
    ++events_;
    if (status_[cluster_index][node] != spare) return;
    status_[cluster_index][node] = up;
    fleet_.clusters[cluster_index].state.set_available(node, true);
    lifecycle_.nodes_up(NodeChange{cluster_index, {node}, now_s(), CapacityReason::failure, false, false});
    capacity_returned(fleet_.clusters[cluster_index].campus);
  });
}

// A repaired node becomes a spare again while the cluster has fewer than it keeps, else rejoins the pool.
void Kernel::repaired(int cluster_index, int node) {
  ++events_;
  std::uint8_t& status = status_[cluster_index][node];
  if (status != in_maintenance) return;  // decommissioned meanwhile
  Cluster& cluster = fleet_.clusters[cluster_index];
  lifecycle_.nodes_up(NodeChange{cluster_index, {node}, now_s(), CapacityReason::failure, false});  // powered on
  if (static_cast<int>(spares_[cluster_index].size()) < std::min(spares_per_cluster_, cluster.state.node_count() / 2) &&
      spares_per_cluster_ > 0) {
    // Powered, out of the pool: announced down again (not powered off) so that placement views see it gone.
    status = spare;
    spares_[cluster_index].push_back(node);
    lifecycle_.nodes_down(NodeChange{cluster_index, {node}, now_s(), CapacityReason::failure, false, false});
    return;
  }
  status = up;
  cluster.state.set_available(node, true);
  capacity_returned(cluster.campus);
}

// Nodes in the pool leave it; idle ones go down now, busy ones drain.
void Kernel::take_out(int cluster_index, const std::vector<int>& nodes, const CapacityChange& change) {
  Cluster& cluster = fleet_.clusters[cluster_index];
  const bool retire = change.kind == CapacityChange::Kind::decommission;
  const Drain target{retire ? retired : in_maintenance, change.duration_s};
  std::vector<int> down;
  for (int node : nodes) {
    std::uint8_t& status = status_[cluster_index][node];
    if (status != up) continue;
    cluster.state.set_available(node, false);
    if (idle(cluster_index, node)) {
      status = target.becomes;
      down.push_back(node);
    } else {
      status = draining;
      draining_[cluster_index][node] = target;
    }
  }
  if (!down.empty()) power_off(cluster_index, down, target);
}

// Idle nodes out of the pool go down: announced, and back after their maintenance (unless retired).
void Kernel::power_off(int cluster_index, const std::vector<int>& nodes, const Drain& drain) {
  const double now = now_s();
  const bool retire = drain.becomes == retired;
  lifecycle_.nodes_down(NodeChange{cluster_index, nodes, now, retire ? CapacityReason::decommissioning : drain.reason,
                                   retire});
  if (!retire && now + drain.duration_s <= horizon_s_) {  // back after the horizon: never, within the run
    const CapacityReason reason = drain.reason;
    Timer::set(now + drain.duration_s,
               [this, cluster_index, nodes, reason] { end_maintenance(cluster_index, nodes, reason); });
  }
}

// After a run ends or is interrupted: any node of it that was draining and is now idle goes down.
void Kernel::check_drained(int cluster_index, const Run& run) {
  auto& draining = draining_[cluster_index];
  if (draining.empty()) return;
  if (run.shared_node >= 0 && draining.count(run.shared_node)) drained(cluster_index, run.shared_node);
  for (const auto& part : run.placement.parts)
    if (draining.count(part.first)) drained(cluster_index, part.first);
}

void Kernel::drained(int cluster_index, int node) {
  if (!idle(cluster_index, node)) return;
  auto found = draining_[cluster_index].find(node);
  const Drain drain = found->second;
  draining_[cluster_index].erase(found);
  status_[cluster_index][node] = drain.becomes;
  power_off(cluster_index, {node}, drain);
}

void Kernel::end_maintenance(int cluster_index, const std::vector<int>& nodes, CapacityReason reason) {
  ++events_;
  Cluster& cluster = fleet_.clusters[cluster_index];
  std::vector<int> back;
  for (int node : nodes) {
    std::uint8_t& status = status_[cluster_index][node];
    if (status != in_maintenance) continue;  // decommissioned meanwhile
    status = up;
    cluster.state.set_available(node, true);
    back.push_back(node);
  }
  if (back.empty()) return;
  lifecycle_.nodes_up(NodeChange{cluster_index, back, now_s(), reason, false});
  capacity_returned(cluster.campus);
}

// Nodes joined (commissioned, back from maintenance): every queued job may fit again, and the scheduler looks.
void Kernel::capacity_returned(int campus) {
  unplaceable_[campus] = 0;
  schedule(campus);
}

}  // namespace fleetsim

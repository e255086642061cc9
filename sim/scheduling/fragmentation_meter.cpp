#include "sim/scheduling/fragmentation_meter.hpp"

#include "sim/scheduling/fgd_placement.hpp"

namespace fleetsim {

FragmentationMeter::FragmentationMeter(const Fleet& fleet, const std::vector<PlacementContext>& contexts,
                                       Lifecycle& lifecycle)
    : fleet_(fleet),
      contexts_(contexts),
      cluster_fragmented_(fleet.clusters.size(), 0.0),
      node_fragmented_(fleet.clusters.size()),
      campus_(fleet.campuses.size()) {
  for (std::size_t c = 0; c < fleet.clusters.size(); ++c) {
    if (contexts_[c].task_sizes.empty()) continue;
    // An idle node is fragmented too for the tasks it can never hold (more GPUs, CPU or memory than it has).
    std::vector<int> all(fleet.clusters[c].state.node_count());
    for (int node = 0; node < static_cast<int>(all.size()); ++node) all[node] = node;
    node_fragmented_[c].assign(all.size(), 0.0);
    update(static_cast<int>(c), 0.0, all);
  }
  lifecycle.job_started.connect([this](const JobRun& run) { on_run(run); });
  lifecycle.job_ended.connect([this](const JobRun& run) { on_run(run); });
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption&) { on_run(run); });
  lifecycle.hour_tick.connect([this](double time_s, long long) {
    for (TimeIntegral& campus : campus_) campus.advance_to(time_s);
  });
  auto on_nodes = [this](const NodeChange& change) {
    campus_[fleet_.clusters[change.cluster].campus].advance_to(change.time_s);
    update(change.cluster, change.time_s, change.nodes);
  };
  lifecycle.nodes_down.connect(on_nodes);
  lifecycle.nodes_up.connect(on_nodes);
}

void FragmentationMeter::on_run(const JobRun& run) {
  const int cluster = run.placement.cluster;
  campus_[fleet_.clusters[cluster].campus].advance_to(run.time_s);
  if (contexts_[cluster].task_sizes.empty()) {  // counts by bucket: no per-node values to update
    update(cluster, run.time_s, touched_);
    return;
  }
  touched_.clear();
  if (run.shared_node >= 0) {
    touched_.push_back(run.shared_node);
  } else {
    for (const auto& part : run.placement.parts) touched_.push_back(part.first);
  }
  update(cluster, run.time_s, touched_);
}

void FragmentationMeter::update(int cluster_index, double time_s, const std::vector<int>& nodes) {
  const Cluster& cluster = fleet_.clusters[cluster_index];
  const PlacementContext& context = contexts_[cluster_index];
  double fragmented = 0;
  if (!context.task_sizes.empty()) {
    fragmented = cluster_fragmented_[cluster_index];
    for (int node : nodes) {
      double& value = node_fragmented_[cluster_index][node];
      const double now_gpus =
          node_fragmentation_now(cluster, node, context.task_sizes, context.fgd_memo.get()) / kMilliPerGpu;
      fragmented += now_gpus - value;
      value = now_gpus;
    }
  } else {
    if (context.size_above.empty()) return;
    for (int free = 1; free < cluster.state.gpus_per_node(); ++free)
      fragmented += cluster.state.nodes_with_free(free).size() * node_fragmentation(free, context.size_above);
  }
  TimeIntegral& campus = campus_[cluster.campus];
  campus.set(time_s, campus.value() + (fragmented - cluster_fragmented_[cluster_index]));
  cluster_fragmented_[cluster_index] = fragmented;
}

void FragmentationMeter::finish(double horizon_s) {
  for (TimeIntegral& campus : campus_) campus.advance_to(horizon_s);
}

}  // namespace fleetsim

#include "sim/reliability/failure_process.hpp"

#include <cmath>

namespace fleetsim {

FailureProcess::FailureProcess(const Scenario& scenario, const Fleet& fleet, const std::vector<Job>& jobs,
                               FleetControl& control, Lifecycle& lifecycle)
    : scenario_(scenario), fleet_(fleet), jobs_(jobs), control_(control) {
  const ReliabilityConfig& reliability = scenario.reliability;
  for (std::size_t c = 0; c < fleet.clusters.size(); ++c) {
    const Cluster& cluster = fleet.clusters[c];
    streams_.emplace_back(scenario.simulation.seed, "reliability/cluster/" + std::to_string(c));
    std::vector<double> weights;
    // Each class's failures per hour in the whole cluster: per GPU, per node or per rack.
    const double nodes = cluster.state.node_count();
    const double racks = std::ceil(nodes / std::max(1, cluster.nodes_per_rack));
    double per_hour = 0;
    for (const FailureClass& failure : reliability.classes) {
      // A GPU model's own rate for a GPU class, where the catalog or the scenario gives one.
      const auto own = cluster.gpu->failure_rates.find(failure.name);
      const double rate_per_hour =
          failure.per == FailureClass::Per::gpu && own != cluster.gpu->failure_rates.end() ? own->second
                                                                                            : failure.rate_per_hour;
      const double components = failure.per == FailureClass::Per::gpu    ? nodes * cluster.node->gpus
                                : failure.per == FailureClass::Per::node ? nodes
                                                                         : racks;
      weights.push_back(rate_per_hour * components);
      per_hour += weights.back();
    }
    class_weights_.push_back(weights);
    cluster_rate_per_s_.push_back(per_hour / 3600.0);
  }
  // The cost of interruptions, GPU-weighted: work redone, the wait until the next start, blocking writes.
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption& interruption) {
    if (run.rate > 0) lost_gpu_s_ += (interruption.work_done - interruption.work_kept) / run.rate * run.job.gpus;
    if (interruption.gave_up) gave_up_at_[run.job.id] = run.time_s;
    else stopped_at_[run.job.id] = run.time_s;
    if (run.job.checkpoint_write_s > 0) {
      lost_writes_gpu_s_ += blocking_write_share(run.job) * (run.time_s - run_start_[run.job.id]) * run.job.gpus;
      run_start_.erase(run.job.id);
    }
  });
  lifecycle.job_started.connect([this](const JobRun& run) {
    auto stopped = stopped_at_.find(run.job.id);
    if (stopped != stopped_at_.end()) {
      waits_gpu_s_ += (run.time_s - stopped->second) * run.job.gpus;
      stopped_at_.erase(stopped);
    }
    if (run.job.checkpoint_write_s > 0) run_start_[run.job.id] = run.time_s;
  });
  lifecycle.job_ended.connect([this](const JobRun& run) {
    if (run.job.checkpoint_write_s <= 0) return;
    lost_writes_gpu_s_ += blocking_write_share(run.job) * (run.time_s - run_start_[run.job.id]) * run.job.gpus;
    run_start_.erase(run.job.id);
  });
}

void FailureProcess::start() {
  for (std::size_t c = 0; c < fleet_.clusters.size(); ++c) next_failure(static_cast<int>(c));
}

void FailureProcess::next_failure(int cluster) {
  if (!(cluster_rate_per_s_[cluster] > 0)) return;
  const double at_s = control_.now_s() + streams_[cluster].exponential(1.0 / cluster_rate_per_s_[cluster]);
  if (at_s >= scenario_.simulation.duration_s) return;
  control_.at(at_s, [this, cluster] {
    fail(cluster);
    next_failure(cluster);
  });
}

void FailureProcess::fail(int cluster_index) {
  RandomStream& stream = streams_[cluster_index];
  const FailureClass& failure = scenario_.reliability.classes[stream.weighted_index(class_weights_[cluster_index])];
  const Cluster& cluster = fleet_.clusters[cluster_index];
  const int count = cluster.state.node_count();
  int first = 0, last = 0;  // the nodes it takes: one, or a rack's
  if (failure.per == FailureClass::Per::rack) {
    const int per_rack = std::max(1, cluster.nodes_per_rack);
    const int racks = (count + per_rack - 1) / per_rack;
    const int rack = std::min(racks - 1, static_cast<int>(stream.uniform01() * racks));
    first = rack * per_rack;
    last = std::min(count, first + per_rack);
  } else {
    first = std::min(count - 1, static_cast<int>(stream.uniform01() * count));
    last = first + 1;
  }
  FailureEvent event{control_.now_s(), cluster_index, first, last - first, &failure, 0, 0};
  bool in_service = false;
  for (int node = first; node < last; ++node) {
    const FailureImpact impact = control_.fail_node(cluster_index, node, failure.repair_s);
    in_service |= impact.in_service;
    event.jobs_hit += impact.jobs_hit;
    event.gpu_seconds_lost += impact.gpu_seconds_lost;
  }
  if (in_service) failures_.push_back(event);
}

FailureCosts FailureProcess::costs(double horizon_s) const {
  // Runs still going or still waiting at the horizon count up to it.
  FailureCosts costs{lost_gpu_s_, lost_writes_gpu_s_, waits_gpu_s_};
  for (const auto& [id, start_s] : run_start_) costs.writes_gpu_s += blocking_write_share(jobs_[id]) * (horizon_s - start_s) * jobs_[id].gpus;
  for (const auto& [id, stopped_s] : stopped_at_) costs.waits_gpu_s += (horizon_s - stopped_s) * jobs_[id].gpus;
  for (const auto& [id, failed_s] : gave_up_at_) costs.abandoned_gpu_s += (horizon_s - failed_s) * jobs_[id].gpus;
  return costs;
}

}  // namespace fleetsim

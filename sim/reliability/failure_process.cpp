#include "sim/reliability/failure_process.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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
    weibull_streams_.emplace_back(scenario.simulation.seed, "reliability/cluster/" + std::to_string(c) + "/weibull");
    components_.emplace_back();
    for (const FailureClass& failure : reliability.classes) {
      // A GPU model's own rate for a GPU class, where the catalog or the scenario gives one.
      const auto own = cluster.gpu->failure_rates.find(failure.name);
      const double rate_per_hour =
          failure.per == FailureClass::Per::gpu && own != cluster.gpu->failure_rates.end() ? own->second
                                                                                            : failure.rate_per_hour;
      const double components = failure.per == FailureClass::Per::gpu    ? nodes * cluster.node->gpus
                                : failure.per == FailureClass::Per::node ? nodes
                                                                         : racks;
      // A Weibull class is followed per component (next_weibull); the Poisson process has the others.
      weights.push_back(failure.shape == 1 ? rate_per_hour * components : 0.0);
      per_hour += weights.back();
    }
    class_weights_.push_back(weights);
    cluster_rate_per_s_.push_back(per_hour / 3600.0);
  }
  // Scale = mean / Gamma(1 + 1 / shape): the mean time between failures of one component is 1 / its rate.
  for (const FailureClass& failure : reliability.classes)
    weibull_scale_s_.push_back(failure.rate_per_hour > 0 ? 3600.0 / failure.rate_per_hour / std::tgamma(1 + 1 / failure.shape) : 0.0);
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
  const std::vector<FailureClass>& classes = scenario_.reliability.classes;
  for (std::size_t c = 0; c < fleet_.clusters.size(); ++c) {
    const Cluster& cluster = fleet_.clusters[c];
    const int cluster_index = static_cast<int>(c);
    const int nodes = cluster.state.node_count();
    const int racks = (nodes + std::max(1, cluster.nodes_per_rack) - 1) / std::max(1, cluster.nodes_per_rack);
    bool any = false;
    for (std::size_t k = 0; k < classes.size(); ++k) {
      const FailureClass& failure = classes[k];
      if (failure.shape == 1 || !(weibull_scale_s_[k] > 0)) continue;
      // A GPU model's own rate replaces a GPU class's (as for the Poisson classes): its own scale.
      const int count = failure.per == FailureClass::Per::gpu ? nodes * cluster.node->gpus
                        : failure.per == FailureClass::Per::node ? nodes : racks;
      for (int i = 0; i < count; ++i)
        components_[c].push({cluster.commission_s + weibull_lifetime_s(cluster_index, static_cast<int>(k)), static_cast<int>(k), i});
      any = true;
    }
    if (any) next_weibull(cluster_index);
  }
}

double FailureProcess::weibull_lifetime_s(int cluster, int class_index) {
  const FailureClass& failure = scenario_.reliability.classes[static_cast<std::size_t>(class_index)];
  double scale = weibull_scale_s_[static_cast<std::size_t>(class_index)];
  if (failure.per == FailureClass::Per::gpu) {
    const auto own = fleet_.clusters[cluster].gpu->failure_rates.find(failure.name);
    if (own != fleet_.clusters[cluster].gpu->failure_rates.end())
      scale = own->second > 0 ? 3600.0 / own->second / std::tgamma(1 + 1 / failure.shape) : 0.0;
  }
  if (!(scale > 0)) return std::numeric_limits<double>::infinity();
  // Inversion: F(t) = 1 - exp(-(t / scale)^shape).
  return scale * std::pow(-std::log(1 - weibull_streams_[cluster].uniform01()), 1 / failure.shape);
}

void FailureProcess::next_weibull(int cluster) {
  auto& heap = components_[cluster];
  if (heap.empty() || heap.top().time_s >= scenario_.simulation.duration_s) return;
  control_.at(std::max(control_.now_s(), heap.top().time_s), [this, cluster] {
    fail_component(cluster);
    next_weibull(cluster);
  });
}

void FailureProcess::fail_component(int cluster_index) {
  auto& heap = components_[cluster_index];
  const Component component = heap.top();
  heap.pop();
  const FailureClass& failure = scenario_.reliability.classes[static_cast<std::size_t>(component.class_index)];
  const Cluster& cluster = fleet_.clusters[cluster_index];
  const int count = cluster.state.node_count(), per_rack = std::max(1, cluster.nodes_per_rack);
  int first = component.index, last = component.index + 1;
  if (failure.per == FailureClass::Per::gpu) {
    first = component.index / cluster.node->gpus;
    last = first + 1;
  } else if (failure.per == FailureClass::Per::rack) {
    first = component.index * per_rack;
    last = std::min(count, first + per_rack);
  }
  take_nodes(cluster_index, failure, first, last);
  // Replaced by a new component (or, out of service, renewed from now all the same).
  heap.push({control_.now_s() + weibull_lifetime_s(cluster_index, component.class_index), component.class_index, component.index});
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
  take_nodes(cluster_index, failure, first, last);
}

void FailureProcess::take_nodes(int cluster_index, const FailureClass& failure, int first, int last) {
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

#include "sim/workload/synthetic.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/huge_pages.hpp"
#include "sim/core/rng.hpp"
#include "sim/scenario/workload_reader.hpp"
#include "sim/workload/checkpoint_plan.hpp"

namespace fleetsim {

namespace {
double draw_duration_s(const DurationDistribution& distribution, RandomStream& rng) {
  switch (distribution.kind) {
    case DurationDistribution::Kind::fixed: return distribution.median_s;
    case DurationDistribution::Kind::exponential: return rng.exponential(distribution.median_s);
    case DurationDistribution::Kind::lognormal: return rng.lognormal(distribution.median_s, distribution.sigma);
    case DurationDistribution::Kind::uniform: return rng.uniform(distribution.min_s, distribution.max_s);
  }
  return distribution.median_s;
}

// The arrival after `time_s`: a Poisson process at the workload's rate, shaped by its profile (daily, weekly,
// growth); infinite past `horizon_s`. One draw of `rng` per arrival either way.
double next_arrival(const SyntheticWorkloadConfig& workload, double time_s, RandomStream& rng, double horizon_s) {
  if (!workload.arrival.varies()) return time_s + rng.exponential(3600.0 / workload.rate_per_h);
  return next_arrival_s(workload.arrival, workload.rate_per_h / 3600, time_s, rng.exponential(1.0), horizon_s);
}

double installed_gpus(const Scenario& scenario, const CampusConfig& campus) {
  double installed = 0;
  for (const ClusterConfig& cluster : campus.clusters) installed += cluster.nodes * scenario.hardware.find_node(cluster.node)->gpus;
  return installed;
}

// A mix of training runs: each job draws its kind of run, then a campus where that run fits (weighted by installed
// GPUs); its work is the run's steps at the step time there.
void generate_training_jobs(const Scenario& scenario, const SyntheticWorkloadConfig& workload, RandomStream& rng,
                            RandomStream& estimate_rng, std::vector<Job>& jobs) {
  std::vector<double> kind_weights;
  std::vector<std::vector<double>> campus_weights;
  for (const TrainingMixEntry& kind : workload.training) {
    kind_weights.push_back(kind.weight);
    auto& weights = campus_weights.emplace_back();
    for (std::size_t c = 0; c < scenario.campuses.size(); ++c)
      weights.push_back(kind.on_campus[c] ? installed_gpus(scenario, scenario.campuses[c]) : 0.0);
  }
  double time_s = workload.start_s;
  for (int n = 0; n < workload.jobs; ++n) {
    time_s = next_arrival(workload, time_s, rng, scenario.simulation.duration_s);
    const std::size_t kind_index = rng.weighted_index(kind_weights);
    const std::size_t campus = rng.weighted_index(campus_weights[kind_index]);
    const double utilization = workload.gpu_utilization.draw(rng);
    if (time_s >= scenario.simulation.duration_s) break;
    const TrainingJobConfig& run = *workload.training[kind_index].on_campus[campus];
    Job job;
    job.name = workload.name + "-" + std::to_string(n);
    job.campus = static_cast<int>(campus);
    job.gpus = workload.training[kind_index].gpus;
    job.submit_s = time_s;
    job.duration_s = double(run.steps) * run.step_time_s;
    job.gpu_utilization = utilization;
    job.priority = workload.priority;
    job.estimate_s = job.duration_s * estimate_rng.uniform(workload.estimate_factor.min, workload.estimate_factor.max);
    job.training = &run;
    job.speeds = run.speeds.data();
    if (workload.dispatch) {
      job.dispatch = &*workload.dispatch;
      job.training_by_campus = workload.training[kind_index].on_campus.data();
    }
    plan_checkpoint(job, workload.checkpoint, scenario);
    jobs.push_back(std::move(job));
  }
}

}  // namespace

void generate_synthetic_jobs(const Scenario& scenario, std::size_t index, std::vector<Job>& jobs) {
  const SyntheticWorkloadConfig& workload = scenario.workloads[index];
  RandomStream rng(scenario.simulation.seed, "workload/" + std::to_string(workload.index));
  // Estimates draw from their own stream: adding an estimate model leaves the jobs themselves unchanged.
  RandomStream estimate_rng(scenario.simulation.seed, "workload/" + std::to_string(workload.index) + "/estimate");
  jobs.reserve(jobs.size() + workload.jobs);
  advise_huge_pages(jobs.data(), jobs.capacity() * sizeof(Job));
  if (!workload.training.empty()) return generate_training_jobs(scenario, workload, rng, estimate_rng, jobs);

  // Per job size: the campuses it may go to, weighted by their installed GPUs.
  std::vector<std::vector<double>> campus_weights(workload.gpus.values.size());
  for (std::size_t v = 0; v < workload.gpus.values.size(); ++v) {
    for (const CampusConfig& campus : scenario.campuses) {
      double installed = 0;
      for (const ClusterConfig& cluster : campus.clusters)
        installed += cluster.nodes * scenario.hardware.find_node(cluster.node)->gpus;
      const bool allowed = workload.dispatch ? std::find(workload.dispatch->campuses.begin(), workload.dispatch->campuses.end(),
                                                         &campus - scenario.campuses.data()) != workload.dispatch->campuses.end()
                                             : !workload.campus || *workload.campus == campus.name;
      const bool fits = largest_job_gpus(scenario, campus) >= workload.gpus.values[v];
      campus_weights[v].push_back(allowed && fits ? installed : 0.0);
    }
  }

  double time_s = workload.start_s;
  for (int n = 0; n < workload.jobs; ++n) {
    time_s = next_arrival(workload, time_s, rng, scenario.simulation.duration_s);
    // Draw everything for this job before deciding to stop, so a longer horizon never changes earlier jobs.
    const std::size_t size_index = rng.weighted_index(workload.gpus.weights);
    const std::size_t campus = rng.weighted_index(campus_weights[size_index]);
    const double duration_s = std::max(1.0, std::round(draw_duration_s(workload.duration, rng)));
    const double utilization = workload.gpu_utilization.draw(rng);
    if (time_s >= scenario.simulation.duration_s) break;
    Job job;
    job.name = workload.name + "-" + std::to_string(n);
    job.campus = static_cast<int>(campus);
    job.gpus = static_cast<int>(workload.gpus.values[size_index]);
    job.submit_s = time_s;
    job.duration_s = duration_s;
    job.gpu_utilization = utilization;
    job.priority = workload.priority;
    if (workload.dispatch) job.dispatch = &*workload.dispatch;
    plan_checkpoint(job, workload.checkpoint, scenario);
    job.estimate_s = duration_s * estimate_rng.uniform(workload.estimate_factor.min, workload.estimate_factor.max);
    jobs.push_back(std::move(job));
  }
}

}  // namespace fleetsim

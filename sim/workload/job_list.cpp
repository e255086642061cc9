#include "sim/workload/job_list.hpp"

#include <algorithm>

#include "sim/workload/checkpoint_plan.hpp"
#include "sim/workload/synthetic.hpp"
#include "sim/workload/trace_workload.hpp"

namespace fleetsim {

std::vector<Job> build_job_list(const Scenario& scenario, std::vector<std::string>* trace_reports) {
  std::vector<Job> jobs;
  for (const JobConfig& config : scenario.jobs) {
    if (config.submit_s >= scenario.simulation.duration_s) continue;
    Job job;
    job.name = config.name;
    job.campus = scenario.campus_index(config.campus);
    job.gpus = config.gpus;
    job.submit_s = config.submit_s;
    job.duration_s = config.duration_s;
    job.gpu_utilization = config.gpu_utilization;
    job.estimate_s = config.estimate_s;
    job.priority = config.priority;
    if (config.training) {
      job.training = &*config.training;
      job.speeds = config.training->speeds.data();
    }
    if (config.dispatch) {
      job.dispatch = &*config.dispatch;
      if (!config.training_on_campus.empty()) job.training_by_campus = config.training_on_campus.data();
    }
    plan_checkpoint(job, config.checkpoint, scenario);
    jobs.push_back(std::move(job));
  }
  for (std::size_t i = 0; i < scenario.workloads.size(); ++i)
    generate_synthetic_jobs(scenario, i, jobs);
  for (const TraceWorkloadConfig& trace : scenario.traces) {
    const TraceReplayReport report = replay_trace(scenario, trace, jobs);
    if (trace_reports) trace_reports->push_back(report.summary());
  }
  // Stable: equal submit times keep scenario order (explicit jobs first, then each workload's own order). A
  // single generated workload is in order already: no sort, no copy of millions of jobs.
  const auto by_submit = [](const Job& a, const Job& b) { return a.submit_s < b.submit_s; };
  if (!std::is_sorted(jobs.begin(), jobs.end(), by_submit)) std::stable_sort(jobs.begin(), jobs.end(), by_submit);
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].id = i;
  return jobs;
}

}  // namespace fleetsim

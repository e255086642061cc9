#include "sim/workload/trace_workload.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/rng.hpp"
#include "sim/scenario/workload_reader.hpp"
#include "sim/workload/checkpoint_plan.hpp"
#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim {

std::string TraceReplayReport::summary() const {
  return workload + ": " + std::to_string(rows) + " trace jobs, " + std::to_string(kept) + " replayed; skipped " +
         std::to_string(bad_rows) + " malformed, " + std::to_string(no_gpu) + " without GPUs, " +
         std::to_string(no_runtime) + " without run time, " + std::to_string(too_large) + " too large, " +
         std::to_string(sampled_out) + " sampled out, " + std::to_string(after_horizon) + " after the horizon; " +
         std::to_string(rounded_up) + " fractional requests rounded up to one GPU; " + std::to_string(unmapped_models) +
         " with unmapped GPU models" + (inflated > 0 ? "; " + std::to_string(inflated) + " copies added (inflate_to)" : "");
}

std::uint64_t inflate_jobs(std::vector<Job>& jobs, std::size_t first, double target_gpus, RandomStream& rng) {
  const std::size_t originals = jobs.size() - first;
  if (originals == 0) return 0;
  double requested = 0;
  double first_s = jobs[first].submit_s, last_s = jobs[first].submit_s;
  for (std::size_t i = first; i < jobs.size(); ++i) {
    requested += requested_gpus(jobs[i]);
    first_s = std::min(first_s, jobs[i].submit_s);
    last_s = std::max(last_s, jobs[i].submit_s);
  }
  std::uint64_t copies = 0;
  for (;;) {
    const std::size_t drawn = std::min(originals - 1, static_cast<std::size_t>(rng.uniform01() * originals));
    Job copy = jobs[first + drawn];
    const double gpus = requested_gpus(copy);
    if (requested + gpus > target_gpus) break;
    requested += gpus;
    copy.name = (copy.name + "~" + std::to_string(copies)).substr(0, kJobNameMaxBytes);
    copy.submit_s = rng.uniform(first_s, last_s);
    jobs.push_back(std::move(copy));
    ++copies;
  }
  return copies;
}

TraceReplayReport replay_trace(const Scenario& scenario, const TraceWorkloadConfig& trace, std::vector<Job>& jobs) {
  TraceReplayReport report;
  report.workload = trace.name;
  const int campus = scenario.campus_index(trace.campus);
  const long long largest = largest_job_gpus(scenario, scenario.campuses[campus]);
  const std::string stream = "workload/" + std::to_string(trace.index);
  RandomStream sample_rng(scenario.simulation.seed, stream + "/sample");
  RandomStream utilization_rng(scenario.simulation.seed, stream + "/utilization");
  RandomStream estimate_rng(scenario.simulation.seed, stream + "/estimate");

  auto reader = open_trace(trace.format, trace.path, TraceOptions{trace.skip_bad_rows});
  const std::vector<std::string> gpu_types = scenario.gpu_types();
  const std::size_t first_job = jobs.size();
  TraceJob row;
  bool have_origin = false;
  double origin_s = 0;
  while (reader->next(row)) {
    ++report.rows;
    if (!have_origin) {
      origin_s = row.submit_s;  // the first row's submission lands at `start`
      have_origin = true;
    }
    // Draw for every row, kept or not, so sampling one row never shifts another's draws.
    const bool sampled = sample_rng.uniform01() < trace.sample_fraction;
    const double utilization = trace.gpu_utilization.draw(utilization_rng);
    const double estimate_factor = estimate_rng.uniform(trace.estimate_factor.min, trace.estimate_factor.max);
    const double gpus = row.gpus * trace.gpus_per_unit;
    if (!(gpus > 0)) {
      ++report.no_gpu;
      continue;
    }
    if (!(row.duration_s > 0)) {
      ++report.no_runtime;
      continue;
    }
    // Compared as a double before it becomes an int: billions of GPUs (a bad row, a large gpus_per_unit) are
    // too large, not an overflow.
    if (std::ceil(gpus - 1e-9) > static_cast<double>(largest)) {
      ++report.too_large;
      continue;
    }
    const int whole_gpus = static_cast<int>(std::ceil(gpus - 1e-9));
    if (!sampled) {
      ++report.sampled_out;
      continue;
    }
    const double submit_s = std::max(trace.start_s, trace.start_s + (row.submit_s - origin_s) * trace.time_scale);
    if (submit_s >= scenario.simulation.duration_s) {
      ++report.after_horizon;
      continue;
    }
    const bool fractional = gpus < 1;
    if (fractional && !scenario.scheduler.gpu_sharing) ++report.rounded_up;
    Job job;
    job.name = (trace.name + "-" + row.id).substr(0, kJobNameMaxBytes);
    job.campus = campus;
    job.gpus = whole_gpus;
    job.cpu_milli = static_cast<std::int64_t>(row.cpu_milli);
    if (!trace.gpu_models.empty() && !row.gpu_model.empty()) {
      // "V100M16|V100M32": any of the listed models.
      std::size_t begin = 0;
      while (begin <= row.gpu_model.size()) {
        const std::size_t end = std::min(row.gpu_model.find('|', begin), row.gpu_model.size());
        auto mapped = trace.gpu_models.find(row.gpu_model.substr(begin, end - begin));
        if (mapped != trace.gpu_models.end()) {
          const auto type = std::find(gpu_types.begin(), gpu_types.end(), mapped->second) - gpu_types.begin();
          job.gpu_types |= std::uint64_t(1) << type;
        }
        begin = end + 1;
      }
      if (job.gpu_types == 0) ++report.unmapped_models;
    }
    job.memory_mib = static_cast<std::int64_t>(row.memory_mib);
    if (fractional && scenario.scheduler.gpu_sharing)
      job.gpu_milli = std::max(1, std::min(kMilliPerGpu - 1, static_cast<int>(std::lround(gpus * kMilliPerGpu))));
    job.submit_s = submit_s;
    job.duration_s = trace.fixed_duration_s > 0 ? trace.fixed_duration_s : row.duration_s;
    job.gpu_utilization = utilization;
    job.estimate_s = trace.fixed_duration_s > 0 ? trace.fixed_duration_s
                     : std::isnan(row.estimate_s) ? row.duration_s * estimate_factor
                                                  : row.estimate_s;
    plan_checkpoint(job, trace.checkpoint, scenario);
    if (auto priority = trace.qos_priority.find(row.qos); priority != trace.qos_priority.end()) job.priority = priority->second;
    jobs.push_back(std::move(job));
    ++report.kept;
    if (trace.max_jobs > 0 && static_cast<long long>(report.kept) >= trace.max_jobs) break;
  }
  if (trace.inflate_to > 0) {
    RandomStream inflate_rng(scenario.simulation.seed, stream + "/inflate");
    report.inflated = inflate_jobs(jobs, first_job, trace.inflate_to * campus_gpus(scenario, scenario.campuses[campus]),
                                   inflate_rng);
  }
  report.bad_rows = reader->bad_rows();
  report.bad_row_messages = reader->bad_row_messages();
  return report;
}

}  // namespace fleetsim

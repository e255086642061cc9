#include "sim/telemetry/job_records.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/huge_pages.hpp"
#include "sim/power/job_power.hpp"
#include "sim/scenario/scenario.hpp"     // TrainingJobConfig
#include "sim/scheduling/scheduler.hpp"  // estimated_duration_s

namespace fleetsim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

JobRecords::JobRecords(const Fleet& fleet, const std::vector<Job>& jobs, Recorder& recorder, Lifecycle& lifecycle)
    : fleet_(fleet),
      jobs_(jobs),
      recorder_(recorder),
      completed_in_block_((jobs.size() + kBlockJobs - 1) / kBlockJobs, 0),
      block_recorded_(completed_in_block_.size(), 0) {
  assign_on_huge_pages(entries_, jobs.size(), Entry{kNaN, kNaN});
  lifecycle.job_started.connect([this](const JobRun& run) { on_started(run); });
  lifecycle.job_ended.connect([this](const JobRun& run) {
    on_stopped(run);
    if (run.job.training) {
      Progress& progress = progress_[run.job.id];
      progress.work_kept = run.job.duration_s;  // all of it
      progress.work_this_run = progress.rate = 0;
    }
    entries_[run.job.id].end_s = run.time_s;
    const std::size_t block = run.job.id / kBlockJobs;
    const std::size_t size = std::min(kBlockJobs, jobs_.size() - block * kBlockJobs);
    if (++completed_in_block_[block] == size) record_block(block, kNaN);  // completed records need no horizon
  });
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption& interruption) {
    on_stopped(run);
    Entry& entry = entries_[run.job.id];
    ++entry.interruptions;
    if (interruption.cause == InterruptCause::preempted) ++entry.preemptions;
    entry.failed = interruption.gave_up;
    entry.work_lost_gpu_s += (interruption.work_done - interruption.work_kept) * run.job.gpus;
    if (run.job.training) {
      Progress& progress = progress_[run.job.id];
      progress.work_kept += interruption.work_kept;
      progress.work_this_run = progress.rate = 0;
    }
  });
  lifecycle.job_cap_changed.connect([this](const JobRun& run, double old_cap_w) {
    Entry& entry = entries_[run.job.id];
    entry.energy_j += job_gpu_share(run.job, run.placement) * job_gpu_power_w(run.job, fleet_.clusters[entry.cluster], old_cap_w) *
                      (run.time_s - entry.run_start_s);
    entry.run_start_s = run.time_s;
    entry.cap_w = run.cap_w;
  });
  lifecycle.job_dispatched.connect([this](const JobDispatch& dispatch) {
    Entry& entry = entries_[dispatch.job.id];
    if (dispatch.at_submission) entry.home = static_cast<std::int16_t>(dispatch.from);
    else if (entry.moves < UINT8_MAX) ++entry.moves;
  });
  lifecycle.data_moved.connect([this](const DataMove& move) {
    Transfer& transfer = transfers_[move.job.id];
    transfer.seconds += move.end_s - move.start_s;
    transfer.bytes += move.bytes;
  });
  lifecycle.job_rate_changed.connect([this](const JobRun& run, double old_rate) {
    if (!run.job.training) return;
    Progress& progress = progress_[run.job.id];
    progress.work_this_run += old_rate * (run.time_s - progress.since_s);
    progress.since_s = run.time_s;
    progress.rate = run.rate;
    if (run.rate > 0) progress.last_rate = run.rate;
  });
}

// What the record and the summary share: the job's state at the horizon and its counts.
JobOutcome JobRecords::outcome(const Job& job, const Entry& entry) {
  JobOutcome result;
  result.submit_s = job.submit_s;
  result.start_s = entry.start_s;
  result.bounded_slowdown = kNaN;
  result.gpus = job.gpus;
  result.end_s = entry.end_s;
  if (entry.home >= 0) {
    result.moved = entry.moves > 0;
    result.dispatched_away = !std::isnan(entry.start_s) && entry.home != job.campus;
  }
  if (std::isnan(entry.start_s)) return result;  // queued
  // An interrupted job waiting to run again at the horizon is queued, though it has a start time.
  result.state = !std::isnan(entry.end_s) ? JobState::completed
                 : entry.running         ? JobState::running
                 : entry.failed          ? JobState::failed
                                         : JobState::queued;
  result.preemptions = entry.preemptions;
  result.interruptions = entry.interruptions;
  result.work_lost_gpu_s = entry.work_lost_gpu_s;
  if (result.state == JobState::completed) {
    // Bounded slowdown with a 10 s bound (Feitelson et al., "Theory and Practice in Parallel Job Scheduling", 1997).
    const double run_s = entry.end_s - entry.start_s;
    result.bounded_slowdown = std::max(1.0, (entry.end_s - job.submit_s) / std::max(run_s, 10.0));
  }
  return result;
}

double JobRecords::gpu_share(const Job& job, const Entry& entry) const {
  return entry.shared ? static_cast<double>(job.gpu_milli) / kMilliPerGpu : job.gpus;
}

void JobRecords::on_started(const JobRun& run) {
  Entry& entry = entries_[run.job.id];
  if (std::isnan(entry.start_s)) entry.start_s = run.time_s;
  entry.run_start_s = run.time_s;
  entry.cap_w = run.cap_w;
  entry.cluster = run.placement.cluster;
  entry.shared = run.placement.gpu_milli > 0;
  entry.running = true;
  if (run.job.training) {
    Progress& progress = progress_[run.job.id];
    progress.work_this_run = 0;
    progress.since_s = run.time_s;
    progress.rate = run.rate;
    if (run.rate > 0) progress.last_rate = run.rate;
  }
}

// Tokens: the whole steps of work kept (a step half done at an interruption or the horizon trains nothing yet).
// Step time and MFU: on the cluster of the last run, the reference step time over that run's rate (the cluster's
// speed, lowered by a power cap), and the model FLOP/s per GPU at that step time over that cluster's GPU peak.
void JobRecords::record_training(const Job& job, const Entry& entry, double horizon_s, JobRecord& record) const {
  const TrainingJobConfig& training = *job.training;
  record.model = training.model;
  record.step_time_s = record.mfu = kNaN;
  const auto found = progress_.find(job.id);
  if (found == progress_.end()) return;  // never started
  const Progress& progress = found->second;
  double work = progress.work_kept;
  if (entry.running) work += progress.work_this_run + progress.rate * (horizon_s - progress.since_s);
  const double steps = !std::isnan(entry.end_s) ? double(training.steps)
                                                 : std::min(double(training.steps), std::floor(work / training.step_time_s * (1 + 1e-12)));
  record.tokens = steps * training.plan.tokens_per_step();
  record.training_flops = record.tokens * training.model_flops_per_token;
  if (progress.last_rate > 0) {
    record.step_time_s = training.step_time_s / progress.last_rate;
    const double peak = training.on_cluster[fleet_.clusters[entry.cluster].campus_position].peak_flops;
    record.mfu = training.model_flops_per_token * training.plan.tokens_per_step() / (record.step_time_s * job.gpus * peak);
  }
}

void JobRecords::on_stopped(const JobRun& run) {
  Entry& entry = entries_[run.job.id];
  entry.running = false;
  const Cluster& cluster = fleet_.clusters[entry.cluster];
  entry.energy_j += job_gpu_share(run.job, run.placement) * job_gpu_power_w(run.job, cluster, entry.cap_w) *
                    (run.time_s - entry.run_start_s);
}

JobRecord JobRecords::record(const Job& job, double horizon_s) const {
  const Entry& entry = entries_[job.id];
  JobRecord record;
  record.id = job.id;
  record.name = job.name;
  record.campus = fleet_.campuses[job.campus].name;
  record.gpus = job.gpus;
  record.gpu_share = requested_gpus(job);
  record.submit_s = job.submit_s;
  record.start_s = entry.start_s;
  record.end_s = entry.end_s;
  record.estimate_s = estimated_duration_s(job);
  const JobOutcome result = outcome(job, entry);
  record.state = result.state;
  record.bounded_slowdown = result.bounded_slowdown;
  record.step_time_s = record.mfu = kNaN;
  if (job.training) record_training(job, entry, horizon_s, record);
  if (entry.home >= 0) {
    record.home_campus = fleet_.campuses[entry.home].name;
    record.moves = entry.moves;
  }
  if (const auto moved = transfers_.find(job.id); moved != transfers_.end()) {
    record.transfer_s = moved->second.seconds;
    record.data_moved_bytes = moved->second.bytes;
  }
  if (std::isnan(entry.start_s)) return record;
  const Cluster& cluster = fleet_.clusters[entry.cluster];
  record.cluster = cluster.name;
  record.gpu_power_w = job_gpu_power_w(job, cluster, entry.cap_w);
  record.power_cap_w = entry.cap_w > 0 ? entry.cap_w : kNaN;
  record.preemptions = result.preemptions;
  record.interruptions = result.interruptions;
  record.work_lost_gpu_s = result.work_lost_gpu_s;
  // Finished runs, plus the current one up to the horizon if it still runs.
  record.energy_j =
      entry.energy_j + (entry.running ? gpu_share(job, entry) * record.gpu_power_w * (horizon_s - entry.run_start_s) : 0.0);
  return record;
}

void JobRecords::record_block(std::size_t block, double horizon_s) {
  const std::size_t first = block * kBlockJobs, end = std::min(jobs_.size(), first + kBlockJobs);
  std::vector<JobRecord> block_records;
  block_records.reserve(end - first);
  for (std::size_t id = first; id < end; ++id) block_records.push_back(record(jobs_[id], horizon_s));
  recorder_.jobs(first, std::move(block_records));
  block_recorded_[block] = 1;
}

Summary JobRecords::finish(double horizon_s, const std::vector<CampusTotals>& totals) {
  for (std::size_t block = 0; block < block_recorded_.size(); ++block)
    if (!block_recorded_[block]) record_block(block, horizon_s);
  SummaryBuilder summary;
  for (const Job& job : jobs_) {
    JobOutcome result = outcome(job, entries_[job.id]);
    if (job.training) {
      JobRecord record;
      record_training(job, entries_[job.id], horizon_s, record);
      result.tokens = record.tokens;
      result.training_flops = record.training_flops;
    }
    if (const auto moved = transfers_.find(job.id); moved != transfers_.end()) result.data_moved_bytes = moved->second.bytes;
    summary.add(result);
  }
  return summary.finish(totals, horizon_s);
}

}  // namespace fleetsim

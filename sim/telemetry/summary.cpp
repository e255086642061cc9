#include "sim/telemetry/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetsim {

void SummaryBuilder::add(const JobRecord& job) {
  add(JobOutcome{job.state, job.submit_s, job.start_s, job.preemptions, job.interruptions, job.work_lost_gpu_s,
                 job.bounded_slowdown, job.tokens, job.training_flops, job.gpus, job.end_s,
                 !job.home_campus.empty() && !std::isnan(job.start_s) && job.home_campus != job.campus, job.moves > 0,
                 job.data_moved_bytes});
}

void SummaryBuilder::add(const JobOutcome& job) {
  ++summary_.jobs_submitted;
  switch (job.state) {
    case JobState::completed: ++summary_.jobs_completed; break;
    case JobState::running: ++summary_.jobs_running; break;
    case JobState::queued: ++summary_.jobs_queued; break;
    case JobState::failed: ++summary_.jobs_failed; break;
  }
  if (!std::isnan(job.start_s)) waits_.push_back(job.start_s - job.submit_s);
  summary_.preemptions += job.preemptions;
  summary_.interruptions += job.interruptions;
  summary_.work_lost_gpu_hours += job.work_lost_gpu_s / 3600.0;
  // Wall time of jobs since their first start, GPU-weighted (to the horizon for those not completed).
  if (!std::isnan(job.start_s)) {
    if (!std::isnan(job.end_s)) {
      summary_.job_wall_gpu_s += double(job.gpus) * (job.end_s - job.start_s);
    } else {
      open_gpus_ += job.gpus;
      open_gpu_start_s_ += double(job.gpus) * job.start_s;
    }
  }
  summary_.jobs_dispatched_away += job.dispatched_away;
  summary_.jobs_moved += job.moved;
  summary_.data_moved_bytes += job.data_moved_bytes;
  summary_.tokens_trained += job.tokens;
  summary_.training_flops += job.training_flops;
  if (job.state == JobState::completed) {
    slowdown_sum_ += job.bounded_slowdown;
    ++slowdown_count_;
  }
}

Summary SummaryBuilder::finish(const std::vector<CampusTotals>& totals, double horizon_s) {
  Summary summary = summary_;
  double gpu_seconds = 0, installed_gpu_seconds = 0;
  for (const CampusTotals& campus : totals) {
    summary.it_energy_j += campus.it_energy_j;
    summary.facility_energy_j += campus.facility_energy_j;
    summary.carbon_kg += campus.carbon_kg;
    gpu_seconds += campus.gpu_seconds_busy;
    installed_gpu_seconds += campus.gpu_seconds_installed;
    summary.energy_cost_eur += campus.cost_eur;
    summary.mean_gpus_fragmented += horizon_s > 0 ? campus.gpu_seconds_fragmented / horizon_s : 0;
    summary.power += campus.power;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  summary.mean_bounded_slowdown = slowdown_count_ ? slowdown_sum_ / slowdown_count_ : nan;
  if (waits_.empty()) {
    summary.mean_wait_s = summary.p95_wait_s = nan;
  } else {
    double total = 0;
    for (double wait : waits_) total += wait;
    summary.mean_wait_s = total / waits_.size();
    // Nearest-rank percentile: the smallest wait with at least 95% of waits at or below it.
    std::vector<double> waits = waits_;
    const std::size_t rank = static_cast<std::size_t>(std::ceil(0.95 * waits.size()));
    std::nth_element(waits.begin(), waits.begin() + (rank - 1), waits.end());
    summary.p95_wait_s = waits[rank - 1];
  }
  summary.job_wall_gpu_s += open_gpus_ * horizon_s - open_gpu_start_s_;
  // Without failures or checkpoint costs no time is lost (FailureProcess::summarize lowers these when it runs).
  summary.effective_training_time = summary.job_wall_gpu_s > 0 ? 1.0 : nan;
  summary.goodput = gpu_seconds > 0 ? 1.0 : nan;
  summary.gpu_hours_busy = gpu_seconds / 3600.0;
  summary.gpu_utilization = installed_gpu_seconds > 0 ? gpu_seconds / installed_gpu_seconds : 0;
  add_service_totals({}, summary);
  return summary;
}

void add_service_totals(const std::vector<ServiceTotals>& services, Summary& summary) {
  double tokens = 0, output = 0, energy = 0, cost = 0, requests = 0, meeting = 0;
  for (const ServiceTotals& service : services) {
    tokens += service.input_tokens + service.output_tokens;
    output += service.output_tokens;
    energy += service.it_energy_j;
    cost += service.cost_eur;
    requests += service.requests;
    meeting += service.requests_meeting_slo;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  summary.tokens_served = tokens;
  summary.output_tokens_served = output;
  summary.energy_per_1k_output_tokens_j = output > 0 ? energy / output * 1000 : nan;
  summary.cost_per_million_tokens_eur = tokens > 0 ? cost / tokens * 1e6 : nan;
  summary.slo_attainment = requests > 0 ? meeting / requests : nan;
}

Summary summarize(const std::vector<JobRecord>& jobs, const std::vector<CampusTotals>& totals, double horizon_s) {
  SummaryBuilder builder;
  for (const JobRecord& job : jobs) builder.add(job);
  return builder.finish(totals, horizon_s);
}

std::vector<LimitCheck> check_limits(const std::vector<CampusInfo>& campuses, const std::vector<CampusTotals>& totals) {
  std::vector<LimitCheck> checks;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t c = 0; c < campuses.size(); ++c) {
    const CampusInfo& info = campuses[c];
    const CampusTotals& observed = totals[c];
    const std::size_t first = checks.size();
    checks.push_back({info.name, "grid", info.grid_connection_w, info.nameplate_facility_w, observed.peak_facility_w,
                      info.nameplate_facility_w / info.grid_connection_w,
                      observed.peak_facility_w / info.grid_connection_w, false});
    if (info.cooling_capacity_w > 0)
      checks.push_back({info.name, "cooling", info.cooling_capacity_w, info.nameplate_it_w, observed.peak_it_w,
                        info.nameplate_it_w / info.cooling_capacity_w, observed.peak_it_w / info.cooling_capacity_w,
                        false});
    if (info.nameplate_rack_ratio > 0)
      checks.push_back({info.name, "racks", nan, nan, nan, info.nameplate_rack_ratio, observed.peak_rack_ratio, false});
    std::size_t binding = first;
    for (std::size_t i = first; i < checks.size(); ++i)
      if (checks[i].nameplate_ratio > checks[binding].nameplate_ratio) binding = i;
    checks[binding].binding = true;
  }
  return checks;
}

void summarize_limits(const std::vector<LimitCheck>& limits, Summary& summary) {
  const LimitCheck* worst = nullptr;
  for (const LimitCheck& check : limits) {
    if (check.peak_ratio > 1.0) ++summary.limits_exceeded;
    if (!worst || check.nameplate_ratio > worst->nameplate_ratio) worst = &check;
  }
  summary.binding_limit = worst ? worst->campus + ":" + worst->limit : "";
  if (worst) {
    summary.binding_nameplate_ratio = worst->nameplate_ratio;
    summary.binding_peak_ratio = worst->peak_ratio;
  }
}

}  // namespace fleetsim

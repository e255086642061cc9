#include "sim/telemetry/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetsim {

Summary summarize(const std::vector<JobRecord>& jobs, const std::vector<CampusTotals>& totals, int installed_gpus,
                  double horizon_s) {
  Summary summary;
  std::vector<double> waits;
  waits.reserve(jobs.size());
  double slowdown_sum = 0;
  std::size_t slowdown_count = 0;
  for (const JobRecord& job : jobs) {
    ++summary.jobs_submitted;
    switch (job.state) {
      case JobState::completed: ++summary.jobs_completed; break;
      case JobState::running: ++summary.jobs_running; break;
      case JobState::queued: ++summary.jobs_queued; break;
    }
    if (!std::isnan(job.start_s)) waits.push_back(job.start_s - job.submit_s);
    summary.preemptions += job.preemptions;
    summary.work_lost_gpu_hours += job.work_lost_gpu_s / 3600.0;
    if (job.state == JobState::completed) {
      slowdown_sum += job.bounded_slowdown;
      ++slowdown_count;
    }
  }
  double gpu_seconds = 0;
  for (const CampusTotals& campus : totals) {
    summary.it_energy_j += campus.it_energy_j;
    summary.facility_energy_j += campus.facility_energy_j;
    summary.carbon_kg += campus.carbon_kg;
    gpu_seconds += campus.gpu_seconds_busy;
    summary.energy_cost_eur += campus.cost_eur;
    summary.mean_gpus_fragmented += horizon_s > 0 ? campus.gpu_seconds_fragmented / horizon_s : 0;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  summary.mean_bounded_slowdown = slowdown_count ? slowdown_sum / slowdown_count : nan;
  if (waits.empty()) {
    summary.mean_wait_s = summary.p95_wait_s = nan;
  } else {
    double total = 0;
    for (double wait : waits) total += wait;
    summary.mean_wait_s = total / waits.size();
    // Nearest-rank percentile: the smallest wait with at least 95% of waits at or below it.
    const std::size_t rank = static_cast<std::size_t>(std::ceil(0.95 * waits.size()));
    std::nth_element(waits.begin(), waits.begin() + (rank - 1), waits.end());
    summary.p95_wait_s = waits[rank - 1];
  }
  summary.gpu_hours_busy = gpu_seconds / 3600.0;
  summary.gpu_utilization = installed_gpus > 0 && horizon_s > 0 ? gpu_seconds / (installed_gpus * horizon_s) : 0;
  return summary;
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
}

}  // namespace fleetsim

#include "sim/telemetry/period_report.hpp"

#include "sim/power/nameplate.hpp"

namespace fleetsim {

PeriodReport::PeriodReport(const Scenario& scenario, const Fleet& fleet, const PowerMeter& meter, Lifecycle& lifecycle,
                           FleetControl& control, std::function<ServiceReading(int)> services)
    : scenario_(scenario),
      fleet_(fleet),
      meter_(meter),
      control_(control),
      services_(std::move(services)),
      training_gpu_s_ended_(fleet.campuses.size(), 0.0),
      months_(scenario.simulation.calendar.months(scenario.simulation.duration_s)),
      jobs_ended_(fleet.campuses.size(), 0),
      training_runs_ended_(fleet.campuses.size(), 0),
      last_(fleet.campuses.size()) {
  lifecycle.job_ended.connect([this](const JobRun& run) {
    const int campus = fleet_.clusters[run.placement.cluster].campus;
    ++jobs_ended_[campus];
    if (!run.job.training) return;
    ++training_runs_ended_[campus];
    double gpu_s = requested_gpus(run.job) * (run.time_s - run.start_s);
    if (const auto before = run_gpu_s_.find(run.job.id); before != run_gpu_s_.end()) {
      gpu_s += before->second;
      run_gpu_s_.erase(before);
    }
    training_gpu_s_ended_[campus] += gpu_s;
  });
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption&) {
    if (run.job.training) run_gpu_s_[run.job.id] += requested_gpus(run.job) * (run.time_s - run.start_s);
  });
}

void PeriodReport::start() {
  for (std::size_t m = 0; m + 1 < months_.size(); ++m)
    control_.at(months_[m].end_s, [this, m] { close_month(m, months_[m].end_s); });
}

std::vector<PeriodTotals> PeriodReport::finish(double horizon_s) {
  if (!months_.empty()) close_month(months_.size() - 1, horizon_s);
  std::vector<PeriodTotals> rows;  // campus by campus
  for (std::size_t c = 0; c < fleet_.campuses.size(); ++c)
    for (const PeriodTotals& row : rows_)
      if (row.campus == static_cast<int>(c)) rows.push_back(row);
  return rows;
}

PeriodReport::Reading PeriodReport::read(int c, double time_s) const {
  const CampusPower& power = meter_.campus(c);
  Reading reading;
  reading.it_j = power.it_energy_at(time_s);
  reading.facility_j = power.facility_energy_at(time_s);
  reading.carbon_kg = power.carbon_at(time_s);
  reading.cost_eur = power.cost_at(time_s);
  reading.gpu_s_busy = power.gpu_seconds_busy_at(time_s);
  reading.gpu_s_installed = meter_.gpu_seconds_installed_at(c, time_s);
  const ServiceReading served = services_ ? services_(c) : ServiceReading{};
  reading.tokens = served.tokens;
  reading.service_gpu_s = served.gpu_s;
  reading.training_gpu_s = training_gpu_s_ended_[c];
  reading.jobs = jobs_ended_[c];
  reading.training_runs = training_runs_ended_[c];
  return reading;
}

void PeriodReport::close_month(std::size_t m, double time_s) {
  const Calendar::Month& month = months_[m];
  for (std::size_t c = 0; c < fleet_.campuses.size(); ++c) {
    const Reading now = read(static_cast<int>(c), time_s);
    const Reading& before = last_[c];
    PeriodTotals row;
    row.campus = static_cast<int>(c);
    row.year = month.year;
    row.month = month.month;
    row.start_s = month.start_s;
    row.end_s = time_s;
    row.it_energy_j = now.it_j - before.it_j;
    row.facility_energy_j = now.facility_j - before.facility_j;
    row.carbon_kg = now.carbon_kg - before.carbon_kg;
    row.energy_cost_eur = now.cost_eur - before.cost_eur;
    row.gpu_s_busy = now.gpu_s_busy - before.gpu_s_busy;
    row.gpu_s_installed = now.gpu_s_installed - before.gpu_s_installed;
    row.tokens_served = now.tokens - before.tokens;
    row.gpu_s_services = now.service_gpu_s - before.service_gpu_s;
    row.training_gpu_s_completed = now.training_gpu_s - before.training_gpu_s;
    row.jobs_completed = now.jobs - before.jobs;
    row.training_runs_completed = now.training_runs - before.training_runs;
    // Installed and connected during the month's last instant (the month is [start, end)).
    const double last_instant = std::max(month.start_s, time_s - 1e-6);
    row.installed_it_w = installed_it_w(scenario_, scenario_.campuses[c], last_instant);
    row.grid_connection_w = scenario_.campuses[c].grid_connection_at(last_instant);
    rows_.push_back(row);
    last_[c] = now;
  }
}

}  // namespace fleetsim

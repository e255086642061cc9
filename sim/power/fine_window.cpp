#include "sim/power/fine_window.hpp"

#include <algorithm>
#include <cmath>

#include "sim/power/job_power.hpp"
#include "sim/power/nameplate.hpp"

namespace fleetsim {

FineWindow::FineWindow(const Scenario& scenario, const Fleet& fleet, const std::vector<Job>& jobs,
                       const PowerMeter& meter, Lifecycle& lifecycle)
    : scenario_(scenario), fleet_(fleet), meter_(meter), config_(scenario.telemetry.fine), slot_(jobs.size(), -1) {
  record_.window = config_;
  record_.smoothing = scenario.power_smoothing;
  lifecycle.job_started.connect([this](const JobRun& run) { on_started(run); });
  lifecycle.job_ended.connect([this](const JobRun& run) { on_stopped(run); });
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption&) { on_stopped(run); });
  lifecycle.job_rate_changed.connect([this](const JobRun& run, double) { on_rate(run); });
  lifecycle.nodes_down.connect(
      [this](const NodeChange& change) { on_campus_power(fleet_.clusters[change.cluster].campus, change.time_s); });
  lifecycle.nodes_up.connect(
      [this](const NodeChange& change) { on_campus_power(fleet_.clusters[change.cluster].campus, change.time_s); });
  lifecycle.service_load_changed.connect([this](const ServiceLoad& load) { on_campus_power(load.campus, load.time_s); });
  lifecycle.hour_tick.connect([this](double time_s, long long hour) { on_hour(time_s, hour); });
}

void FineWindow::start(FleetControl& control) {
  if (!config_.enabled()) return;
  const double end_s = config_.start_s + double(config_.samples()) * config_.interval_s;
  control.at(config_.start_s, [this, &control] { open(control.now_s()); });
  control.at(std::min(end_s, scenario_.simulation.duration_s), [this, end_s] { close(end_s); });
}

// A job's step on its cluster and what its GPUs draw less than in its compute phase, in each low phase.
FineWindow::SwingJob FineWindow::swing_job(const Running& running) const {
  const Job& job = *running.job;
  const Cluster& cluster = fleet_.clusters[running.cluster];
  StepPhases phases{config_.default_step_s, config_.default_step_s * (1 - config_.default_communication_share), 0};
  if (job.training && static_cast<std::size_t>(cluster.campus_position) < job.training->on_cluster.size()) {
    const TrainingJobConfig::OnCluster& here = job.training->on_cluster[cluster.campus_position];
    if (here.problem.empty() && here.capped_step_time_s > 0)
      phases = {here.capped_step_time_s, here.compute_s, here.bubble_s};
  }
  const double stretch = running.rate > 0 ? job_rate(job, cluster) / running.rate : 0;
  SwingJob swing{};
  swing.id = job.id;
  swing.cluster = running.cluster;
  swing.gpus = running.gpus;
  swing.origin_s = running.anchor_s;
  if (stretch > 0) {
    swing.period_s = phases.period_s * stretch;
    swing.compute_s = phases.compute_s * stretch;
    swing.bubble_s = phases.bubble_s * stretch;
    swing.communication_s = std::max(0.0, swing.period_s - swing.compute_s - swing.bubble_s);
  } else {
    swing.period_s = 1, swing.compute_s = 1;  // paused: no swing
  }
  swing.inverse_period = 1 / swing.period_s;
  if (stretch > 0) {
    const hw::GpuSpec& gpu = *cluster.gpu;
    const hw::NodeSpec& node = *cluster.node;
    const double cap_w = running.cap_w;  // a [power] control's cap lowers the compute phase's power
    const double u = job.gpu_utilization;
    const double compute_w = gpu_extra_power_w(gpu, node, u, cap_w);
    const double floor_w = std::min(scenario_.power_smoothing.gpu_power_floor * gpu.max_w, gpu.power_w(u, cap_w));
    const double communication_u = std::min(kCommunicationUtilization, u);
    const double bubble_u = std::min(kBubbleUtilization, u);
    swing.communication_drop_w = running.gpus * (compute_w - gpu_extra_power_w(gpu, node, communication_u, cap_w));
    swing.bubble_drop_w = running.gpus * (compute_w - gpu_extra_power_w(gpu, node, bubble_u, cap_w));
    swing.communication_drop_floor_w =
        running.gpus * (compute_w - gpu_extra_power_w(gpu, node, communication_u, cap_w, floor_w));
    swing.bubble_drop_floor_w = running.gpus * (compute_w - gpu_extra_power_w(gpu, node, bubble_u, cap_w, floor_w));
  }
  return swing;
}

void FineWindow::add(CampusWindow& window, const Running& running, double now_s) {
  SwingJob swing = swing_job(running);
  const double elapsed = std::max(0.0, now_s - swing.origin_s);
  swing.in_bubble_s = time_in_phase_s(elapsed, swing.period_s, swing.inverse_period, swing.compute_s, swing.bubble_s);
  swing.in_communication_s = time_in_phase_s(elapsed, swing.period_s, swing.inverse_period,
                                             swing.compute_s + swing.bubble_s, swing.communication_s);
  if (swing.communication_drop_w + swing.bubble_drop_w > 0 && swing.gpus >= window.largest_gpus) {  // ties: the latest
    window.largest_gpus = swing.gpus;
    window.swing_window_s = swing.period_s;
  }
  ++window.jobs_seen;
  window.jobs.push_back(swing);
}

// Integrates the campus's power from its cursor to time_s, sample by sample: the meter's IT power less what each
// job draws less than its compute phase over the time it spent in its low phases.
void FineWindow::advance(CampusWindow& window, double time_s) {
  const long long samples = config_.samples();
  const double dt = config_.interval_s;
  while (window.cursor_s < time_s && window.sample < samples) {
    const double sample_end = config_.start_s + double(window.sample + 1) * dt;
    const double to = std::min(time_s, sample_end);
    double drop_j = 0, drop_floor_j = 0;
    for (SwingJob& job : window.jobs) {
      const double elapsed = to - job.origin_s;
      const double steps = std::floor(elapsed * job.inverse_period);
      const double into = elapsed - steps * job.period_s;
      const double in_bubble = steps * job.bubble_s + std::clamp(into - job.compute_s, 0.0, job.bubble_s);
      const double in_communication =
          steps * job.communication_s + std::clamp(into - job.compute_s - job.bubble_s, 0.0, job.communication_s);
      const double bubble_s = in_bubble - job.in_bubble_s;
      const double communication_s = in_communication - job.in_communication_s;
      drop_j += job.bubble_drop_w * bubble_s + job.communication_drop_w * communication_s;
      drop_floor_j += job.bubble_drop_floor_w * bubble_s + job.communication_drop_floor_w * communication_s;
      job.in_bubble_s = in_bubble;
      job.in_communication_s = in_communication;
    }
    const double base_j = window.meter_it_w * (to - window.cursor_s);
    const std::size_t k = static_cast<std::size_t>(window.sample);
    window.it_j[k] += base_j - drop_j;
    window.floored_it_j[k] += base_j - drop_floor_j;
    window.facility_j[k] += (base_j - drop_j) * window.pue;
    window.floored_facility_j[k] += (base_j - drop_floor_j) * window.pue;
    window.cursor_s = to;
    if (to >= sample_end) ++window.sample;
  }
}

void FineWindow::open(double time_s) {
  state_ = State::open;
  const std::size_t samples = static_cast<std::size_t>(config_.samples());
  const long long hour = has_hourly_conditions(scenario_) ? static_cast<long long>(std::floor(time_s / 3600)) : 0;
  campuses_.resize(fleet_.campuses.size());
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    CampusWindow& window = campuses_[c];
    window.cursor_s = time_s;
    window.meter_it_w = meter_.campus(static_cast<int>(c)).it_power_w();
    window.pue = campus_pue(scenario_, scenario_.campuses[c], hour);
    for (auto* series : {&window.it_j, &window.floored_it_j, &window.facility_j, &window.floored_facility_j})
      series->assign(samples, 0.0);
  }
  for (const Running& running : running_)
    add(campuses_[fleet_.clusters[running.cluster].campus], running, time_s);
  running_ = {};
  slot_ = {};
}

void FineWindow::on_started(const JobRun& run) {
  const Running running{&run.job, run.placement.cluster, job_gpu_share(run.job, run.placement), run.time_s, run.rate,
                        run.cap_w};
  if (state_ == State::before) {
    if (run.job.id >= slot_.size()) slot_.resize(run.job.id + 1, -1);  // a job the run's list did not hold (tests)
    slot_[run.job.id] = static_cast<std::int32_t>(running_.size());
    running_.push_back(running);
  } else if (state_ == State::open) {
    CampusWindow& window = campuses_[fleet_.clusters[running.cluster].campus];
    advance(window, run.time_s);
    window.meter_it_w = meter_.campus(fleet_.clusters[running.cluster].campus).it_power_w();
    add(window, running, run.time_s);
  }
}

void FineWindow::on_stopped(const JobRun& run) {
  if (state_ == State::before) {
    const std::int32_t slot = run.job.id < slot_.size() ? slot_[run.job.id] : -1;
    if (slot < 0) return;
    running_[static_cast<std::size_t>(slot)] = running_.back();
    slot_[running_.back().job->id] = slot;
    running_.pop_back();
    slot_[run.job.id] = -1;
  } else if (state_ == State::open) {
    const int campus = fleet_.clusters[run.placement.cluster].campus;
    CampusWindow& window = campuses_[campus];
    advance(window, run.time_s);
    window.meter_it_w = meter_.campus(campus).it_power_w();
    auto found = std::find_if(window.jobs.begin(), window.jobs.end(),
                              [&](const SwingJob& job) { return job.id == run.job.id; });
    if (found == window.jobs.end()) return;
    *found = window.jobs.back();
    window.jobs.pop_back();
  }
}

// A new rate re-anchors the job's steps at the change and stretches them (swing_job).
void FineWindow::on_rate(const JobRun& run) {
  if (state_ == State::before) {
    const std::int32_t slot = run.job.id < slot_.size() ? slot_[run.job.id] : -1;
    if (slot < 0) return;
    running_[static_cast<std::size_t>(slot)].anchor_s = run.time_s;
    running_[static_cast<std::size_t>(slot)].rate = run.rate;
    running_[static_cast<std::size_t>(slot)].cap_w = run.cap_w;
  } else if (state_ == State::open) {
    const int campus = fleet_.clusters[run.placement.cluster].campus;
    CampusWindow& window = campuses_[campus];
    advance(window, run.time_s);
    // A [power] control's cap changes the job's power too (job_cap_changed came first: the meter has it).
    window.meter_it_w = meter_.campus(campus).it_power_w();
    auto found = std::find_if(window.jobs.begin(), window.jobs.end(),
                              [&](const SwingJob& job) { return job.id == run.job.id; });
    if (found == window.jobs.end()) return;
    *found = window.jobs.back();
    window.jobs.pop_back();
    --window.jobs_seen;  // the same run, counted again by add()
    add(window,
        Running{&run.job, run.placement.cluster, job_gpu_share(run.job, run.placement), run.time_s, run.rate, run.cap_w},
        run.time_s);
  }
}

void FineWindow::on_campus_power(int campus, double time_s) {
  if (state_ != State::open) return;
  CampusWindow& window = campuses_[static_cast<std::size_t>(campus)];
  advance(window, time_s);
  window.meter_it_w = meter_.campus(campus).it_power_w();
}

void FineWindow::on_hour(double time_s, long long hour) {
  if (state_ != State::open) return;
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    advance(campuses_[c], time_s);
    campuses_[c].pue = campus_pue(scenario_, scenario_.campuses[c], hour);
  }
}

// The samples are final: the means, rack storage over the floored IT power, the statistics.
void FineWindow::close(double time_s) {
  if (state_ != State::open) return;
  const double dt = config_.interval_s;
  const PowerSmoothingConfig& smoothing = scenario_.power_smoothing;
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    CampusWindow& window = campuses_[c];
    advance(window, time_s);
    FineCampusSeries series;
    series.campus = fleet_.campuses[c].name;
    for (int cluster : fleet_.campuses[c].clusters) {
      const Cluster& here = fleet_.clusters[static_cast<std::size_t>(cluster)];
      if (here.commission_s <= config_.start_s)
        series.racks += (here.state.node_count() + here.nodes_per_rack - 1) / here.nodes_per_rack;
    }
    const RackStorage storage{series.racks * smoothing.rack_storage_j, series.racks * smoothing.rack_storage_w,
                              smoothing.storage_time_constant_s};
    series.storage_capacity_j = storage.capacity_j;
    series.storage_power_w = storage.power_w;
    const std::size_t samples = window.it_j.size();
    std::vector<double> floored_it(samples), facility(samples), floored_facility(samples), grid(samples);
    for (std::size_t k = 0; k < samples; ++k) {
      floored_it[k] = window.floored_it_j[k] / dt;
      facility[k] = window.facility_j[k] / dt;
      floored_facility[k] = window.floored_facility_j[k] / dt;
    }
    // Both mitigations (the columns), and the storage alone on the unmitigated load (statistics only).
    const StorageRun run = run_rack_storage(storage, floored_it, dt);
    std::vector<double> it(samples), stored(samples);
    for (std::size_t k = 0; k < samples; ++k) it[k] = window.it_j[k] / dt;
    const StorageRun alone = run_rack_storage(storage, it, dt);
    series.samples.resize(samples);
    for (std::size_t k = 0; k < samples; ++k) {
      const double pue = floored_it[k] > 0 ? floored_facility[k] / floored_it[k] : window.pue;
      grid[k] = floored_facility[k] - run.power_w[k] * pue;
      stored[k] = facility[k] - alone.power_w[k] * (it[k] > 0 ? facility[k] / it[k] : window.pue);
      series.samples[k] = {config_.start_s + double(k) * dt, it[k], facility[k], floored_it[k], grid[k],
                           run.power_w[k], run.energy_j[k]};
    }
    series.swing_window_s = window.swing_window_s > 0 ? window.swing_window_s : config_.default_step_s;
    series.unmitigated = swing_stats(facility, dt, series.swing_window_s);
    series.floored = swing_stats(floored_facility, dt, series.swing_window_s);
    series.stored = swing_stats(stored, dt, series.swing_window_s);
    series.mitigated = swing_stats(grid, dt, series.swing_window_s);
    series.jobs_seen = window.jobs_seen;
    record_.campuses.push_back(std::move(series));
  }
  campuses_ = {};
  state_ = State::closed;
}

}  // namespace fleetsim

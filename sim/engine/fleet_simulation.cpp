#include "sim/engine/fleet_simulation.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <chrono>
#include <optional>
#include <stdexcept>

#include "sim/engine/kernel.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/power/power_control.hpp"
#include "sim/power/fine_window.hpp"
#include "sim/power/power_meter.hpp"
#include "sim/reliability/failure_process.hpp"
#include "sim/scheduling/fragmentation_meter.hpp"
#include "sim/scheduling/placement_contexts.hpp"
#include "sim/serving/service_fleet.hpp"
#include "sim/telemetry/campus_series.hpp"
#include "sim/telemetry/job_records.hpp"
#include "sim/telemetry/period_report.hpp"
#include "sim/telemetry/summary.hpp"

namespace fleetsim {

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The failures as /failures rows, and their metrics in the summary: failures, the runs they stopped, GPU-hours
// lost, effective training time ((job wall time - time lost) / job wall time, GPU-weighted) and goodput ((busy -
// work redone - checkpoint writes) / busy GPU-hours).
std::vector<FailureRecord> add_failures(const FailureProcess& process, double horizon_s, Summary& summary) {
  std::vector<FailureRecord> rows;
  const Fleet& fleet = process.fleet();
  for (const FailureEvent& failure : process.failures()) {
    const Cluster& cluster = fleet.clusters[failure.cluster];
    rows.push_back({failure.time_s, fleet.campuses[cluster.campus].name, cluster.name, failure.node, failure.nodes,
                    failure.cause->name, failure.jobs_hit, failure.gpu_seconds_lost / 3600.0});
    summary.failure_interruptions += failure.jobs_hit;
    summary.gpu_hours_lost += failure.gpu_seconds_lost / 3600.0;
  }
  summary.failures = rows.size();
  const FailureCosts costs = process.costs(horizon_s);
  summary.job_wall_gpu_s -= costs.abandoned_gpu_s;
  if (summary.job_wall_gpu_s > 0)
    summary.effective_training_time =
        1 - (costs.redone_gpu_s + costs.writes_gpu_s + costs.waits_gpu_s) / summary.job_wall_gpu_s;
  const double busy_gpu_s = summary.gpu_hours_busy * 3600;
  if (busy_gpu_s > 0) summary.goodput = 1 - (costs.redone_gpu_s + costs.writes_gpu_s) / busy_gpu_s;
  return rows;
}

// The run's economics in the summary.
void add_economics(const Economics& economics, Summary& summary) {
  summary.capex_eur = economics.capex_eur();
  summary.tco_eur = economics.total.tco_eur;
  summary.npc_eur = economics.npc_eur;
  summary.tco_per_gpu_hour_eur = economics.total.eur_per_gpu_hour;
  summary.tco_per_million_tokens_eur = economics.total.eur_per_million_tokens;
  summary.tco_per_training_run_eur = economics.total.eur_per_training_run;
}

// The control's totals beside the meter's budget_exceeded_s.
void add_power_control(const std::vector<PowerBudgetTotals>& control, std::vector<CampusTotals>& totals) {
  for (std::size_t c = 0; c < totals.size(); ++c) {
    const double exceeded_s = totals[c].power.budget_exceeded_s;
    totals[c].power = control[c];
    totals[c].power.budget_exceeded_s = exceeded_s;
  }
}
}  // namespace

struct FleetRun::Engine {
  simgrid::s4u::Engine engine{"fleetsim"};
};

FleetRun::FleetRun(const Scenario& scenario, Fleet& fleet, const EngineOptions& options)
    : scenario_(scenario), fleet_(fleet), options_(options) {
  static bool ran = false;
  if (ran) throw std::logic_error("SimGrid allows one simulation per process");
  ran = true;
  const auto build_start = std::chrono::steady_clock::now();
  engine_ = std::make_unique<Engine>();
  xbt_log_control_set("root.thres:critical");
  if (options_.on_engine_created) options_.on_engine_created();
  // Links taken literally, as in `fleetsim step` (step/detailed_step.cpp): a dataset of b bytes alone on a fibre of
  // bandwidth B and latency L takes L + b / B, and transfers share it max-min fairly (CM02 without LV08's factors,
  // TCP's window limit or the acknowledgements' reverse traffic). Fleet runs start no other flow.
  for (const char* setting : {"network/model:CM02", "network/latency-factor:1", "network/bandwidth-factor:1",
                              "network/weight-S:0", "network/TCP-gamma:0", "network/crosstraffic:0"})
    simgrid::s4u::Engine::set_config(setting);
  stats_.platform_hosts = build_platform(fleet_, scenario_.has_dispatch()).hosts;
  stats_.platform_build_wall_s = seconds_since(build_start);
}

// The engine is not torn down here: SimGrid allows one per process anyway, and destroying a 10 GW platform (628,300
// hosts and NIC links) took 2 s of a 55 s run. It stays reachable until the process ends, and main skips the exit
// handlers' freeing too. Sanitizer builds tear down as usual, so that the leak checker sees a clean exit.
FleetRun::~FleetRun() {
#if !defined(FLEETSIM_SANITIZED)
  [[maybe_unused]] static Engine* kept_until_exit = nullptr;
  kept_until_exit = engine_.release();
#endif
}

EngineStats FleetRun::simulate(std::vector<Job>& jobs, const SchedulerPolicy& policy, Recorder& recorder,
                               const std::vector<ServiceModel>* built_services) {
  const Scenario& scenario = scenario_;
  Fleet& fleet = fleet_;
  EngineStats stats = stats_;
  const auto run_start = std::chrono::steady_clock::now();
  std::vector<ServiceModel> own_services;
  const std::vector<ServiceModel>* services = built_services ? built_services : options_.services;
  if (!services) {
    own_services = make_service_models(scenario, 1);
    services = &own_services;
  }
  // The components, each on the lifecycle signals; the kernel announces, they keep their own state.
  Lifecycle lifecycle;
  const std::vector<PlacementContext> placement = make_placement_contexts(fleet, jobs, scenario.scheduler.gpu_sharing);
  PowerMeter power(scenario, fleet, lifecycle);
  FragmentationMeter fragmentation(fleet, placement, lifecycle);
  JobRecords records(fleet, jobs, recorder, lifecycle);
  CampusSeries series(fleet, power, fragmentation, recorder, lifecycle);
  Kernel kernel(scenario, fleet, jobs, policy, placement, lifecycle, &power);
  FailureProcess failures(scenario, fleet, jobs, kernel, lifecycle);
  ServiceFleet service_fleet(scenario, fleet, *services, recorder, lifecycle, kernel);
  // Budgets held and grid events answered, when [power] asks for any (after the meter: it reads the meter's power).
  std::optional<PowerControl> power_control;
  const PowerConfig& power_config = scenario.power;
  if (power_config.enforced() || !power_config.events.empty() || !power_config.rules.empty() ||
      has_connection_schedule(scenario))
    power_control.emplace(scenario, fleet, jobs, power, kernel, lifecycle);
  std::optional<FineWindow> fine;  // after the power meter: it reads the meter's power after each event
  if (scenario.telemetry.fine.enabled()) {
    fine.emplace(scenario, fleet, jobs, power, lifecycle);
    fine->start(kernel);
  }
  PeriodReport periods(scenario, fleet, power, lifecycle, kernel,
                       [&service_fleet](int campus) { return service_fleet.served(campus); });
  if (options_.add_components) options_.add_components(lifecycle, kernel);

  service_fleet.start();  // services hold their first replicas before any job arrives
  kernel.start();
  failures.start();
  periods.start();
  if (power_control) power_control->start();
  const double horizon_s = scenario.simulation.duration_s;
  const int steps = std::max(1, options_.progress_steps);
  for (int step = 1; step <= steps; ++step) {
    const double until_s = step == steps ? horizon_s : horizon_s * step / steps;
    if (until_s > kernel.now_s()) engine_->engine.run_until(until_s);
    if (options_.on_progress) options_.on_progress({kernel.now_s(), horizon_s, kernel.events()});
  }
  kernel.stop_transfers();  // datasets still moving stay where they are
  engine_->engine.run();    // events due exactly at the horizon; none is ever set later

  stats.run_wall_s = seconds_since(run_start);
  stats.run_recorder_wait_s = recorder.wait_s();
  stats.run_recorder_help_s = recorder.help_s();
  const auto record_start = std::chrono::steady_clock::now();
  const std::vector<ServiceTotals> service_totals = service_fleet.totals(horizon_s);
  recorder.service_totals(service_totals);
  std::vector<CampusTotals> totals = series.totals(horizon_s);
  if (power_control) add_power_control(power_control->totals(horizon_s), totals);
  Summary summary = records.finish(horizon_s, totals);
  if (power_control) summary.jobs_delayed_by_power = power_control->jobs_delayed();
  recorder.failures(add_failures(failures, horizon_s, summary));
  const std::vector<PeriodTotals> months = periods.finish(horizon_s);
  recorder.periods(months);
  const Economics economics = compute_economics(scenario, months);
  recorder.economics(economics);
  add_economics(economics, summary);
  add_service_totals(service_totals, summary);
  if (fine) recorder.fine_window(fine->record());
  recorder.finish(totals, summary);
  stats.record_wall_s = seconds_since(record_start);
  stats.events = kernel.events();
  stats.jobs_started = kernel.jobs_started();
  stats.jobs_completed = kernel.jobs_completed();
  return stats;
}

EngineStats run_simulation(const Scenario& scenario, Fleet& fleet, std::vector<Job>& jobs,
                           const SchedulerPolicy& policy, Recorder& recorder, const EngineOptions& options) {
  FleetRun run(scenario, fleet, options);
  return run.simulate(jobs, policy, recorder);
}

}  // namespace fleetsim

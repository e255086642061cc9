#include "sim/engine/fleet_simulation.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <chrono>
#include <stdexcept>

#include "sim/engine/kernel.hpp"
#include "sim/engine/platform_builder.hpp"
#include "sim/power/power_meter.hpp"
#include "sim/scheduling/fragmentation_meter.hpp"
#include "sim/scheduling/placement_contexts.hpp"
#include "sim/serving/service_fleet.hpp"
#include "sim/telemetry/campus_series.hpp"
#include "sim/telemetry/job_records.hpp"
#include "sim/telemetry/summary.hpp"

namespace fleetsim {

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
  stats_.platform_hosts = build_platform(fleet_).hosts;
  stats_.platform_build_wall_s = seconds_since(build_start);
}

FleetRun::~FleetRun() = default;

EngineStats FleetRun::simulate(const std::vector<Job>& jobs, const SchedulerPolicy& policy, Recorder& recorder,
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
  Kernel kernel(scenario, fleet, jobs, policy, placement, lifecycle);
  ServiceFleet service_fleet(scenario, fleet, *services, recorder, lifecycle, kernel);
  if (options_.add_components) options_.add_components(lifecycle, kernel);

  service_fleet.start();  // services hold their first replicas before any job arrives
  kernel.start();
  const double horizon_s = scenario.simulation.duration_s;
  const int steps = std::max(1, options_.progress_steps);
  for (int step = 1; step <= steps; ++step) {
    const double until_s = step == steps ? horizon_s : horizon_s * step / steps;
    if (until_s > kernel.now_s()) engine_->engine.run_until(until_s);
    if (options_.on_progress) options_.on_progress({kernel.now_s(), horizon_s, kernel.events()});
  }
  engine_->engine.run();  // events due exactly at the horizon; none is ever set later

  stats.run_wall_s = seconds_since(run_start);
  const auto record_start = std::chrono::steady_clock::now();
  const std::vector<ServiceTotals> service_totals = service_fleet.totals(horizon_s);
  recorder.service_totals(service_totals);
  const std::vector<CampusTotals> totals = series.totals(horizon_s);
  Summary summary = records.finish(horizon_s, totals);
  add_service_totals(service_totals, summary);
  recorder.finish(totals, summary);
  stats.record_wall_s = seconds_since(record_start);
  stats.events = kernel.events();
  stats.jobs_started = kernel.jobs_started();
  stats.jobs_completed = kernel.jobs_completed();
  return stats;
}

EngineStats run_simulation(const Scenario& scenario, Fleet& fleet, const std::vector<Job>& jobs,
                           const SchedulerPolicy& policy, Recorder& recorder, const EngineOptions& options) {
  FleetRun run(scenario, fleet, options);
  return run.simulate(jobs, policy, recorder);
}

}  // namespace fleetsim

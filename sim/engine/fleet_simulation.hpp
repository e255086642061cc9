#pragma once
// Runs a scenario on SimGrid. SimGrid's clock and timer queue drive the run through the kernel (kernel.hpp):
// job arrivals, job ends, capacity changes, hour and telemetry ticks are SimGrid timers; the scheduler policy
// is asked for decisions inside those events; the components (power, fragmentation, job records, campus
// series) listen on the lifecycle signals. The fleet is also a SimGrid platform (campus and cluster zones, one
// host per node with its NIC link), built by platform_builder. No SimGrid type appears in this header.
//
// SimGrid allows one Engine per process, so one FleetSimulation may run per process.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "sim/fleet/fleet.hpp"
#include "sim/fleet/lifecycle.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scheduling/scheduler.hpp"
#include "sim/serving/service_model.hpp"
#include "sim/telemetry/recorder.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

struct EngineProgress {
  double simulated_s = 0;
  double horizon_s = 0;
  std::uint64_t events = 0;
};

struct EngineStats {
  std::uint64_t events = 0;          // timer events handled
  std::uint64_t jobs_started = 0;
  std::uint64_t jobs_completed = 0;
  double platform_build_wall_s = 0;
  double run_wall_s = 0;             // the event loop, without recording the jobs at the end
  double run_recorder_wait_s = 0;    // of which waiting for the recorder (its writer thread behind)
  double run_recorder_help_s = 0;    // of which compressing the recorder's blocks (its writer thread behind)
  double record_wall_s = 0;          // recording every job and the totals (a streaming sink writes its file then)
  std::size_t platform_hosts = 0;
};

struct EngineOptions {
  int progress_steps = 200;               // run in this many slices, calling on_progress after each
  std::function<void(const EngineProgress&)> on_progress;
  // Called once the SimGrid engine exists, before the run. SimGrid installs its own SIGINT handler when
  // its engine starts; a caller that handles interruption itself re-installs its handler here.
  std::function<void()> on_engine_created;
  // Called before the run with the lifecycle signals and the kernel's controls: extra components subscribe here
  // (tests use it to change rates or watch events).
  std::function<void(Lifecycle&, FleetControl&)> add_components;
  // The scenario's inference services with their capacity curves, in [[service]] order (the run command builds
  // them before it creates its output, so that an unreachable SLO leaves no file); null: built by simulate().
  const std::vector<ServiceModel>* services = nullptr;
};

// A run in two steps: construction creates the SimGrid engine and builds the platform; simulate() runs the
// whole horizon, records to `recorder` and returns counters. Between the two the caller may finish preparing
// the job list (the run command builds it on another thread while the platform is built).
class FleetRun {
 public:
  FleetRun(const Scenario& scenario, Fleet& fleet, const EngineOptions& options);
  ~FleetRun();
  FleetRun(const FleetRun&) = delete;
  FleetRun& operator=(const FleetRun&) = delete;
  // `services`: the scenario's services built by the caller (else EngineOptions::services, else built here).
  // `jobs`: the kernel sets a dispatchable job's campus (and a training run's plan there) as it dispatches it.
  EngineStats simulate(std::vector<Job>& jobs, const SchedulerPolicy& policy, Recorder& recorder,
                       const std::vector<ServiceModel>* services = nullptr);

 private:
  struct Engine;
  const Scenario& scenario_;
  Fleet& fleet_;
  EngineOptions options_;
  std::unique_ptr<Engine> engine_;
  EngineStats stats_;
};

// Both steps at once.
EngineStats run_simulation(const Scenario& scenario, Fleet& fleet, std::vector<Job>& jobs,
                           const SchedulerPolicy& policy, Recorder& recorder, const EngineOptions& options);

}  // namespace fleetsim

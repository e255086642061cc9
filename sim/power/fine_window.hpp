#pragma once
// The fine power window (`[telemetry] fine`, issue 15): campus power at a fine resolution (e.g. 100 ms) over one
// window, with every running job's GPUs alternating between their compute-phase and low-phase power once per step
// (power_swing.hpp), and the mitigations of `[power.smoothing]`: a GPU power floor and rack energy storage
// (rack_storage.hpp). A component on the lifecycle signals.
//
// How. Outside the window the power meter's piecewise-constant power is what the fleet draws: every running job at
// its compute-phase power. In the window each sample's IT power is the meter's (read after each event: nodes, services,
// jobs) minus, for every running job, what it draws less in its bubble and communication phases, integrated exactly
// over the sample (its mean, not a point reading): the job's phases repeat every step from its start (or its last
// rate change), so the time each phase takes of a sample is analytic (time_in_phase_s) and a sample costs one pass
// over the campus's running jobs. An event splits the sample it falls in. The samples are final at the window's end,
// when storage runs over them.
//
// A job's step: a training run's (TrainingJobConfig on its cluster, under the cluster's cap: compute, bubble, exposed
// communication); any other job's the stated profile of [telemetry] fine (default_step, default_communication_share;
// no bubble). A rate other than the one the engine starts the job at (job_rate) stretches the whole step by their
// ratio (a rate of 0: no swing, the job holds its compute-phase power as the meter counts it).
#include <cstdint>
#include <vector>

#include "sim/fleet/lifecycle.hpp"
#include "sim/power/fine_series.hpp"
#include "sim/power/power_meter.hpp"
#include "sim/power/rack_storage.hpp"

namespace fleetsim {

class FineWindow {
 public:
  // `meter` must be connected to `lifecycle` before this component (it reads the meter's power after each event).
  FineWindow(const Scenario& scenario, const Fleet& fleet, const std::vector<Job>& jobs, const PowerMeter& meter,
             Lifecycle& lifecycle);
  // Asks `control` to call back at the window's start and end.
  void start(FleetControl& control);
  // Complete once the window has ended (campuses empty before).
  const FineWindowRecord& record() const { return record_; }

 private:
  struct Running {  // a run before the window: what its phases need
    const Job* job;
    int cluster;
    double gpus;
    double anchor_s;  // its phases start here: its start or its last rate change
    double rate;
    double cap_w;     // its GPUs' power cap (its cluster's, or a [power] control's)
  };
  struct SwingJob {
    std::uint64_t id;
    int cluster;
    double gpus;
    double origin_s, period_s, inverse_period, compute_s, bubble_s, communication_s;
    double bubble_drop_w, communication_drop_w;              // whole job, below its compute-phase power
    double bubble_drop_floor_w, communication_drop_floor_w;  // the same with the GPU power floor
    double in_bubble_s, in_communication_s;                  // since origin_s, up to the campus's cursor
  };
  struct CampusWindow {
    std::vector<SwingJob> jobs;
    double cursor_s = 0;
    long long sample = 0;  // the sample the cursor is in
    double meter_it_w = 0;
    double pue = 1;
    std::vector<double> it_j, floored_it_j, facility_j, floored_facility_j;  // per sample
    double largest_gpus = -1, swing_window_s = 0;
    int jobs_seen = 0;
  };

  void on_started(const JobRun& run);
  void on_stopped(const JobRun& run);
  void on_rate(const JobRun& run);
  void on_campus_power(int campus, double time_s);
  void on_hour(double time_s, long long hour);
  void open(double time_s);
  void close(double time_s);
  void advance(CampusWindow& window, double time_s);
  void add(CampusWindow& window, const Running& running, double now_s);
  SwingJob swing_job(const Running& running) const;
  bool in_window() const { return state_ == State::open; }

  enum class State { before, open, closed };
  const Scenario& scenario_;
  const Fleet& fleet_;
  const PowerMeter& meter_;
  const FineWindowConfig& config_;
  State state_ = State::before;
  std::vector<Running> running_;   // before the window
  std::vector<std::int32_t> slot_;  // by job id: index in running_, -1 when not running
  std::vector<CampusWindow> campuses_;
  FineWindowRecord record_;
};

}  // namespace fleetsim

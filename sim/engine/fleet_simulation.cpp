#include "sim/engine/fleet_simulation.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <cassert>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

#include "sim/engine/platform_builder.hpp"
#include "sim/power/campus_power.hpp"

namespace fleetsim {

namespace {
namespace sg4 = simgrid::s4u;
using simgrid::kernel::timer::Timer;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double now_s() { return sg4::Engine::get_clock(); }

// Where a job is in its life, as the engine tracks it.
struct JobProgress {
  double start_s = kNaN;
  double end_s = kNaN;
  Placement placement;  // empty until started; released at its end
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, Fleet& fleet, const std::vector<Job>& jobs, const SchedulerPolicy& policy,
             Recorder& recorder)
      : fleet_(fleet),
        jobs_(jobs),
        policy_(policy),
        recorder_(recorder),
        horizon_s_(scenario.simulation.duration_s),
        interval_s_(scenario.simulation.telemetry_interval_s),
        queues_(fleet.campuses.size()),
        progress_(jobs.size()) {
    for (std::size_t c = 0; c < fleet.campuses.size(); ++c) {
      const CampusConfig& config = scenario.campuses[c];
      power_.emplace_back(fleet.campuses[c].idle_power_w, config.pue, config.carbon_intensity_g_per_kwh);
    }
  }

  // Registers the first events; the SimGrid engine then drives everything.
  void start() {
    if (!jobs_.empty()) Timer::set(jobs_.front().submit_s, [this] { on_arrivals(); });
    Timer::set(std::min(interval_s_, horizon_s_), [this] { on_tick(); });
  }

  // Records jobs and totals at the horizon.
  void finish() {
    for (std::size_t c = 0; c < power_.size(); ++c) power_[c].advance_to(horizon_s_);
    for (const Job& job : jobs_) recorder_.job(job_record(job));
    std::vector<CampusTotals> totals;
    for (const CampusPower& power : power_)
      totals.push_back({power.it_energy_j(), power.facility_energy_j(), power.carbon_kg(), power.gpu_seconds_busy()});
    recorder_.finish(totals);
  }

  std::uint64_t events() const { return events_; }
  std::uint64_t jobs_started() const { return jobs_started_; }
  std::uint64_t jobs_completed() const { return jobs_completed_; }

 private:
  // All jobs submitted now join their campus queue, in id order; then each touched campus schedules.
  void on_arrivals() {
    ++events_;
    const double now = now_s();
    std::vector<int> touched;
    while (next_arrival_ < jobs_.size() && jobs_[next_arrival_].submit_s <= now) {
      const Job& job = jobs_[next_arrival_++];
      if (touched.empty() || touched.back() != job.campus) touched.push_back(job.campus);
      queues_[job.campus].push_back(job.id);
    }
    for (int campus : touched) schedule(campus);
    if (next_arrival_ < jobs_.size()) Timer::set(jobs_[next_arrival_].submit_s, [this] { on_arrivals(); });
  }

  void on_job_end(std::uint64_t id) {
    ++events_;
    ++jobs_completed_;
    const Job& job = jobs_[id];
    JobProgress& progress = progress_[id];
    progress.end_s = now_s();
    Cluster& cluster = fleet_.clusters[progress.placement.cluster];
    cluster.state.give_back(progress.placement);
    power_[job.campus].change(progress.end_s, -extra_power_w(job, cluster), -progress.placement.gpus());
    schedule(job.campus);
  }

  // Telemetry: every campus's means over the interval just ended.
  void on_tick() {
    ++events_;
    const double now = now_s();
    for (std::size_t c = 0; c < power_.size(); ++c) {
      CampusPowerSample sample = power_[c].sample(now);
      recorder_.sample(c, {last_tick_s_, sample.it_power_w, sample.facility_power_w, sample.gpus_busy, sample.carbon_kg});
    }
    last_tick_s_ = now;
    if (now < horizon_s_) Timer::set(std::min(now + interval_s_, horizon_s_), [this] { on_tick(); });
  }

  // Starts jobs in `campus` for as long as the policy finds one that fits.
  void schedule(int campus) {
    auto& queue = queues_[campus];
    while (auto decision = policy_.decide({fleet_, campus, queue, jobs_})) {
      const std::uint64_t id = queue[decision->queue_position];
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(decision->queue_position));
      start_job(id, std::move(decision->placement));
    }
  }

  void start_job(std::uint64_t id, Placement placement) {
    ++jobs_started_;
    const Job& job = jobs_[id];
    const double now = now_s();
    Cluster& cluster = fleet_.clusters[placement.cluster];
    cluster.state.take(placement);
    power_[job.campus].change(now, extra_power_w(job, cluster), placement.gpus());
    JobProgress& progress = progress_[id];
    progress.start_s = now;
    progress.placement = std::move(placement);
    const double end_s = now + job.duration_s;
    if (end_s <= horizon_s_) Timer::set(end_s, [this, id] { on_job_end(id); });
  }

  // Power a job adds above its GPUs' idle power. GPUs a job holds but does not use (the rest of a whole
  // node) stay at idle power.
  static double extra_power_w(const Job& job, const Cluster& cluster) {
    return job.gpus * (cluster.gpu->power_w(job.gpu_utilization) - cluster.gpu->idle_w);
  }

  JobRecord job_record(const Job& job) const {
    const JobProgress& progress = progress_[job.id];
    JobRecord record;
    record.id = job.id;
    record.name = job.name;
    record.campus = fleet_.campuses[job.campus].name;
    record.gpus = job.gpus;
    record.submit_s = job.submit_s;
    record.start_s = progress.start_s;
    record.end_s = progress.end_s;
    if (std::isnan(progress.start_s)) {
      record.state = JobState::queued;
      return record;
    }
    const Cluster& cluster = fleet_.clusters[progress.placement.cluster];
    record.cluster = cluster.name;
    record.state = std::isnan(progress.end_s) ? JobState::running : JobState::completed;
    const double ran_until_s = record.state == JobState::completed ? progress.end_s : horizon_s_;
    record.energy_j = job.gpus * cluster.gpu->power_w(job.gpu_utilization) * (ran_until_s - progress.start_s);
    return record;
  }

  Fleet& fleet_;
  const std::vector<Job>& jobs_;
  const SchedulerPolicy& policy_;
  Recorder& recorder_;
  const double horizon_s_;
  const double interval_s_;
  std::vector<std::deque<std::uint64_t>> queues_;
  std::vector<CampusPower> power_;
  std::vector<JobProgress> progress_;
  std::size_t next_arrival_ = 0;
  double last_tick_s_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t jobs_started_ = 0;
  std::uint64_t jobs_completed_ = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

EngineStats run_simulation(const Scenario& scenario, Fleet& fleet, const std::vector<Job>& jobs,
                           const SchedulerPolicy& policy, Recorder& recorder, const EngineOptions& options) {
  static bool ran = false;
  if (ran) throw std::logic_error("SimGrid allows one simulation per process");
  ran = true;

  EngineStats stats;
  const auto build_start = std::chrono::steady_clock::now();
  sg4::Engine engine("fleetsim");
  xbt_log_control_set("root.thres:critical");
  if (options.on_engine_created) options.on_engine_created();
  if (options.build_platform) stats.platform_hosts = build_platform(fleet).hosts;
  stats.platform_build_wall_s = seconds_since(build_start);

  const auto run_start = std::chrono::steady_clock::now();
  Simulation simulation(scenario, fleet, jobs, policy, recorder);
  simulation.start();
  const double horizon_s = scenario.simulation.duration_s;
  const int steps = std::max(1, options.progress_steps);
  for (int step = 1; step <= steps; ++step) {
    const double until_s = step == steps ? horizon_s : horizon_s * step / steps;
    if (until_s > now_s()) engine.run_until(until_s);
    if (options.on_progress) options.on_progress({now_s(), horizon_s, simulation.events()});
  }
  engine.run();  // events due exactly at the horizon; none is ever set later
  simulation.finish();
  stats.run_wall_s = seconds_since(run_start);
  stats.events = simulation.events();
  stats.jobs_started = simulation.jobs_started();
  stats.jobs_completed = simulation.jobs_completed();
  return stats;
}

}  // namespace fleetsim

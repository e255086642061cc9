// What components and policies may do to a running job, through FleetControl: change its rate (a throttle, a
// pause), its power cap, stop it, read its progress, and interrupt it (preemption, failure, maintenance, a power
// stop). Every change of rate re-times the job's end through Kernel::time_end.
#include <simgrid/kernel/Timer.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/engine/kernel.hpp"
#include "sim/power/job_power.hpp"
#include "sim/reliability/checkpoint_restart.hpp"

namespace fleetsim {

void Kernel::set_job_rate(std::uint64_t id, double rate) {
  assert(rate >= 0 && std::isfinite(rate));
  if (job_[id].run == kNotRunning) return;
  Run& run = runs_[job_[id].run];
  const double now = now_s();
  const double old_rate = run.work.rate();
  run.work.set_rate(now, rate);
  time_end(run);
  if (track_running_) {
    // The scheduler's view: the estimate's remaining part at the new rate (never, while paused).
    const double estimated_left = std::max(0.0, run.estimated_remaining - run.work.done(now));
    RunningJob running = run.entry->second;
    running_[run.placement.cluster].erase(run.entry);
    run.entry = running_[run.placement.cluster].emplace(
        rate > 0 ? now + estimated_left / rate : std::numeric_limits<double>::infinity(), running);
  }
  lifecycle_.job_rate_changed(run_of(run, rate), old_rate);
}

// A power control's cap (0: the cluster's): the job's power and rate follow.
void Kernel::set_job_cap(std::uint64_t id, double cap_w) {
  if (job_[id].run == kNotRunning) return;
  Run& run = runs_[job_[id].run];
  const Cluster& cluster = fleet_.clusters[run.placement.cluster];
  const double cap = tighter_cap_w(cluster.power_cap_w, cap_w);
  if (cap == run.cap_w) return;
  const double old_cap = run.cap_w;
  run.cap_w = cap;
  lifecycle_.job_cap_changed(run_of(run, run.work.rate()), old_cap);
  set_job_rate(id, job_rate(jobs_[id], cluster, cap));
}

void Kernel::stop_job(std::uint64_t id, bool keep_all) {
  if (job_[id].run != kNotRunning) interrupt_job(id, InterruptCause::power, keep_all);
}

RunProgress Kernel::progress(std::uint64_t id) const {
  if (job_[id].run == kNotRunning) return {};
  const Run& run = runs_[job_[id].run];
  return {run.work.done(now_s()), run.work.rate()};
}

// Stops a running job before its end: it keeps the work up to its last checkpoint and queues again (after its
// restart time, when it has one).
Interruption Kernel::interrupt_job(std::uint64_t id, InterruptCause cause, bool keep_all) {
  Run& run = runs_[job_[id].run];
  const double now = now_s();
  if (run.end_timer) run.end_timer->remove();  // none when it would end after the horizon
  run.end_timer = nullptr;
  Interruption interruption{cause, run.work.done(now), 0};
  interruption.work_kept = cause == InterruptCause::power && keep_all ? work_kept_at_stop(jobs_[id], interruption.work_done)
                                                                     : work_kept_at_interruption(jobs_[id], interruption.work_done);
  if (cause == InterruptCause::failure) {
    JobSlot& slot = job_[id];
    if (slot.failures < UINT16_MAX) ++slot.failures;
    interruption.gave_up = jobs_[id].max_restarts >= 0 && slot.failures > jobs_[id].max_restarts;
  }
  job_[id].remaining = run.work.remaining_at_start() - interruption.work_kept;
  release(run);
  lifecycle_.job_interrupted(run_of(run, run.work.rate()), interruption);
  free_run(run);
  const Job& job = jobs_[id];
  if (interruption.gave_up) return interruption;
  if (job.restart_s > 0) {
    if (now + job.restart_s > horizon_s_) return interruption;  // it would queue again after the end
    Timer::set(now + job.restart_s, [this, id] {
      ++events_;
      enqueue(jobs_[id]);
      schedule(jobs_[id].campus);
    });
  } else {
    enqueue(job);
  }
  return interruption;
}

}  // namespace fleetsim

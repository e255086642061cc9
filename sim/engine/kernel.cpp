#include "sim/engine/kernel.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/huge_pages.hpp"
#include "sim/power/job_power.hpp"
#include "sim/power/power_meter.hpp"

namespace fleetsim {

Kernel::Kernel(const Scenario& scenario, Fleet& fleet, std::vector<Job>& jobs, const SchedulerPolicy& policy,
               const std::vector<PlacementContext>& placement, Lifecycle& lifecycle, const PowerMeter* power)
    : fleet_(fleet),
      jobs_(jobs),
      policy_(policy),
      placement_(placement),
      lifecycle_(lifecycle),
      horizon_s_(scenario.simulation.duration_s),
      interval_s_(scenario.simulation.telemetry_interval_s),
      hour_ticks_(has_hourly_conditions(scenario)),
      capacity_plan_(capacity_plan(scenario, fleet, scenario.simulation.duration_s)),
      track_running_(policy.reads_running_jobs()),
      track_nodes_(!scenario.reliability.classes.empty()),
      spares_per_cluster_(scenario.reliability.spares_per_cluster),
      swap_s_(scenario.reliability.swap_s),
      queues_(fleet.campuses.size()),
      unplaceable_(fleet.campuses.size(), 0),
      running_(fleet.clusters.size()),
      draining_(fleet.clusters.size()),
      power_(power),
      dispatching_(power && scenario.has_dispatch()) {
  if (dispatching_) {
    dispatcher_.emplace(scenario.dispatch);
    dispatch_.assign(jobs.size(), DispatchSlot{});
    const std::size_t campuses = fleet.campuses.size();
    queued_gpu_s_.assign(campuses, 0);
    transfers_to_.assign(campuses, 0);
    running_end_gpu_s_.assign(campuses, 0);
    running_gpus_.assign(campuses, 0);
    largest_gpus_.assign(campuses, 0);
    for (const Cluster& cluster : fleet.clusters)
      largest_gpus_[cluster.campus] = std::max<long long>(largest_gpus_[cluster.campus],
                                                          static_cast<long long>(cluster.state.node_count()) * cluster.state.gpus_per_node());
  }
  assign_on_huge_pages(job_, jobs.size(), JobSlot{});
  for (std::size_t j = 0; j < jobs.size(); ++j) job_[j].remaining = jobs[j].duration_s;
  for (Cluster& cluster : fleet.clusters) {
    status_.emplace_back(cluster.state.node_count(), cluster.commission_s > 0 ? absent : up);
    if (track_nodes_) {
      NodeRuns& runs = node_runs_.emplace_back();
      runs.slots = std::max(1, cluster.state.gpus_per_node());
      runs.runs.assign(static_cast<std::size_t>(cluster.state.node_count()) * runs.slots, -1);
    }
    // The last nodes of each cluster installed from the start are its hot spares (never more than half of it).
    auto& spares = spares_.emplace_back();
    if (cluster.commission_s > 0) continue;
    const int count = std::min(spares_per_cluster_, cluster.state.node_count() / 2);
    for (int node = cluster.state.node_count() - count; node < cluster.state.node_count(); ++node) {
      status_.back()[node] = spare;
      cluster.state.set_available(node, false);
      spares.push_back(node);
    }
  }
}

double Kernel::now_s() const { return simgrid::s4u::Engine::get_clock(); }

void Kernel::start() {
  for (std::size_t c = 0; c < spares_.size(); ++c)  // out of the pool, still powered and installed
    if (!spares_[c].empty())
      lifecycle_.nodes_down(NodeChange{static_cast<int>(c), spares_[c], 0, CapacityReason::failure, false, false});
  if (!jobs_.empty()) Timer::set(jobs_.front().submit_s, [this] { on_arrivals(); });
  Timer::set(std::min(interval_s_, horizon_s_), [this] { on_tick(); });
  if (hour_ticks_ && horizon_s_ > 3600) Timer::set(3600, [this] { on_hour(); });
  for (const CapacityChange& change : capacity_plan_) Timer::set(change.time_s, [this, &change] { apply(change); });
  start_dispatch();
}

// Nothing happens after the horizon: events due later are never set (SimGrid's final run() would run them).
void Kernel::at(double time_s, std::function<void()> action) {
  if (time_s > horizon_s_) return;
  Timer::set(std::max(time_s, now_s()), [this, action = std::move(action)] {
    ++events_;
    action();
  });
}

// All jobs submitted now join their campus queue, in id order; then each touched campus schedules.
void Kernel::on_arrivals() {
  ++events_;
  const double now = now_s();
  touched_.clear();
  while (next_arrival_ < jobs_.size() && jobs_[next_arrival_].submit_s <= now) {
    Job& job = jobs_[next_arrival_++];
    if (job.dispatch && dispatching_) {
      lifecycle_.job_submitted(job, now);
      dispatch_arrival(job);  // joins the queue of the campus it is sent to, or moves its data there first
      if (touched_.empty() || touched_.back() != job.campus) touched_.push_back(job.campus);
      continue;
    }
    if (touched_.empty() || touched_.back() != job.campus) touched_.push_back(job.campus);
    enqueue(job);
    lifecycle_.job_submitted(job, now);
  }
  for (std::size_t i = 0; i < touched_.size(); ++i) schedule(touched_[i]);
  if (next_arrival_ < jobs_.size()) Timer::set(jobs_[next_arrival_].submit_s, [this] { on_arrivals(); });
}

// A job joins the end of its campus's queue (and, when dispatching, the campus's queued work).
void Kernel::enqueue(const Job& job) {
  queues_[job.campus].push_back(job.id);
  if (dispatching_) count_queued(job.campus, job, +1);
}

// Starts jobs in `campus` for as long as the policy finds one that fits.
void Kernel::schedule(int campus) {
  auto& queue = queues_[campus];
  for (;;) {
    const CampusQueueView view{fleet_,   campus, queue, jobs_, now_s(), track_running_ ? &running_ : nullptr,
                               &placement_, unplaceable_[campus]};
    auto decision = policy_.decide(view);
    if (!decision) {
      unplaceable_[campus] = policy_.unplaceable_prefix_after(view);
      return;
    }
    const std::uint64_t id = queue[decision->queue_position];
    Admission admission;
    // A job whose power does not fit waits: the campus is tried again when power frees (a job ends, reschedule).
    if (gate_ && !(admission = gate_->admit(jobs_[id], decision->placement)).admitted) return;
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(decision->queue_position));
    if (decision->queue_position < unplaceable_[campus]) --unplaceable_[campus];
    if (dispatching_) count_queued(campus, jobs_[id], -1);
    for (std::uint64_t victim : decision->preempt) interrupt_job(victim, InterruptCause::preempted);
    start_job(id, std::move(decision->placement), admission.cap_w);
  }
}

void Kernel::reschedule(int campus) { schedule(campus); }

void Kernel::start_job(std::uint64_t id, Placement placement, double control_cap_w) {
  ++jobs_started_;
  prefetch_index(placement);
  const Job& job = jobs_[id];
  const double now = now_s();
  Cluster& cluster = fleet_.clusters[placement.cluster];
  if (free_runs_.empty()) {
    free_runs_.push_back(static_cast<std::int32_t>(runs_.size()));
    runs_.emplace_back();
  }
  job_[id].run = free_runs_.back();
  free_runs_.pop_back();
  Run& run = runs_[job_[id].run];
  run.id = id;
  run.gpus_taken = 0;
  run.shared_node = -1;
  if (placement.gpu_milli > 0) {
    if (placement.shared_slot >= 0) {
      cluster.shared.take(placement.shared_slot, placement.gpu_milli);
      cluster.state.take_host(cluster.shared.node_of(placement.shared_slot), placement.cpu_milli, placement.memory_mib);
    } else {
      cluster.state.take(placement);
      placement.shared_slot = cluster.shared.open(placement.parts.front().first, placement.gpu_milli);
      run.gpus_taken = 1;
    }
    run.shared_node = cluster.shared.node_of(placement.shared_slot);
  } else {
    // Failures find the run on a node it holds whole from the node's own record (index_run: the others).
    cluster.state.take(placement, track_nodes_ ? job_[id].run : -1);
    run.gpus_taken = placement.gpus();
  }
  run.placement = std::move(placement);
  run.start_s = now;
  run.cap_w = tighter_cap_w(cluster.power_cap_w, control_cap_w);
  const double rate = job_rate(job, cluster, run.cap_w);
  run.work.start(now, job_[id].remaining, rate);
  // The scheduler knows the job's estimate, not its work: the estimate less the work already done.
  run.estimated_remaining = estimated_duration_s(job) - (job.duration_s - job_[id].remaining);
  run.active = true;
  if (track_running_)
    run.entry = running_[run.placement.cluster].emplace(std::max(now, now + run.estimated_remaining / rate),
                                                        RunningJob{run.gpus_taken, id, now, &run.placement});
  run.end_timer = nullptr;
  time_end(run);
  if (track_nodes_) index_run(run, job_[id].run, true);
  if (dispatching_) {
    dispatch_[id].started = true;
    run.dispatch_end_s = now + std::max(0.0, run.estimated_remaining) / (rate > 0 ? rate : 1.0);
    count_running(run, +1);
  }
  lifecycle_.job_started(run_of(run, rate));
}

// The one place a job's end event is set: when its remaining work runs out at its current rate (none past the
// horizon, none while paused).
void Kernel::time_end(Run& run) {
  if (run.end_timer) run.end_timer->remove();
  run.end_timer = nullptr;
  const double end_s = run.work.end_s();
  const std::uint64_t id = run.id;
  if (end_s <= horizon_s_) run.end_timer = Timer::set(end_s, [this, id] { on_job_end(id); });
}

JobRun Kernel::run_of(const Run& run, double rate) const {
  return JobRun{jobs_[run.id], run.placement, run.gpus_taken, run.shared_node, run.start_s, now_s(), rate, run.cap_w};
}

void Kernel::on_job_end(std::uint64_t id) {
  ++events_;
  ++jobs_completed_;
  Run& run = runs_[job_[id].run];
  run.end_timer = nullptr;
  job_[id].remaining = 0;
  release(run);
  lifecycle_.job_ended(run_of(run, run.work.rate()));
  free_run(run);
  schedule(jobs_[id].campus);
}

// Gives a run's GPUs back.
void Kernel::release(Run& run) {
  const Job& job = jobs_[run.id];
  const Placement& placement = run.placement;
  prefetch_index(placement);
  Cluster& cluster = fleet_.clusters[placement.cluster];
  unplaceable_[job.campus] = 0;  // freed GPUs: every queued job may fit again
  if (track_running_) running_[placement.cluster].erase(run.entry);
  if (track_nodes_) index_run(run, job_[run.id].run, false);
  if (dispatching_) count_running(run, -1);
  run.active = false;
  if (placement.gpu_milli > 0) {
    // A fractional job: its share of the shared GPU; the GPU goes back to its node with its last tenant.
    cluster.state.give_back_host(run.shared_node, placement.cpu_milli, placement.memory_mib);
    run.gpus_taken = 0;
    if (cluster.shared.release(placement.shared_slot, placement.gpu_milli)) {
      cluster.state.give_back(Placement{placement.cluster, {{run.shared_node, 1}}});
      run.gpus_taken = 1;
    }
  } else {
    cluster.state.give_back(placement);
  }
}

// After a run's end or interruption has been announced: nodes it leaves idle may finish draining, its slot is free.
void Kernel::free_run(Run& run) {
  check_drained(run.placement.cluster, run);
  free_runs_.push_back(job_[run.id].run);
  job_[run.id].run = kNotRunning;
}

// Telemetry: components record the interval just ended.
void Kernel::on_tick() {
  ++events_;
  const double now = now_s();
  lifecycle_.telemetry_tick(now);
  if (now < horizon_s_) Timer::set(std::min(now + interval_s_, horizon_s_), [this] { on_tick(); });
}

// Every hour: new hourly conditions (ambient temperature, PUE, carbon intensity, price).
void Kernel::on_hour() {
  ++events_;
  const double now = now_s();
  lifecycle_.hour_tick(now, std::llround(now / 3600));
  if (now + 3600 < horizon_s_) Timer::set(now + 3600, [this] { on_hour(); });
}

}  // namespace fleetsim

#pragma once
// What happens in a fleet, as the engine announces it: the lifecycle signals components subscribe to (power,
// fragmentation, job records...), and the few requests a component may make of the engine (FleetControl).
// Plain C++: no SimGrid here, so components and their tests never see the engine.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/core/signal.hpp"
#include "sim/fleet/fleet.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// One run of a job: from a start (or a restart after an interruption) to its end or interruption.
struct JobRun {
  const Job& job;
  const Placement& placement;  // where it runs (placement.cluster indexes Fleet::clusters)
  int gpus_taken = 0;          // whole GPUs taken from nodes by this start, or given back by this end (a shared
                               // GPU counts once, for its first tenant and its last)
  int shared_node = -1;        // the node of the shared GPU a fractional job runs on, else -1
  double start_s = 0;          // start of this run
  double time_s = 0;           // when the event happens
  double rate = 1;             // work per second now (after the event)
  double cap_w = 0;            // the power cap of its GPUs now: its cluster's, or lower under a power budget's
                               // control (sim/power/power_control.hpp); 0 = none
};

enum class InterruptCause { preempted, maintenance, failure, power };  // power: stopped to hold a power budget
const char* to_string(InterruptCause cause);

// An interrupted run: the work it had done since it started, and what it keeps (up to its last checkpoint).
struct Interruption {
  InterruptCause cause = InterruptCause::preempted;
  double work_done = 0;
  double work_kept = 0;
  bool gave_up = false;  // the job fails for good (too many restarts after failures): it does not queue again
};

// Nodes of one cluster powered off and out of the pool (nodes_down) or back on and in it (nodes_up).
enum class CapacityReason { commissioning, decommissioning, maintenance, failure };
struct NodeChange {
  int cluster = 0;
  std::vector<int> nodes;
  double time_s = 0;
  CapacityReason reason = CapacityReason::maintenance;
  bool installed = false;  // the nodes also leave (down) or join (up) the installed fleet
  bool powered = true;     // the nodes are powered off (down) or on (up); false: already off (decommissioned
                           // while in maintenance)
};

// What an inference service's replicas draw (sim/serving/service_fleet.hpp), from `time_s` on: the power of its GPUs
// and nodes above their idle power, and the GPUs it holds (counted busy). Announced by the kernel when the service
// sets it (FleetControl::set_service_load); the power meter adds it to the campus.
struct ServiceLoad {
  int service = 0;   // index in Scenario::services
  int campus = 0;
  double time_s = 0;
  double extra_power_w = 0;
  int gpus = 0;
};

// A dispatchable job sent to a campus (issue 15): at submission (`from` its home campus, where it would be without
// dispatch; `to` may equal it) or moved while queued (`from` the campus it waited in). Announced after the job's
// campus (and a training run's speeds and work) are set.
struct JobDispatch {
  const Job& job;
  int from = 0;
  int to = 0;
  double time_s = 0;
  bool at_submission = true;
};

// A job's input data moved between campuses over their [[link]] (a SimGrid flow sharing the fibre with the other
// transfers): announced when it arrives; the job then joins the destination's queue.
struct DataMove {
  const Job& job;
  int from = 0;
  int to = 0;
  double bytes = 0;
  double start_s = 0;
  double end_s = 0;
};

struct Lifecycle {
  Signal<const Job&, double> job_submitted;                    // (job, time)
  Signal<const JobRun&> job_started;
  Signal<const JobRun&, double> job_rate_changed;              // (run with its new rate, the old rate)
  Signal<const JobRun&, double> job_cap_changed;               // (run with its new cap, the old cap): before the
                                                               // job_rate_changed it causes
  Signal<const JobRun&, const Interruption&> job_interrupted;  // after its GPUs are given back
  Signal<const JobRun&> job_ended;                             // after its GPUs are given back
  Signal<const NodeChange&> nodes_down;                        // nodes out of the pool and powered off
  Signal<const NodeChange&> nodes_up;                          // nodes powered on and in the pool
  Signal<double, long long> hour_tick;                         // (time, hour index) with hourly conditions
  Signal<double> telemetry_tick;                               // (time) at the end of each telemetry interval
  Signal<const ServiceLoad&> service_load_changed;             // a service's power and GPUs from now on
  Signal<const JobDispatch&> job_dispatched;                   // a dispatchable job sent to a campus
  Signal<const DataMove&> data_moved;                          // a job's dataset arrived at its campus
};

// What a node failure did: whether the node was in service (a node already off cannot fail), the runs it stopped,
// and the GPU-seconds of their work lost (done since their last checkpoint).
struct FailureImpact {
  bool in_service = false;
  int jobs_hit = 0;
  double gpu_seconds_lost = 0;
};

// How far a running job has come in its current run, and how fast it goes now.
struct RunProgress {
  double work_done = 0;
  double rate = 0;
};

// What a power controller says of a job about to start (sim/power/power_control.hpp): whether it may start now,
// and the power cap its GPUs start under (0 = its cluster's).
struct Admission {
  bool admitted = true;
  double cap_w = 0;
};

// Asked by the engine before each job start (at most one gate, set by the component that holds power budgets).
class StartGate {
 public:
  virtual ~StartGate() = default;
  virtual Admission admit(const Job& job, const Placement& placement) = 0;
};

// What a component may ask of the engine: change a running job's rate, call it back at a time, fail a node, and
// (inference services) take whole nodes out of the job pool and give them back, and set the power they draw.
class FleetControl {
 public:
  virtual ~FleetControl() = default;
  virtual double now_s() const = 0;
  // Sets the rate of running job `id` (0 pauses it); its end is re-timed. Ignored for a job not running.
  virtual void set_job_rate(std::uint64_t id, double rate) = 0;
  // Calls `action` at `time_s` (>= now) within the event loop.
  virtual void at(double time_s, std::function<void()> action) = 0;
  // Node `node` of cluster `cluster` fails now: the runs on it are interrupted (cause failure) and, if `repair_s`
  // > 0, the node leaves the pool until repaired. Nothing happens to a node not in service (off, not installed).
  virtual FailureImpact fail_node(int cluster, int node, double repair_s) = 0;
  // Takes up to `nodes` whole nodes of cluster `cluster` out of the job pool for an inference service: idle nodes
  // first, then nodes freed by preempting running jobs of priority below `priority` (youngest first, as policy
  // priority does; they resume from their last checkpoint). Returns the nodes taken (fewer when no more can be had).
  // The nodes stay powered; maintenance and decommissioning leave them alone until they are given back.
  virtual std::vector<int> take_nodes(int cluster, int nodes, int priority) = 0;
  // Gives nodes taken by take_nodes back to the job pool (queued jobs may start on them).
  virtual void give_back_nodes(int cluster, const std::vector<int>& nodes) = 0;
  // A service's load from now on: announced as service_load_changed (time_s is set to now).
  virtual void set_service_load(const ServiceLoad& load) = 0;
  // Power budgets (sim/power/power_control.hpp). Sets the power cap of running job `id`'s GPUs (0: its cluster's):
  // announced as job_cap_changed, then its rate follows the catalog's cap->throughput curve (job_rate_changed).
  virtual void set_job_cap(std::uint64_t id, double cap_w) = 0;
  // Stops running job `id` (cause power) and queues it again. `keep_all`: it keeps all its work if it checkpoints at
  // all (it writes a checkpoint as it stops, or stops at one); else only the work up to its last periodic checkpoint.
  virtual void stop_job(std::uint64_t id, bool keep_all) = 0;
  // Running job `id`'s work done in its current run (in the unit of Job::duration_s) and its rate now; {0, 0} when
  // it is not running.
  virtual RunProgress progress(std::uint64_t id) const = 0;
  // Asks the scheduler to try the campus's queue again (power freed without a job ending).
  virtual void reschedule(int campus) = 0;
  // Sets the gate asked before every job start (nullptr: none).
  virtual void set_start_gate(StartGate* gate) = 0;
};

}  // namespace fleetsim

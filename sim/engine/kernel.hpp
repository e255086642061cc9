#pragma once
// The engine's kernel (internal to sim/engine/): SimGrid's clock and timer queue, jobs as work at a rate, the
// conversation with the scheduling policy, planned capacity changes, and the lifecycle signals it announces.
// Everything else (power, fragmentation, job records, telemetry) listens on those signals as components.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sim/fleet/capacity_plan.hpp"
#include "sim/fleet/lifecycle.hpp"
#include "sim/scheduling/dispatch.hpp"
#include "sim/scheduling/scheduler.hpp"
#include "sim/workload/work_progress.hpp"

namespace simgrid::kernel::timer {
class Timer;
}

namespace fleetsim {

class PowerMeter;

class Kernel final : public FleetControl {
 public:
  // `jobs`: a dispatchable job's campus (and a training run's speeds and work) are set by the kernel when it is
  // dispatched (kernel_dispatch.cpp); `power`: the campuses' conditions dispatch policies read (null: no dispatch).
  Kernel(const Scenario& scenario, Fleet& fleet, std::vector<Job>& jobs, const SchedulerPolicy& policy,
         const std::vector<PlacementContext>& placement, Lifecycle& lifecycle, const PowerMeter* power = nullptr);
  ~Kernel();

  // Registers the first events: arrivals, ticks, planned capacity changes.
  void start();
  // At the horizon, before SimGrid's final run: data transfers still under way are cancelled (their jobs stay
  // queued), so that nothing happens after the horizon.
  void stop_transfers();

  double now_s() const override;
  void set_job_rate(std::uint64_t id, double rate) override;
  void at(double time_s, std::function<void()> action) override;
  FailureImpact fail_node(int cluster, int node, double repair_s) override;
  // Inference services (kernel_services.cpp).
  std::vector<int> take_nodes(int cluster, int nodes, int priority) override;
  void give_back_nodes(int cluster, const std::vector<int>& nodes) override;
  void set_service_load(const ServiceLoad& load) override;
  // Power budgets.
  void set_job_cap(std::uint64_t id, double cap_w) override;
  void stop_job(std::uint64_t id, bool keep_all) override;
  RunProgress progress(std::uint64_t id) const override;
  void reschedule(int campus) override;
  void set_start_gate(StartGate* gate) override { gate_ = gate; }

  std::uint64_t events() const { return events_; }
  std::uint64_t jobs_started() const { return jobs_started_; }
  std::uint64_t jobs_completed() const { return jobs_completed_; }

 private:
  using Timer = simgrid::kernel::timer::Timer;
  // A job while it runs: its work, where it runs, its end event, its entry among the scheduler's running jobs.
  struct Run {
    std::uint64_t id = 0;
    WorkProgress work;
    Placement placement;
    int gpus_taken = 0;
    int shared_node = -1;
    double start_s = 0;
    double estimated_remaining = 0;  // the scheduler's estimate of the work left when this run started
    double cap_w = 0;                // its GPUs' power cap (cluster's, or a power control's); 0 = none
    Timer* end_timer = nullptr;
    RunningJobs::iterator entry;      // valid when track_running_
    double dispatch_end_s = 0;        // its estimated end, as counted in running_end_gpu_s_ (dispatching_)
    bool active = false;              // a job runs in this slot
  };
  static constexpr std::int32_t kNotRunning = -1;

  // Jobs (kernel.cpp).
  void on_arrivals();
  void schedule(int campus);
  void enqueue(const Job& job);
  void start_job(std::uint64_t id, Placement placement, double control_cap_w);
  void on_job_end(std::uint64_t id);
  // `keep_all` (cause power): the job keeps all its work if it checkpoints at all.
  Interruption interrupt_job(std::uint64_t id, InterruptCause cause, bool keep_all = false);
  JobRun run_of(const Run& run, double rate) const;
  void release(Run& run);
  void free_run(Run& run);
  void time_end(Run& run);
  void on_tick();
  void on_hour();

  // Capacity (kernel_capacity.cpp).
  // spare: a hot spare ([reliability]); serving: held by an inference service (out of the pool, powered), until
  // given back.
  enum NodeStatus : std::uint8_t { absent, up, draining, in_maintenance, retired, spare, serving };
  struct Drain {
    NodeStatus becomes = in_maintenance;
    double duration_s = 0;
    CapacityReason reason = CapacityReason::maintenance;  // announced with nodes_down / nodes_up
  };
  void apply(const CapacityChange& change);
  void take_out(int cluster, const std::vector<int>& nodes, const CapacityChange& change);
  void power_off(int cluster, const std::vector<int>& nodes, const Drain& drain);
  void drained(int cluster, int node);
  void end_maintenance(int cluster, const std::vector<int>& nodes, CapacityReason reason);
  std::vector<std::uint64_t> runs_on(int cluster, const std::vector<int>& nodes) const;
  void capacity_returned(int campus);
  void check_drained(int cluster, const Run& run);
  bool idle(int cluster, int node) const;

  // Dispatch across campuses (kernel_dispatch.cpp), when some job is dispatchable.
  struct Transfers;                  // SimGrid flows of datasets under way
  struct DispatchSlot {
    std::int32_t data_campus = -1;   // where its dataset is
    std::int32_t copy = -1;          // a campus it was copied to (keeps it)
    bool in_transfer = false;
    bool started = false;            // has run: never moves again
  };
  void start_dispatch();
  void dispatch_arrival(Job& job);
  void send(Job& job, int campus, bool at_submission);
  void assign_campus(Job& job, int campus);
  void on_transfer_done(std::uint64_t id, int from, double bytes, double start_s);
  void reconsider();
  bool reconsider_campus(int campus);
  long long largest_start_elsewhere(int campus) const;
  static constexpr std::size_t kReconsiderDepth = 256;  // queued jobs looked at per campus and reconsideration
  void candidates_for(const Job& job, int exclude);
  bool fits_now(const Job& job, int campus) const;
  bool open(int campus) const;
  double transfer_estimate_s(const Job& job, int campus) const;
  double queued_work(const Job& job) const;
  void count_queued(int campus, const Job& job, int sign);
  void count_running(const Run& run, int sign);
  const FleetLink* link_between(int a, int b) const;

  Fleet& fleet_;
  std::vector<Job>& jobs_;
  const SchedulerPolicy& policy_;
  const std::vector<PlacementContext>& placement_;
  Lifecycle& lifecycle_;
  const double horizon_s_;
  const double interval_s_;
  const bool hour_ticks_;
  const std::vector<CapacityChange> capacity_plan_;
  const bool track_running_;  // the policy reads the running jobs by estimated end
  const bool track_nodes_;    // nodes may fail: which runs are on each node (node_runs_)
  const int spares_per_cluster_;  // hot spares each cluster keeps ([reliability])
  const double swap_s_;           // a spare's time to replace a failed node

  std::vector<std::deque<std::uint64_t>> queues_;  // per campus, job ids in arrival order
  std::vector<std::size_t> unplaceable_;           // per campus: queue-front jobs known not to fit (CampusQueueView)
  std::vector<RunningJobs> running_;               // per cluster, by estimated end (when track_running_)
  // Per job, together (one cache line at its start and end): work left before its next run, its Run in runs_.
  struct JobSlot {
    double remaining = 0;
    std::int32_t run = kNotRunning;
    std::uint16_t failures = 0;  // interruptions by failures so far (fits the slot's padding)
  };
  std::vector<JobSlot> job_;
  std::deque<Run> runs_;                           // stable addresses: schedulers keep pointers to placements
  std::vector<std::int32_t> free_runs_;
  std::vector<std::vector<std::uint8_t>> status_;  // per cluster and node (NodeStatus)
  std::vector<std::map<int, Drain>> draining_;     // per cluster: nodes waiting for their jobs to end
  // Which runs are on each node (track_nodes_), per cluster: a flat array of gpus_per_node slots per node (a run
  // holds at least one GPU of a node, so they suffice but for GPUs shared by fractional jobs: those overflow).
  struct NodeRuns {
    int slots = 0;
    std::vector<std::int32_t> runs;                        // node x slots, -1 empty
    std::unordered_multimap<int, std::int32_t> overflow;  // node -> run, when its slots are full
  };
  std::vector<NodeRuns> node_runs_;
  // Hot spares ([reliability] spares_per_cluster): per cluster, spare nodes ready to replace a failed one (out of
  // the pool, powered), and how many the cluster keeps.
  std::vector<std::vector<int>> spares_;
  void swap_in_spare(int cluster);
  void repaired(int cluster, int node);
  void index_run(const Run& run, std::int32_t slot, bool add);
  void prefetch_index(const Placement& placement) const;
  StartGate* gate_ = nullptr;  // asked before each start (power budgets)
  std::size_t next_arrival_ = 0;
  std::vector<int> touched_;                       // scratch: campuses with arrivals
  const PowerMeter* power_;
  const bool dispatching_;
  std::optional<Dispatcher> dispatcher_;
  std::vector<DispatchSlot> dispatch_;      // per job (dispatching_)
  std::vector<double> queued_gpu_s_;        // per campus: GPU-seconds (estimates) queued there or moving there
  std::vector<int> transfers_to_;           // per campus: datasets moving there
  std::vector<double> running_end_gpu_s_;   // per campus: sum of GPUs x estimated end of its running jobs
  std::vector<double> running_gpus_;        // per campus: their GPUs
  std::vector<long long> largest_gpus_;     // per campus: the largest job it can run
  std::vector<CampusOutlook> outlooks_;     // scratch: a job's candidates
  std::shared_ptr<Transfers> transfers_;  // shared_ptr: Transfers is complete only in kernel_dispatch.cpp
  std::uint64_t events_ = 0;
  std::uint64_t jobs_started_ = 0;
  std::uint64_t jobs_completed_ = 0;
};

}  // namespace fleetsim

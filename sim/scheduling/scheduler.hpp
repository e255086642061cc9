#pragma once
// Cluster scheduling policies. A policy is pure: it looks at a campus's queue and free capacity and
// returns the next job to start and where, or nothing. The engine applies the decision and asks again.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <map>

#include "sim/fleet/fleet.hpp"
#include "sim/scenario/scheduler_config.hpp"
#include "sim/scheduling/placement.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

struct StartDecision {
  std::size_t queue_position = 0;  // index of the job in the queue
  Placement placement;             // valid once the preempted jobs have released their GPUs
  std::vector<std::uint64_t> preempt;  // running jobs to stop (and requeue) first
};

// A running job as schedulers see it.
struct RunningJob {
  int gpus = 0;                          // GPUs it holds (newly taken from nodes)
  std::uint64_t id = 0;
  double start_s = 0;                    // start of its current run
  const Placement* placement = nullptr;  // where it runs
};
// Running jobs of one cluster by estimated end.
using RunningJobs = std::multimap<double, RunningJob>;

// What a policy sees: one campus's queue (job ids in arrival order), the fleet's capacity, the running jobs'
// estimated ends per cluster (indexed like fleet.clusters) and each cluster's placement context.
struct CampusQueueView {
  const Fleet& fleet;
  int campus;
  const std::deque<std::uint64_t>& queue;
  const std::vector<Job>& jobs;
  double now_s = 0;
  const std::vector<RunningJobs>* running = nullptr;
  const std::vector<PlacementContext>* placement = nullptr;
  // The first `unplaceable_prefix` queued jobs did not fit at an earlier decision and no GPUs have been released
  // in the campus since (starts only take capacity), so they cannot fit now. The engine keeps it from what
  // policies report (SchedulerPolicy::unplaceable_prefix_after); greedy skips them.
  std::size_t unplaceable_prefix = 0;
};

class SchedulerPolicy {
 public:
  SchedulerPolicy(PlacementStrategy placement, bool gpu_sharing) : placement_(placement), gpu_sharing_(gpu_sharing) {}
  virtual ~SchedulerPolicy() = default;
  virtual std::optional<StartDecision> decide(const CampusQueueView& view) const = 0;
  // After decide(view) found nothing: how many queue-front jobs are known not to fit until GPUs are released
  // (0: the policy does not say).
  virtual std::size_t unplaceable_prefix_after(const CampusQueueView& /*view*/) const { return 0; }
  // Whether decide() reads the running jobs (view.running): the engine keeps them by estimated end only then.
  virtual bool reads_running_jobs() const { return false; }

 protected:
  // The job placed now in the first cluster of the campus where it fits (scenario order), if any.
  std::optional<Placement> place_now(const CampusQueueView& view, const Job& job) const;
  PlacementStrategy placement_;
  bool gpu_sharing_;
};

// Strict FIFO: only the head of the queue may start; it blocks the queue until it fits.
class FifoPolicy final : public SchedulerPolicy {
 public:
  FifoPolicy(const FifoSettings&, PlacementStrategy placement, bool gpu_sharing)
      : SchedulerPolicy(placement, gpu_sharing) {}
  std::optional<StartDecision> decide(const CampusQueueView& view) const override;
};

// Greedy list scheduling: the first queued job that fits starts, with no reservation for the head: small jobs
// may starve large ones. FGD's experiments schedule pods this way. A decision tries at most backfill_depth + 1
// jobs, after the queue-front jobs known not to fit (view.unplaceable_prefix): a job that did not fit is not
// tried again until GPUs are released, so each arrival costs one placement attempt, not one per queued job.
class GreedyPolicy final : public SchedulerPolicy {
 public:
  GreedyPolicy(const GreedySettings& settings, PlacementStrategy placement, bool gpu_sharing)
      : SchedulerPolicy(placement, gpu_sharing), backfill_depth_(settings.backfill_depth) {}
  std::optional<StartDecision> decide(const CampusQueueView& view) const override;
  std::size_t unplaceable_prefix_after(const CampusQueueView& view) const override;

 private:
  int backfill_depth_;
};

// EASY backfilling (Lifka 1995; Mu'alem & Feitelson, IEEE TPDS 2001): the head job gets a reservation at
// the earliest time enough GPUs free up by the running jobs' estimated ends (its shadow time); a later job
// may start now if it fits and either ends (by its estimate) before the shadow time, or uses only GPUs the
// head will not need then. Reservations count GPUs (whole nodes for multi-node jobs), not exact nodes.
class EasyBackfillPolicy final : public SchedulerPolicy {
 public:
  EasyBackfillPolicy(const EasyBackfillSettings& settings, PlacementStrategy placement, bool gpu_sharing)
      : SchedulerPolicy(placement, gpu_sharing), backfill_depth_(settings.backfill_depth) {}
  std::optional<StartDecision> decide(const CampusQueueView& view) const override;
  bool reads_running_jobs() const override { return true; }

 private:
  int backfill_depth_;
};

// Conservative backfilling (Mu'alem & Feitelson 2001): every queued job, in order, gets a reservation in an
// availability profile built from running jobs' estimated ends; a job starts now only if its reservation is
// now, so no earlier job is ever delayed. Looks at the first backfill_depth jobs.
class ConservativeBackfillPolicy final : public SchedulerPolicy {
 public:
  ConservativeBackfillPolicy(const ConservativeBackfillSettings& settings, PlacementStrategy placement, bool gpu_sharing)
      : SchedulerPolicy(placement, gpu_sharing), backfill_depth_(settings.backfill_depth) {}
  std::optional<StartDecision> decide(const CampusQueueView& view) const override;
  bool reads_running_jobs() const override { return true; }

 private:
  int backfill_depth_;
};

// A job's run time as the scheduler knows it: its estimate, or its duration when it has none.
double estimated_duration_s(const Job& job);

// Priority scheduling with preemption: the queued job of highest priority (then earliest) goes first; if it
// does not fit, running jobs of lower priority are preempted, the most recently started first (they lose the
// least work), until it fits. Preempted jobs go back to the queue and resume from their last checkpoint.
// Without enough preemptible GPUs the job waits, and blocks lower priorities (strict priority).
class PriorityPolicy final : public SchedulerPolicy {
 public:
  PriorityPolicy(const PrioritySettings&, PlacementStrategy placement, bool gpu_sharing)
      : SchedulerPolicy(placement, gpu_sharing) {}
  std::optional<StartDecision> decide(const CampusQueueView& view) const override;
  bool reads_running_jobs() const override { return true; }
};

// GPUs a job holds in a cluster: its GPUs if it fits one node, else whole nodes.
int gpus_held(const Cluster& cluster, int job_gpus);

// One factory for the family: the scenario's policy settings pick the policy (names: sim/scenario/scheduler_config.hpp).
std::unique_ptr<SchedulerPolicy> make_scheduler(const SchedulerConfig& config);

}  // namespace fleetsim

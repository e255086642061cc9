#pragma once
#include <vector>

#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

// Run-level metrics from the job records, added one at a time (a sink may stream the rows elsewhere), and the
// campuses' totals. GPU utilisation = busy GPU-seconds / installed GPU-seconds.
// What the summary needs of one job (no names: a fleet-year's millions of jobs are added cheaply).
struct JobOutcome {
  JobState state = JobState::queued;
  double submit_s = 0;
  double start_s = 0;            // NaN if never started
  int preemptions = 0;
  int interruptions = 0;
  double work_lost_gpu_s = 0;
  double bounded_slowdown = 0;   // completed jobs
  double tokens = 0;             // training runs: tokens trained, and their model FLOPs
  double training_flops = 0;
  int gpus = 0;
  double end_s = 0;              // NaN if not completed
  bool dispatched_away = false;  // started on another campus than its home (dispatch)
  bool moved = false;            // moved to another campus's queue while waiting
  double data_moved_bytes = 0;
};

class SummaryBuilder {
 public:
  void add(const JobOutcome& job);
  void add(const JobRecord& job);
  Summary finish(const std::vector<CampusTotals>& totals, double horizon_s);

 private:
  Summary summary_;
  std::vector<double> waits_;
  double slowdown_sum_ = 0;
  std::size_t slowdown_count_ = 0;
  double open_gpus_ = 0, open_gpu_start_s_ = 0;  // jobs started, not completed: Σ gpus, Σ gpus x first start
};

// The /summary figures of inference services from their totals (NaN ratios without services or tokens).
void add_service_totals(const std::vector<ServiceTotals>& services, Summary& summary);

Summary summarize(const std::vector<JobRecord>& jobs, const std::vector<CampusTotals>& totals, double horizon_s);

// Grid, cooling and rack limits of every campus (cooling and racks only where their capacity is given),
// with the binding one per campus marked.
std::vector<LimitCheck> check_limits(const std::vector<CampusInfo>& campuses, const std::vector<CampusTotals>& totals);
// Fleet-level: the binding limit overall and how many limits were exceeded.
void summarize_limits(const std::vector<LimitCheck>& limits, Summary& summary);

}  // namespace fleetsim

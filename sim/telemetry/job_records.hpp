#pragma once
// One record per job (the /jobs table), kept as a component on the engine's lifecycle signals: first start,
// end, cluster, GPU energy of every run, interruptions and the work they lost. Holds a few numbers per job, not
// the rows. Records go to the Recorder in blocks of consecutive ids: a block as soon as all its jobs have
// completed (so a streaming sink writes it while the run goes on), the others at the horizon. The summary is
// computed at the horizon, in id order.
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/fleet/lifecycle.hpp"
#include "sim/telemetry/recorder.hpp"
#include "sim/telemetry/summary.hpp"

namespace fleetsim {

class JobRecords {
 public:
  JobRecords(const Fleet& fleet, const std::vector<Job>& jobs, Recorder& recorder, Lifecycle& lifecycle);

  // Records every job not recorded yet, as it stands at the horizon; returns the run's summary.
  Summary finish(double horizon_s, const std::vector<CampusTotals>& totals);

  static constexpr std::size_t kBlockJobs = 65536;  // 16 chunks of /jobs
  JobRecord record(const Job& job, double horizon_s) const;

 private:
  struct Entry {
    double start_s;             // first start (NaN: never started)
    double end_s;               // NaN: not completed
    double run_start_s = 0;     // start of the current or last run, or of its last cap change
    double energy_j = 0;        // GPU energy of finished runs
    double work_lost_gpu_s = 0; // GPU-seconds of work redone after interruptions
    double cap_w = 0;           // its GPUs' power cap now (0 = none)
    std::int32_t cluster = -1;  // of the last run
    std::uint16_t interruptions = 0;  // every cause
    std::uint16_t preemptions = 0;    // by a scheduling policy
    bool running = false;
    bool shared = false;        // runs on a share of one GPU (placement.gpu_milli)
    bool failed = false;        // gave up after too many restarts
    std::int16_t home = -1;     // dispatchable jobs: the campus it would run on without dispatch
    std::uint8_t moves = 0;     // moved while queued (saturates)
  };
  struct Transfer {             // a dispatched job's dataset transfers (few jobs: kept apart from Entry)
    double seconds = 0;
    double bytes = 0;
  };
  // A training run's progress (few jobs: kept apart from Entry, which every job of a fleet-year has): work kept
  // from finished runs, and the current run's work up to `since_s` and its rate since then.
  struct Progress {
    double work_kept = 0;
    double work_this_run = 0;
    double since_s = 0;
    double rate = 0;
    double last_rate = 0;  // the last rate above 0 (a paused run keeps the step time it had)
  };
  void on_started(const JobRun& run);
  void record_training(const Job& job, const Entry& entry, double horizon_s, JobRecord& record) const;
  void on_stopped(const JobRun& run);
  void record_block(std::size_t block, double horizon_s);
  double gpu_share(const Job& job, const Entry& entry) const;
  static JobOutcome outcome(const Job& job, const Entry& entry);

  const Fleet& fleet_;
  const std::vector<Job>& jobs_;
  std::vector<Entry> entries_;  // by job id
  std::unordered_map<std::uint64_t, Progress> progress_;  // training runs, by job id
  std::unordered_map<std::uint64_t, Transfer> transfers_;  // jobs whose dataset moved, by job id
  Recorder& recorder_;
  std::vector<std::uint32_t> completed_in_block_;  // jobs completed, per block
  std::vector<std::uint8_t> block_recorded_;
};

}  // namespace fleetsim

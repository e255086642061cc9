#pragma once
// One record per job (the /jobs table), kept as a component on the engine's lifecycle signals: first start,
// end, cluster, GPU energy of every run, interruptions and the work they lost. Holds a few numbers per job, not
// the rows. Records go to the Recorder in id order: each completed job as soon as every job before it has
// completed too (so a streaming sink writes them while the run goes on), the rest at the horizon.
#include <cstdint>
#include <vector>

#include "sim/fleet/lifecycle.hpp"
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

class JobRecords {
 public:
  JobRecords(const Fleet& fleet, const std::vector<Job>& jobs, Recorder& recorder, Lifecycle& lifecycle);

  // Records every job not recorded yet, in id order, as it stands at the horizon.
  void finish(double horizon_s);
  JobRecord record(const Job& job, double horizon_s) const;

 private:
  struct Entry {
    double start_s;             // first start (NaN: never started)
    double end_s;               // NaN: not completed
    double run_start_s = 0;     // start of the current or last run
    double energy_j = 0;        // GPU energy of finished runs
    double work_lost_gpu_s = 0; // GPU-seconds of work redone after interruptions
    std::int32_t cluster = -1;  // of the last run
    std::uint16_t interruptions = 0;  // every cause
    std::uint16_t preemptions = 0;    // by a scheduling policy
    bool running = false;
    bool shared = false;        // runs on a share of one GPU (placement.gpu_milli)
  };
  void on_started(const JobRun& run);
  void on_stopped(const JobRun& run);
  void record_completed();
  double gpu_share(const Job& job, const Entry& entry) const;

  const Fleet& fleet_;
  const std::vector<Job>& jobs_;
  std::vector<Entry> entries_;  // by job id
  Recorder& recorder_;
  std::size_t next_ = 0;        // first job not recorded yet
};

}  // namespace fleetsim

#pragma once
// Replays a trace workload: streams the trace, maps each job onto the scenario's campus (time shift and
// scale, sampling, GPU units), and appends the jobs that can run there.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// What happened to a trace's rows.
struct TraceReplayReport {
  std::string workload;
  std::uint64_t rows = 0;              // jobs the reader yielded
  std::uint64_t kept = 0;
  std::uint64_t bad_rows = 0;          // malformed, skipped (skip_bad_rows)
  std::uint64_t no_gpu = 0;            // CPU-only jobs
  std::uint64_t no_runtime = 0;        // zero or negative run time
  std::uint64_t too_large = 0;         // more GPUs than any cluster of the campus
  std::uint64_t sampled_out = 0;
  std::uint64_t after_horizon = 0;
  std::uint64_t rounded_up = 0;        // fractional GPU requests given a whole GPU
  std::uint64_t unmapped_models = 0;   // jobs naming GPU models none of which gpu_models maps (run anywhere)
  std::uint64_t inflated = 0;          // copies added by inflate_to
  std::vector<std::string> bad_row_messages;
  std::string summary() const;         // one line
};

// FGD's workload inflation (Weng et al., "Beware of Fragmentation", USENIX ATC'23, Section 6.1; tuneUpPods in
// hkust-adsl/kubernetes-scheduler-simulator): copies of jobs[first..] drawn uniformly with replacement from `rng`
// are appended while the GPUs requested by jobs[first..] and the copies stay within `target_gpus`; the first
// draw that would exceed it ends the inflation. A copy keeps its original's request, duration and utilisation,
// is named <original>~<k>, and arrives at a time drawn uniformly between the first and last submission of
// jobs[first..], so copies mix with the originals. Returns the number of copies.
std::uint64_t inflate_jobs(std::vector<Job>& jobs, std::size_t first, double target_gpus, RandomStream& rng);

TraceReplayReport replay_trace(const Scenario& scenario, const TraceWorkloadConfig& trace, std::vector<Job>& jobs);

}  // namespace fleetsim

#pragma once
// Replays a trace workload: streams the trace, maps each job onto the scenario's campus (time shift and
// scale, sampling, GPU units), and appends the jobs that can run there.
#include <cstdint>
#include <string>
#include <vector>

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
  std::vector<std::string> bad_row_messages;
  std::string summary() const;         // one line
};

TraceReplayReport replay_trace(const Scenario& scenario, const TraceWorkloadConfig& trace, std::vector<Job>& jobs);

}  // namespace fleetsim

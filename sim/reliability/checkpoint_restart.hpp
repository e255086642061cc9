#pragma once
// Checkpoint/restart arithmetic: what an interrupted job keeps. A job that checkpoints every `interval` of work
// resumes from its last checkpoint; without checkpoints it restarts from scratch. The engine asks this when it
// interrupts a run (preemption, maintenance, later failures) and announces the result on job_interrupted.
#include <cmath>

#include "sim/workload/job.hpp"

namespace fleetsim {

// Work kept by `job` after doing `work_done` since its run started: the whole checkpoint intervals.
inline double work_kept_at_interruption(const Job& job, double work_done) {
  const double interval = job.checkpoint_interval_s;
  return interval > 0 ? std::floor(work_done / interval) * interval : 0.0;
}

// Work kept by `job` stopped on demand (to hold a power budget) after `work_done`: a job that checkpoints writes one
// as it stops and keeps it all; one without checkpoints restarts from scratch.
inline double work_kept_at_stop(const Job& job, double work_done) {
  return job.checkpoint_interval_s > 0 ? work_done : 0.0;
}

}  // namespace fleetsim

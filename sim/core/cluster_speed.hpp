#pragma once
// How fast a job's work goes on one cluster of its campus (sim/workload/job.hpp Job::speeds; a training run's,
// from the step-time model, sim/scenario TrainingJobConfig::speeds).

namespace fleetsim {

// Work per second before any power cap (`speed`), and the share of the job's time a cap slows (the rest, exposed
// communication, runs at full speed).
struct ClusterSpeed {
  double speed = 1;
  double compute_fraction = 1;
  bool allowed = true;  // false: the job cannot run there (a training plan that does not fit its GPUs)
};

}  // namespace fleetsim

#pragma once
// What a running job draws and how fast it runs, from its GPU's power curve and the power cap of its GPUs
// (hw/hardware.hpp): its cluster's cap, or a lower one a power budget's control sets while it runs (JobRun::cap_w).
// Pure functions: the power meter, the power control, the job records and the engine's rate all use them.
#include <algorithm>

#include "sim/fleet/fleet.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// The tighter of two caps (0 = none).
inline double tighter_cap_w(double a_w, double b_w) {
  if (a_w <= 0) return b_w;
  if (b_w <= 0) return a_w;
  return std::min(a_w, b_w);
}

// Power of one GPU of the job while it runs under `cap_w` (0 = uncapped).
inline double job_gpu_power_w(const Job& job, const Cluster& cluster, double cap_w) {
  return cluster.gpu->power_w(job.gpu_utilization, cap_w);
}
// ... under its cluster's cap.
inline double job_gpu_power_w(const Job& job, const Cluster& cluster) {
  return job_gpu_power_w(job, cluster, cluster.power_cap_w);
}

// IT power one GPU of the job adds above idle under `cap_w`: the GPU and its share of the node's non-GPU power
// rising with utilisation. GPUs a job holds but does not use (the rest of a whole node) stay idle.
inline double extra_power_per_gpu_w(const Job& job, const Cluster& cluster, double cap_w) {
  return job_gpu_power_w(job, cluster, cap_w) - cluster.gpu->idle_w + cluster.node->base_extra_per_gpu_w(job.gpu_utilization);
}
inline double extra_power_per_gpu_w(const Job& job, const Cluster& cluster) {
  return extra_power_per_gpu_w(job, cluster, cluster.power_cap_w);
}

// GPUs' worth of work the job runs: its GPUs, or its share of one shared GPU.
inline double job_gpu_share(const Job& job, const Placement& placement) {
  return placement.gpu_milli > 0 ? static_cast<double>(placement.gpu_milli) / kMilliPerGpu : job.gpus;
}

// GPUs of the job that run on a placement part of `taken` of its `allocated` GPUs (a whole-node job may not use
// every GPU it holds).
inline double job_gpus_on(const Job& job, int taken, int allocated) {
  return static_cast<double>(taken) * job.gpus / allocated;
}

// The job's rate on this cluster under `cap_w`, relative to full speed: a cap slows a job that would draw more
// than the cap (the catalog's throughput-vs-cap curve). Only the job's compute share slows: time = f / r + (1 - f).
// Work per second: the GPU's relative throughput under the cap (for a training run, its speed on the cluster with
// the cap slowing only the compute share of its step), times the share of time not spent writing blocking
// checkpoints (interval / (interval + write)).
inline double job_rate(const Job& job, const Cluster& cluster, double cap_w) {
  const double compute_rate = cluster.gpu->relative_throughput(job.gpu_utilization, cap_w);
  double rate = compute_rate;
  if (job.speeds) {
    const ClusterSpeed& here = job.speeds[cluster.campus_position];
    rate = here.compute_fraction >= 1 ? here.speed * compute_rate
                                      : here.speed / (here.compute_fraction / compute_rate + (1.0 - here.compute_fraction));
  }
  return rate * (1 - blocking_write_share(job));
}
inline double job_rate(const Job& job, const Cluster& cluster) { return job_rate(job, cluster, cluster.power_cap_w); }

}  // namespace fleetsim

#pragma once
// What a running job draws and how fast it runs, from its GPU's power curve and its cluster's power cap
// (hw/hardware.hpp). Pure functions: the power meter, the job records and the engine's rate all use them.
#include "sim/fleet/fleet.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// Power of one GPU of the job while it runs (under the cluster's cap).
inline double job_gpu_power_w(const Job& job, const Cluster& cluster) {
  return cluster.gpu->power_w(job.gpu_utilization, cluster.power_cap_w);
}

// IT power one GPU of the job adds above idle: the GPU (under its cluster's cap) and its share of the node's
// non-GPU power rising with utilisation. GPUs a job holds but does not use (the rest of a whole node) stay idle.
inline double extra_power_per_gpu_w(const Job& job, const Cluster& cluster) {
  return job_gpu_power_w(job, cluster) - cluster.gpu->idle_w + cluster.node->base_extra_per_gpu_w(job.gpu_utilization);
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

// The job's rate on this cluster, relative to full speed: a power cap slows a job that would draw more than the
// cap (the catalog's throughput-vs-cap curve). Only the job's compute share slows: time = f / r + (1 - f).
// Work per second: the GPU's relative throughput under the cluster's cap (for a training run, its speed on the
// cluster with the cap slowing only the compute share of its step), times the share of time not spent writing
// blocking checkpoints (interval / (interval + write)).
inline double job_rate(const Job& job, const Cluster& cluster) {
  const double compute_rate = cluster.gpu->relative_throughput(job.gpu_utilization, cluster.power_cap_w);
  double rate = compute_rate;
  if (job.speeds) {
    const ClusterSpeed& here = job.speeds[cluster.campus_position];
    rate = here.compute_fraction >= 1 ? here.speed * compute_rate
                                      : here.speed / (here.compute_fraction / compute_rate + (1.0 - here.compute_fraction));
  }
  return rate * (1 - blocking_write_share(job));
}

}  // namespace fleetsim

#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "sim/core/cluster_speed.hpp"

namespace fleetsim {

struct TrainingJobConfig;  // sim/scenario/scenario.hpp
struct DispatchTargets;    // sim/scenario/scenario.hpp


// A GPU in thousandths: the unit of shared-GPU requests (Alibaba openb gpu_milli).
constexpr int kMilliPerGpu = 1000;

// A job as submitted: what it asks for, when, and how long it runs once started.
struct Job {
  std::uint64_t id = 0;     // index in submission order
  std::string name;
  int campus = 0;           // campus index
  int gpus = 0;
  double submit_s = 0;
  double duration_s = 0;    // work: seconds of running at full speed (rate 1; a power cap lowers the rate)
  double estimate_s = std::numeric_limits<double>::quiet_NaN();  // runtime estimate given to the scheduler, if any
  double gpu_utilization = 1;
  int gpu_milli = 0;        // > 0: the job needs only this many thousandths of one GPU (gpus == 1)
  int priority = 0;         // higher runs first and may preempt lower (policy "priority")
  std::uint64_t gpu_types = 0;  // bit t set: may run on GPU type t of Scenario::gpu_types(); 0 = any GPU
  std::int64_t cpu_milli = 0;   // CPU and memory the job needs on its node, where clusters model them
  std::int64_t memory_mib = 0;
  double checkpoint_interval_s = 0;  // work between checkpoints; 0 = none (an interrupted job restarts from scratch)
  float checkpoint_write_s = 0;      // wall time each checkpoint blocks the job (its rate x interval / (interval + write))
  float restart_s = 0;               // after an interruption: detection + restart before it queues again
  std::int32_t max_restarts = -1;    // the job fails at its (max_restarts + 1)-th interruption by a failure; -1 never
  // Per cluster of its campus (in the campus's order): a training run's speed there, from the step-time model
  // (owned by the Scenario, which outlives the run); null: speed 1 everywhere, all of the time slowed by a cap.
  const ClusterSpeed* speeds = nullptr;
  // A training run: its model, plan and step times (owned by the Scenario); else null.
  const TrainingJobConfig* training = nullptr;
  // A dispatchable job (campus = "any", a list, or region; owned by the Scenario): where it may go and its input
  // data; null: it stays on `campus`. The engine's kernel sets `campus` (and for a training run `training`,
  // `speeds`, `duration_s` and `estimate_s`, from `training_by_campus`) each time it sends the job to a campus,
  // before its first start; they never change once it has started.
  const DispatchTargets* dispatch = nullptr;
  const std::optional<TrainingJobConfig>* training_by_campus = nullptr;  // per campus (scenario order), or null
};

// GPUs' worth a job asks for: its share of one GPU (gpu_milli thousandths) when it shares one, else its GPUs.
// Share of a running job's time spent writing blocking checkpoints: write / (interval + write), 0 without any.
inline double blocking_write_share(const Job& job) {
  return job.checkpoint_write_s > 0 ? job.checkpoint_write_s / (job.checkpoint_interval_s + job.checkpoint_write_s) : 0;
}

inline double requested_gpus(const Job& job) { return job.gpu_milli > 0 ? job.gpu_milli / 1000.0 : job.gpus; }

}  // namespace fleetsim

#include "sim/workload/checkpoint_plan.hpp"

#include <cmath>
#include <limits>

namespace fleetsim {

double daly_interval_s(double write_s, double mtbf_s) {
  if (!(mtbf_s < std::numeric_limits<double>::infinity())) return 0;
  if (write_s >= 2 * mtbf_s) return mtbf_s;
  const double ratio = write_s / (2 * mtbf_s);
  return std::sqrt(2 * write_s * mtbf_s) * (1 + std::sqrt(ratio) / 3 + ratio / 9) - write_s;
}

double job_mtbf_s(const Scenario& scenario, int gpus, int gpus_per_node) {
  const double nodes = std::ceil(double(gpus) / std::max(1, gpus_per_node));
  const double per_hour = gpus * scenario.reliability.total_gpu_rate() + nodes * scenario.reliability.total_node_rate();
  return per_hour > 0 ? 3600.0 / per_hour : std::numeric_limits<double>::infinity();
}

namespace {
constexpr double kCheckpointBytesPerParameter = 14;  // bf16 weights 2 + fp32 master weights 4 + Adam moments 8
constexpr double kMinimumIntervalS = 1;              // `auto` with a free checkpoint: every second
}  // namespace

void plan_checkpoint(Job& job, const CheckpointConfig& checkpoint, const Scenario& scenario) {
  const CampusConfig& campus = scenario.campuses[job.campus];
  double write_s = checkpoint.write_s;
  if (std::isnan(write_s)) {
    write_s = 0;
    if (job.training && campus.storage_bytes_per_s > 0) {
      const hw::ModelSpec* model = scenario.hardware.find_model(job.training->model);
      write_s = model->total_parameters() * kCheckpointBytesPerParameter / campus.storage_bytes_per_s;
    }
  }
  // Only the blocking part of a write stops training (asynchronous checkpointing copies the state, then writes it
  // while training goes on); Daly's interval uses that part too.
  write_s *= 1 - checkpoint.async_fraction;
  job.checkpoint_write_s = static_cast<float>(write_s);
  job.restart_s = static_cast<float>(checkpoint.restart_s);
  job.max_restarts = checkpoint.max_restarts;
  job.checkpoint_interval_s = checkpoint.interval_s;
  if (checkpoint.auto_interval) {
    const int gpus_per_node = campus.clusters.empty() ? 8 : scenario.hardware.find_node(campus.clusters.front().node)->gpus;
    const double mtbf_s = job_mtbf_s(scenario, job.gpus, gpus_per_node);
    const double interval_s = daly_interval_s(write_s, mtbf_s);
    job.checkpoint_interval_s = std::isfinite(mtbf_s) ? std::max(kMinimumIntervalS, interval_s) : 0;
  }
  if (job.checkpoint_interval_s <= 0) job.checkpoint_write_s = 0;  // no checkpoints, nothing to write
}

}  // namespace fleetsim

#include "sim/training/job_layout.hpp"

#include <algorithm>

namespace fleetsim::training {

JobLayout::JobLayout(const TrainingPlan& plan, int node_gpus, int domain_gpus)
    : p_(plan.parallelism),
      dp_(plan.data_parallel()),
      node_gpus_(std::max(1, node_gpus)),
      domain_gpus_(std::max(std::max(1, node_gpus), domain_gpus)),
      gpus_(plan.gpus) {}

JobLayout::Coordinates JobLayout::coordinates(long long rank) const {
  Coordinates at;
  at.tp = static_cast<int>(rank % p_.tp);
  rank /= p_.tp;
  at.cp = static_cast<int>(rank % p_.cp);
  rank /= p_.cp;
  at.dp = static_cast<int>(rank % dp_);
  at.pp = static_cast<int>(rank / dp_);
  return at;
}

int JobLayout::local_data_parallel() const {
  // Node GPUs / (tp x cp), at least 1, at most dp.
  return std::clamp(node_gpus_ / (p_.tp * p_.cp), 1, std::max(1, dp_));
}

}  // namespace fleetsim::training

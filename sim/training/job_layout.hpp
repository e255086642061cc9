#pragma once
// Where a training job's GPUs sit: Megatron-LM's rank order (tensor-parallel rank fastest, then context, data and
// pipeline: ranks = tp + TP x (cp + CP x (dp + DP x pp))) over whole nodes, consecutive ranks on consecutive GPUs of a
// node. The detailed mode takes every group's members (a tensor-parallel group, a data-parallel ring, an
// expert-parallel group, a pipeline neighbour) and their nodes from here.
#include "sim/training/step_time.hpp"

namespace fleetsim::training {

class JobLayout {
 public:
  // `domain_gpus`: GPUs per NVLink domain (the node, or a rack for NVL72), a multiple of the node's GPUs or equal.
  JobLayout(const TrainingPlan& plan, int node_gpus, int domain_gpus);

  struct Coordinates {
    int tp = 0, cp = 0, dp = 0, pp = 0;
  };

  long long rank(int tp, int cp, int dp, int pp) const {
    return tp + static_cast<long long>(p_.tp) * (cp + static_cast<long long>(p_.cp) * (dp + static_cast<long long>(dp_) * pp));
  }
  Coordinates coordinates(long long rank) const;
  long long node(long long rank) const { return rank / node_gpus_; }
  int local(long long rank) const { return static_cast<int>(rank % node_gpus_); }  // GPU index in its node: its rail
  bool same_domain(long long a, long long b) const { return a / domain_gpus_ == b / domain_gpus_; }

  const Parallelism& parallelism() const { return p_; }
  int data_parallel() const { return dp_; }
  int node_gpus() const { return node_gpus_; }
  int domain_gpus() const { return domain_gpus_; }
  long long gpus() const { return gpus_; }
  long long nodes() const { return (gpus_ + node_gpus_ - 1) / node_gpus_; }
  // Data-parallel peers on one node: NCCL then runs a ring through them with one channel per NIC.
  int local_data_parallel() const;

 private:
  Parallelism p_;
  int dp_;
  int node_gpus_;
  int domain_gpus_;
  long long gpus_;
};

}  // namespace fleetsim::training

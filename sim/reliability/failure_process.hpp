#pragma once
// Component failures ([reliability] failures): per cluster, the failures of all its nodes' components are one
// Poisson process (exponential times between failures per component, rates from sim/scenario ReliabilityConfig):
// the next failure comes after an exponential gap at the cluster's total rate, its class is drawn by rate and its
// node uniformly. A failure of a node out of service (not installed, off for maintenance or repair) does not
// happen (the thinning of a Poisson process: the rate counts only nodes in service). Classes with a Weibull `shape`
// other than 1 are followed component by component instead: each GPU, node or rack of the class has its own next
// failure (a renewal process, new at commissioning; a failed component is replaced by a new one), kept in a heap
// per cluster; a failure that comes while its node is out of service does not happen, and the component is renewed
// from then. Each failure goes to the
// engine (FleetControl::fail_node), which interrupts the runs on the node and takes it out for its repair time.
// Also the component that measures what failures cost: time lost by jobs (work redone, restart waits, blocking
// checkpoint writes).
#include <cstdint>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/fleet/lifecycle.hpp"

namespace fleetsim {

// One failure of a node in service.
struct FailureEvent {
  double time_s = 0;
  int cluster = 0;  // index in Fleet::clusters
  int node = 0;     // the first node it took
  int nodes = 1;    // nodes it took (a rack's for a switch or PDU)
  const FailureClass* cause = nullptr;
  int jobs_hit = 0;
  double gpu_seconds_lost = 0;  // work of the runs it stopped since their last checkpoint
};

// What failures and interruptions cost the jobs, GPU-weighted, up to the horizon.
struct FailureCosts {
  double redone_gpu_s = 0;  // work lost at interruptions (to be done again)
  double writes_gpu_s = 0;  // blocking checkpoint writes
  double waits_gpu_s = 0;   // from an interruption to the next start (restart time, queueing, repair)
  double abandoned_gpu_s = 0;  // jobs that gave up (max_restarts): from then to the horizon, not part of their wall
};

class FailureProcess {
 public:
  FailureProcess(const Scenario& scenario, const Fleet& fleet, const std::vector<Job>& jobs, FleetControl& control,
                 Lifecycle& lifecycle);
  // Sets each cluster's first failure.
  void start();
  const std::vector<FailureEvent>& failures() const { return failures_; }
  FailureCosts costs(double horizon_s) const;
  const Fleet& fleet() const { return fleet_; }

 private:
  void next_failure(int cluster);
  void fail(int cluster);
  // Weibull classes: one component's next failure after `now_s`, the cluster's next one set as a callback, and
  // the failure of the component at the heap's top.
  struct Component {
    double time_s;
    int class_index;
    int index;  // GPU, node or rack index in its cluster
    bool operator>(const Component& other) const { return time_s > other.time_s; }
  };
  double weibull_lifetime_s(int cluster, int class_index);
  void next_weibull(int cluster);
  void fail_component(int cluster);
  void take_nodes(int cluster_index, const FailureClass& failure, int first, int last);

  const Scenario& scenario_;
  const Fleet& fleet_;
  const std::vector<Job>& jobs_;
  FleetControl& control_;
  std::vector<RandomStream> streams_;           // per cluster
  std::vector<double> cluster_rate_per_s_;      // per cluster: failures per second if every node is in service
  std::vector<std::vector<double>> class_weights_;  // per cluster: each class's share of that rate
  std::vector<RandomStream> weibull_streams_;   // per cluster
  std::vector<std::priority_queue<Component, std::vector<Component>, std::greater<Component>>> components_;
  std::vector<double> weibull_scale_s_;         // per class: the Weibull scale giving its mean time between failures
  std::vector<FailureEvent> failures_;
  // Time lost by jobs, GPU-weighted (GPU-seconds): work redone after interruptions, waits between an interruption
  // and the next start, blocking checkpoint writes; and the GPU-seconds of the jobs' wall time.
  double lost_gpu_s_ = 0;          // work redone
  double lost_writes_gpu_s_ = 0;   // blocking checkpoint writes of finished runs
  double waits_gpu_s_ = 0;         // from an interruption to the next start
  std::unordered_map<std::uint64_t, double> gave_up_at_;  // jobs that failed for good
  std::unordered_map<std::uint64_t, double> stopped_at_;  // jobs interrupted and not started again
  std::unordered_map<std::uint64_t, double> run_start_;   // running jobs that write blocking checkpoints
};

}  // namespace fleetsim

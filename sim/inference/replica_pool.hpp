#pragma once
// A pool of identical replicas behind one router, driven by an EventClock: requests arrive at their times, the
// router sends each to the replica with the fewest outstanding requests (ties: the lowest index; as the
// least-outstanding-requests balancing of production LLM routers), and each replica runs its continuous-batching
// iterations back to back while it has work (ReplicaBatcher). Times in the log are from the pool's start.
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/inference/event_clock.hpp"
#include "sim/inference/replica_batcher.hpp"

namespace fleetsim::inference {

struct PoolTotals {
  double span_s = 0;              // from the start to the last iteration's end (or the stop)
  double busy_replica_s = 0;      // iterations, summed over replicas
  double gpu_energy_j = 0;        // all the pool's GPUs: in iterations, and idle otherwise
  std::uint64_t iterations = 0;
  std::uint64_t events = 0;       // arrivals and iteration ends handled
};

class ReplicaPool {
 public:
  ReplicaPool(const ReplicaModel& model, int replicas, RequestLog& log, EventClock& clock);
  ReplicaPool(const ReplicaPool&) = delete;
  ReplicaPool& operator=(const ReplicaPool&) = delete;

  // Sets the first arrival; the pool then runs on the clock. No iteration starts after `stop_s` (from the start):
  // requests unfinished by then stay unfinished.
  void start(double stop_s = std::numeric_limits<double>::infinity());
  PoolTotals totals() const;
  int replicas() const { return static_cast<int>(batchers_.size()); }

 private:
  void arrive();
  void kick(int replica);
  void iteration_ended(int replica);

  const ReplicaModel& model_;
  RequestLog& log_;
  EventClock& clock_;
  std::vector<ReplicaBatcher> batchers_;
  double start_s_ = 0;
  double stop_s_ = 0;
  double last_end_s_ = 0;
  std::size_t next_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace fleetsim::inference

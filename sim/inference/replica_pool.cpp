#include "sim/inference/replica_pool.hpp"

#include <algorithm>

namespace fleetsim::inference {

ReplicaPool::ReplicaPool(const ReplicaModel& model, int replicas, RequestLog& log, EventClock& clock)
    : model_(model), log_(log), clock_(clock) {
  batchers_.reserve(static_cast<std::size_t>(std::max(1, replicas)));
  for (int i = 0; i < std::max(1, replicas); ++i) batchers_.emplace_back(model, log);
}

void ReplicaPool::start(double stop_s) {
  start_s_ = clock_.now_s();
  stop_s_ = stop_s;
  if (!log_.requests.empty()) clock_.at(start_s_ + log_.requests.front().arrival_s, [this] { arrive(); });
}

// Every request due now goes to the least-loaded replica; then the next arrival is set.
void ReplicaPool::arrive() {
  ++events_;
  const auto& requests = log_.requests;
  // The requests of this arrival time (compared in the requests' own times, which the clock's may round).
  const double due = requests[next_].arrival_s;
  while (next_ < requests.size() && requests[next_].arrival_s <= due) {
    std::size_t best = 0;
    for (std::size_t r = 1; r < batchers_.size(); ++r)
      if (batchers_[r].outstanding() < batchers_[best].outstanding()) best = r;
    batchers_[best].enqueue(static_cast<std::uint32_t>(next_));
    ++next_;
    kick(static_cast<int>(best));
  }
  if (next_ < requests.size()) clock_.at(start_s_ + requests[next_].arrival_s, [this] { arrive(); });
}

// An idle replica with work starts an iteration (none after the stop).
void ReplicaPool::kick(int replica) {
  ReplicaBatcher& batcher = batchers_[replica];
  const double now = clock_.now_s() - start_s_;
  if (batcher.running() || !batcher.has_work() || now >= stop_s_) return;
  const IterationCost& cost = batcher.start_iteration(now);
  if (!batcher.running()) return;
  clock_.at(clock_.now_s() + cost.time_s, [this, replica] { iteration_ended(replica); });
}

void ReplicaPool::iteration_ended(int replica) {
  ++events_;
  const double now = clock_.now_s() - start_s_;
  batchers_[replica].finish_iteration(now);
  last_end_s_ = std::max(last_end_s_, now);
  kick(replica);
}

PoolTotals ReplicaPool::totals() const {
  PoolTotals totals;
  totals.span_s = std::max(last_end_s_, log_.requests.empty() ? 0.0 : log_.requests.back().arrival_s);
  for (const ReplicaBatcher& batcher : batchers_) {
    totals.busy_replica_s += batcher.busy_s();
    totals.gpu_energy_j += batcher.busy_gpu_energy_j() +
                           std::max(0.0, totals.span_s - batcher.busy_s()) * model_.idle_gpu_power_w() * model_.gpus();
    totals.iterations += batcher.iterations();
  }
  totals.events = events_;
  return totals;
}

}  // namespace fleetsim::inference

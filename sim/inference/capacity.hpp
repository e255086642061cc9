#pragma once
// A replica's capacity curve for a length mix and an SLO: SLO attainment, latency percentiles and GPU power at a
// range of request rates on one replica, and the highest rate at which it still meets the SLO (its capacity). Each
// point is a request-level run of the mix (the same requests, Poisson arrivals from the same unit-rate draws scaled
// to the rate: common random numbers, so attainment falls smoothly with the rate) through one ReplicaBatcher on a
// HeapClock. The fleet level sizes pools with max_rate_rps and reads attainment and power off the curve.
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/inference/replica_model.hpp"
#include "sim/inference/request.hpp"
#include "sim/inference/serving_stats.hpp"

namespace fleetsim::inference {

struct CapacityPoint {
  double rate_rps = 0;              // arrivals per second at the replica
  double attainment = 1;            // share of requests meeting the SLO
  double ttft_s = 0, tpot_s = 0;    // at the SLO's percentile
  double gpu_power_w = 0;           // mean per GPU over the run (iterations and idle gaps)
  double busy_fraction = 0;         // share of the time in iterations
};

struct CapacityCurve {
  double max_rate_rps = 0;     // highest rate meeting the SLO on one replica (0: none does)
  // A pool balances load: with least-outstanding routing a pool of n replicas carries more per replica than one
  // replica alone (the tails of long prompts are shared). The same search on a pool of `pool_replicas` gives
  // `pool_max_rate_rps` per replica; capacity_per_replica(n) interpolates between the two in log n and keeps the
  // pool's value beyond it.
  int pool_replicas = 1;
  double pool_max_rate_rps = 0;
  // capacity_per_replica(n) for n = 0 .. pool_replicas, tabulated by capacity_curve (read at every tick of a fleet
  // run; without it the function computes its value).
  std::vector<double> per_replica_table;
  double saturation_rps = 0;   // throughput with every request queued at once
  double mean_prompt_tokens = 0, mean_output_tokens = 0;
  double idle_gpu_power_w = 0;
  std::vector<CapacityPoint> points;  // by rate, from a light load to saturation, with max_rate_rps among them

  // The curve at `rate` per replica, linear between points (0 requests/s: idle, attainment 1); beyond the last
  // point, the last point's attainment and power.
  CapacityPoint at(double rate_rps) const;
  // Requests/s per replica a pool of `replicas` carries within the SLO.
  double capacity_per_replica(int replicas) const;
  // The smallest pool that carries `rate_rps` (0 for no demand).
  int replicas_for(double rate_rps) const;
};

// Mix requests per run: enough for the tail at the 99th percentile to hold 20 requests (fewer bias the capacity up: a run of 1,000 misses the longest prompts); a pool's run has
// kPoolRequestsPerReplica per replica (at least kCapacityMixRequests).
constexpr std::size_t kCapacityMixRequests = 2000;
constexpr std::size_t kPoolRequestsPerReplica = 300;
// The pool the pooled capacity is measured on (fewer when the service may not have so many replicas).
constexpr int kCapacityPoolReplicas = 16;

// `mix` holds at least pool_mix_requests(pool_replicas) requests; the single-replica runs use its first
// kCapacityMixRequests.
CapacityCurve capacity_curve(const ReplicaModel& model, const std::vector<Request>& mix, const Slo& slo,
                             std::uint64_t seed, std::string_view stream, int pool_replicas = 1);
std::size_t pool_mix_requests(int pool_replicas);

// One run of `mix` at `rate_rps` on one replica (arrival gaps = unit_gaps / rate).
// One run of `mix` at `rate_rps` per replica on a pool of `replicas` (arrival gaps = unit_gaps / total rate).
CapacityPoint run_at_rate(const ReplicaModel& model, const std::vector<Request>& mix, const std::vector<double>& unit_gaps,
                          double rate_rps, const Slo& slo, int replicas = 1);

}  // namespace fleetsim::inference

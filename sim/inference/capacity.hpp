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
  double max_rate_rps = 0;     // highest rate meeting the SLO (0: none does)
  double saturation_rps = 0;   // throughput with every request queued at once
  double mean_prompt_tokens = 0, mean_output_tokens = 0;
  double idle_gpu_power_w = 0;
  std::vector<CapacityPoint> points;  // by rate, from a light load to saturation, with max_rate_rps among them

  // The curve at `rate` per replica, linear between points (0 requests/s: idle, attainment 1); beyond the last
  // point, the last point's attainment and power.
  CapacityPoint at(double rate_rps) const;
};

// Mix requests per run: enough for the tail at the 99th percentile to hold 20 requests.
constexpr std::size_t kCapacityMixRequests = 2000;

CapacityCurve capacity_curve(const ReplicaModel& model, const std::vector<Request>& mix, const Slo& slo,
                             std::uint64_t seed, std::string_view stream);

// One run of `mix` at `rate_rps` on one replica (arrival gaps = unit_gaps / rate).
CapacityPoint run_at_rate(const ReplicaModel& model, const std::vector<Request>& mix, const std::vector<double>& unit_gaps,
                          double rate_rps, const Slo& slo);

}  // namespace fleetsim::inference

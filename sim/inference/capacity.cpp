#include "sim/inference/capacity.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/rng.hpp"
#include "sim/inference/replica_pool.hpp"

namespace fleetsim::inference {

namespace {

// Rates between a light load and saturation at which the curve is tabulated, as fractions of saturation.
constexpr double kCurveFractions[] = {0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
// Bisection steps on the rate: 2^-8 of the bracket (one replica: a tenth of saturation, so 0.04% of it).
constexpr int kBisectionSteps = 8;
// A pool carries more per replica than one replica alone, typically 5-25% more: its bisection starts on
// [capacity, kPoolBracket x capacity] and widens to saturation only when the top of that bracket meets the SLO.
constexpr double kPoolBracket = 1.5;
// Its bisection: 2^-5 of that bracket, 1.6% of the capacity.
constexpr int kPoolBisectionSteps = 5;

struct Run {
  PoolTotals totals;
  ServingStats stats;
};

Run simulate(const ReplicaModel& model, const std::vector<Request>& requests, const Slo& slo, double duration_s,
             int replicas = 1) {
  RequestLog log(requests);
  HeapClock clock;
  ReplicaPool pool(model, replicas, log, clock);
  pool.start();
  clock.run();
  return {pool.totals(), summarize(log, slo, duration_s)};
}

}  // namespace

CapacityPoint run_at_rate(const ReplicaModel& model, const std::vector<Request>& mix, const std::vector<double>& unit_gaps,
                          double rate_rps, const Slo& slo, int replicas) {
  std::vector<Request> requests = mix;
  double t = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    t += unit_gaps[i] / (rate_rps * replicas);
    requests[i].arrival_s = t;
  }
  const Run run = simulate(model, requests, slo, t, replicas);
  CapacityPoint point;
  point.rate_rps = rate_rps;
  point.attainment = run.stats.attainment;
  point.ttft_s = run.stats.ttft_s.at_slo_percentile;
  point.tpot_s = run.stats.tpot_s.at_slo_percentile;
  const double span = std::max(run.totals.span_s, 1e-9);
  point.gpu_power_w = run.totals.gpu_energy_j / (span * model.gpus() * replicas);
  point.busy_fraction = std::min(1.0, run.totals.busy_replica_s / (span * replicas));
  return point;
}

std::size_t pool_mix_requests(int pool_replicas) {
  return std::max(kCapacityMixRequests, kPoolRequestsPerReplica * static_cast<std::size_t>(std::max(1, pool_replicas)));
}

namespace {
// The highest per-replica rate in [low, high] meeting the SLO on `replicas` replicas (low assumed to meet it).
double bisect_rate(const ReplicaModel& model, const std::vector<Request>& mix, const std::vector<double>& gaps,
                   const Slo& slo, int replicas, double low, double high, CapacityPoint* at_low = nullptr,
                   int steps = kBisectionSteps) {
  for (int step = 0; step < steps; ++step) {
    const double mid = (low + high) / 2;
    const CapacityPoint point = run_at_rate(model, mix, gaps, mid, slo, replicas);
    if (point.attainment >= slo.percentile) {
      low = mid;
      if (at_low) *at_low = point;
    } else {
      high = mid;
    }
  }
  return low;
}
}  // namespace

CapacityCurve capacity_curve(const ReplicaModel& model, const std::vector<Request>& all, const Slo& slo,
                             std::uint64_t seed, std::string_view stream, int pool_replicas) {
  CapacityCurve curve;
  curve.idle_gpu_power_w = model.idle_gpu_power_w();
  if (all.empty()) return curve;
  const std::vector<Request> mix(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), kCapacityMixRequests)));
  for (const Request& r : mix) {
    curve.mean_prompt_tokens += r.prompt_tokens;
    curve.mean_output_tokens += r.output_tokens;
  }
  curve.mean_prompt_tokens /= double(mix.size());
  curve.mean_output_tokens /= double(mix.size());
  // Saturation: every request queued at t = 0.
  const Run offline = simulate(model, mix, Slo{slo.ttft_s, slo.tpot_s, slo.percentile}, 0);
  curve.saturation_rps = double(offline.stats.completed) / std::max(offline.totals.span_s, 1e-9);
  if (curve.saturation_rps <= 0) return curve;

  RandomStream rng(seed, stream);
  std::vector<double> gaps(std::max(mix.size(), all.size()));
  for (double& gap : gaps) gap = rng.exponential(1.0);
  // A light load runs fewer requests: each is decoded nearly alone, so its iterations are many and alike (the
  // runs near capacity, where the tail matters, keep the whole mix).
  for (double fraction : kCurveFractions) {
    const std::size_t count = std::clamp<std::size_t>(static_cast<std::size_t>(double(mix.size()) * fraction / 0.4),
                                                      std::min<std::size_t>(200, mix.size()), mix.size());
    const std::vector<Request> part(mix.begin(), mix.begin() + static_cast<std::ptrdiff_t>(count));
    curve.points.push_back(run_at_rate(model, part, gaps, fraction * curve.saturation_rps, slo));
  }

  // The capacity: the highest rate whose attainment meets the target, by bisection between the highest tabulated
  // rate that meets it and the next one up (none meets it at the lightest load: 0).
  const auto meets = [&](const CapacityPoint& p) { return p.attainment >= slo.percentile; };
  std::size_t last_meeting = curve.points.size();
  for (std::size_t i = 0; i < curve.points.size(); ++i)
    if (meets(curve.points[i])) last_meeting = i;
  if (last_meeting == curve.points.size()) return curve;  // max_rate_rps = 0
  if (last_meeting + 1 == curve.points.size()) {
    curve.max_rate_rps = curve.points.back().rate_rps;
    return curve;
  }
  CapacityPoint best = curve.points[last_meeting];
  curve.max_rate_rps = bisect_rate(model, mix, gaps, slo, 1, curve.points[last_meeting].rate_rps,
                                   curve.points[last_meeting + 1].rate_rps, &best);
  curve.points.push_back(best);
  std::sort(curve.points.begin(), curve.points.end(),
            [](const CapacityPoint& a, const CapacityPoint& b) { return a.rate_rps < b.rate_rps; });
  // The pooled capacity: between one replica's capacity and saturation (if even one replica's capacity misses
  // the SLO on the pool, which chance can make so, the pool keeps one replica's capacity).
  curve.pool_replicas = std::max(1, pool_replicas);
  curve.pool_max_rate_rps = curve.max_rate_rps;
  if (curve.pool_replicas > 1 && all.size() >= pool_mix_requests(curve.pool_replicas)) {
    const std::vector<Request> pool_mix(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(pool_mix_requests(curve.pool_replicas)));
    if (meets(run_at_rate(model, pool_mix, gaps, curve.max_rate_rps, slo, curve.pool_replicas))) {
      double low = curve.max_rate_rps;
      double high = std::min(curve.saturation_rps, kPoolBracket * curve.max_rate_rps);
      if (meets(run_at_rate(model, pool_mix, gaps, high, slo, curve.pool_replicas))) {
        low = high;
        high = curve.saturation_rps;
      }
      curve.pool_max_rate_rps =
          high > low ? bisect_rate(model, pool_mix, gaps, slo, curve.pool_replicas, low, high, nullptr, kPoolBisectionSteps) : low;
    }
  }
  for (int n = 0; n <= curve.pool_replicas; ++n) curve.per_replica_table.push_back(curve.capacity_per_replica(n));
  return curve;
}

double CapacityCurve::capacity_per_replica(int replicas) const {
  if (replicas >= 0 && static_cast<std::size_t>(replicas) < per_replica_table.size()) return per_replica_table[replicas];
  if (replicas <= 1 || pool_replicas <= 1) return max_rate_rps;
  const double f = std::min(1.0, std::log(double(replicas)) / std::log(double(pool_replicas)));
  return max_rate_rps + f * (pool_max_rate_rps - max_rate_rps);
}

int CapacityCurve::replicas_for(double rate_rps) const {
  if (rate_rps <= 0 || max_rate_rps <= 0) return 0;
  // Beyond the measured pool size the per-replica capacity is constant.
  const double beyond = std::ceil(rate_rps / pool_max_rate_rps - 1e-9);
  if (beyond >= pool_replicas) return static_cast<int>(std::min(beyond, 1e9));
  for (int n = 1;; ++n)
    if (n * capacity_per_replica(n) >= rate_rps * (1 - 1e-12)) return n;
}

CapacityPoint CapacityCurve::at(double rate_rps) const {
  CapacityPoint idle;
  idle.rate_rps = 0;
  idle.attainment = 1;
  idle.gpu_power_w = idle_gpu_power_w;
  if (points.empty() || rate_rps <= 0) return idle;
  const CapacityPoint* before = &idle;
  for (const CapacityPoint& point : points) {
    if (point.rate_rps >= rate_rps) {
      const double f = point.rate_rps > before->rate_rps ? (rate_rps - before->rate_rps) / (point.rate_rps - before->rate_rps) : 1;
      CapacityPoint out;
      out.rate_rps = rate_rps;
      out.attainment = before->attainment + f * (point.attainment - before->attainment);
      out.ttft_s = before->ttft_s + f * (point.ttft_s - before->ttft_s);
      out.tpot_s = before->tpot_s + f * (point.tpot_s - before->tpot_s);
      out.gpu_power_w = before->gpu_power_w + f * (point.gpu_power_w - before->gpu_power_w);
      out.busy_fraction = before->busy_fraction + f * (point.busy_fraction - before->busy_fraction);
      return out;
    }
    before = &point;
  }
  CapacityPoint out = points.back();
  out.rate_rps = rate_rps;
  return out;
}

}  // namespace fleetsim::inference

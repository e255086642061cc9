#include "sim/inference/serving_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetsim::inference {

double percentile(std::vector<double>& values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double rank = std::ceil(q * double(values.size()));
  const std::size_t index = static_cast<std::size_t>(std::clamp(rank, 1.0, double(values.size()))) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
  return values[index];
}

namespace {
LatencySummary summary_of(std::vector<double>& values, double slo_percentile) {
  LatencySummary summary;
  if (values.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, nan, nan};
  }
  double sum = 0;
  for (double v : values) sum += v;
  summary.mean = sum / double(values.size());
  summary.p50 = percentile(values, 0.50);
  summary.p90 = percentile(values, 0.90);
  summary.p99 = percentile(values, 0.99);
  summary.at_slo_percentile = percentile(values, slo_percentile);
  return summary;
}
}  // namespace

ServingStats summarize(const RequestLog& log, const Slo& slo, double duration_s) {
  ServingStats stats;
  stats.requests = log.requests.size();
  stats.duration_s = duration_s;
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> ttft, tpot, queue, e2e;
  ttft.reserve(stats.requests);
  tpot.reserve(stats.requests);
  queue.reserve(stats.requests);
  e2e.reserve(stats.requests);
  std::size_t meeting = 0;
  for (std::size_t i = 0; i < log.requests.size(); ++i) {
    const Request& request = log.requests[i];
    const RequestOutcome& outcome = log.outcomes[i];
    if (outcome.rejected) {
      ++stats.rejected;
      ttft.push_back(infinity);
      continue;
    }
    queue.push_back(std::isnan(outcome.start_s) ? infinity : outcome.start_s - request.arrival_s);
    const double first = outcome.first_token_s - request.arrival_s;
    ttft.push_back(std::isnan(first) ? infinity : first);
    if (std::isnan(outcome.end_s)) {
      ++stats.unfinished;
      continue;
    }
    ++stats.completed;
    stats.prompt_tokens += request.prompt_tokens;
    stats.output_tokens += request.output_tokens;
    e2e.push_back(outcome.end_s - request.arrival_s);
    double per_token = 0;
    if (request.output_tokens > 1) {
      per_token = (outcome.end_s - outcome.first_token_s) / (request.output_tokens - 1);
      tpot.push_back(per_token);
    }
    if (first <= slo.ttft_s && per_token <= slo.tpot_s) ++meeting;
  }
  stats.ttft_s = summary_of(ttft, slo.percentile);
  stats.tpot_s = summary_of(tpot, slo.percentile);
  stats.queue_s = summary_of(queue, slo.percentile);
  stats.e2e_s = summary_of(e2e, slo.percentile);
  stats.attainment = stats.requests > 0 ? double(meeting) / double(stats.requests) : 1.0;
  stats.meets_slo = stats.attainment >= slo.percentile;
  if (duration_s > 0) {
    stats.request_rate = double(stats.requests) / duration_s;
    stats.goodput_rps = double(meeting) / duration_s;
    stats.input_tokens_per_s = stats.prompt_tokens / duration_s;
    stats.output_tokens_per_s = stats.output_tokens / duration_s;
  }
  return stats;
}

}  // namespace fleetsim::inference

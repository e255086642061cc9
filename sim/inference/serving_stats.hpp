#pragma once
// What a run of requests achieved against a service-level objective: time to first token (TTFT), time per output
// token after the first (TPOT), queueing, SLO attainment and goodput.
//
// Definitions. TTFT = first token - arrival; TPOT = (last token - first token) / (output tokens - 1), for requests of
// two tokens or more; queueing = first scheduled - arrival. A request meets the SLO when its TTFT and its TPOT are
// within their targets (a one-token request has no TPOT: TTFT alone); a request rejected or unfinished misses it
// (its TTFT counts as infinite in the percentiles). SLO attainment = share of requests meeting it; the run meets the
// SLO when attainment >= slo.percentile (DistServe's definition, Zhong et al. OSDI'24: goodput is the highest rate
// served with the target attainment). Percentiles are nearest-rank.
#include <cstddef>
#include <vector>

#include "sim/inference/request.hpp"

namespace fleetsim::inference {

struct Slo {
  double ttft_s = 0;
  double tpot_s = 0;
  double percentile = 0.99;  // of requests that must meet both targets
};

struct LatencySummary {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0;
  double at_slo_percentile = 0;  // the slo.percentile-th percentile
};

struct ServingStats {
  std::size_t requests = 0;
  std::size_t completed = 0;   // got every token
  std::size_t rejected = 0;    // larger than the KV cache
  std::size_t unfinished = 0;  // still queued or running at the stop
  LatencySummary ttft_s, tpot_s, queue_s, e2e_s;
  double attainment = 0;       // share of requests meeting the SLO
  bool meets_slo = false;
  double duration_s = 0;       // the demand's length (what rates are per)
  double request_rate = 0;     // arrivals per second
  double goodput_rps = 0;      // requests meeting the SLO per second
  double prompt_tokens = 0, output_tokens = 0;  // of completed requests
  double input_tokens_per_s = 0, output_tokens_per_s = 0;
};

// `duration_s` is the length of the demand (arrivals fall in [0, duration)).
ServingStats summarize(const RequestLog& log, const Slo& slo, double duration_s);

// Nearest-rank percentile q in [0, 1] of `values` (reordered); NaN when empty.
double percentile(std::vector<double>& values, double q);

}  // namespace fleetsim::inference

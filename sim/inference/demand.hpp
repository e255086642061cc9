#pragma once
// A service's demand: requests from a request trace (the Azure LLM inference trace 2023 format) replayed, its rate
// scaled and the trace repeated to the horizon; or a daily (and weekly) profile of a subscriber base, with prompt and
// output lengths drawn from lognormal distributions (by default the ones fitted to the Azure conversation trace).
// The fleet level asks for mean rates over intervals; the request level and the capacity search for requests.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/arrival_profile.hpp"
#include "sim/inference/request.hpp"

namespace fleetsim::inference {

// Lognormal lengths in tokens (median, sigma of the log), rounded and clipped to [min, max].
struct TokenDistribution {
  double median = 1;
  double sigma = 0;
  int min = 1;
  int max = 1 << 20;
};

// Fitted to data/azure_llm_inference_2023/AzureLLMInferenceTrace_conv.csv (19,366 requests) by the moments of the
// logarithm (analysis/calibration/fit_token_lengths.py): prompts median exp(6.633) = 760 tokens, sigma 0.985,
// 2-14,050; outputs median exp(5.019) = 151 tokens, sigma 0.859, 7-1,000. (The trace's own medians are 1,020 and
// 129: the lognormal is a fit, not the empirical distribution; its means, 1,232 and 218, are within 7% and 3% of
// the trace's 1,155 and 211.)
TokenDistribution azure_conversation_prompt_tokens();
TokenDistribution azure_conversation_output_tokens();

// One request of a trace, its time from the trace's first request.
struct TraceEntry {
  double time_s = 0;
  std::int32_t prompt_tokens = 1;
  std::int32_t output_tokens = 1;
};

struct RequestTrace {
  std::string path;
  std::vector<TraceEntry> entries;  // in time order
  double period_s = 0;  // what one replay lasts: the span from first to last request plus the mean gap
};

// Formats a [[service]] demand trace may have.
inline std::vector<std::string> request_trace_formats() { return {"azure-llm-2023"}; }

// Reads an Azure LLM inference trace 2023 CSV (TIMESTAMP,ContextTokens,GeneratedTokens; Patel et al., Splitwise,
// ISCA 2024; CC BY 4.0). Errors name FILE:LINE: COLUMN. Rows out of time order, no rows, tokens < 1 are errors.
RequestTrace read_azure_llm_trace(const std::string& path);

using fleetsim::DailyProfile;  // sim/core/arrival_profile.hpp

struct DemandConfig {
  enum class Kind { trace, profile } kind = Kind::profile;
  // trace
  std::shared_ptr<const RequestTrace> trace;
  double scale = 1;  // the trace's rate x scale: its times divided by scale; replayed again and again
  // profile
  double subscribers = 0;
  double requests_per_day = 0;  // per subscriber
  DailyProfile daily_profile = DailyProfile::flat;
  bool weekly = false;
  double growth_per_year = 0;  // the rate grows by this share a year (365 days), from t = 0
  double year_offset_s = 0;  // where t = 0 falls in the year (the scenario's): hour of day and day of week
  TokenDistribution prompt_tokens = azure_conversation_prompt_tokens();
  TokenDistribution output_tokens = azure_conversation_output_tokens();
};

// A profile demand's variation over time (sim/core/arrival_profile.hpp).
ArrivalProfile arrival_profile(const DemandConfig& demand);
// Demand relative to its mean at time t: the daily profile's hour, and (weekly) weekdays against the weekend,
// so that the mean over a week is 1, times the growth since t = 0. Hours are of the simulation clock (UTC at
// year_offset); day 0 is 1 January of the signals' year 2023, a Sunday. 1 for a trace.
double profile_factor(const DemandConfig& demand, double time_s);

// Mean arrival rate (requests/s) over [t0_s, t1_s).
double mean_rate(const DemandConfig& demand, double t0_s, double t1_s);
// Mean prompt and output tokens of a request.
double mean_prompt_tokens(const DemandConfig& demand);
double mean_output_tokens(const DemandConfig& demand);

// The requests arriving in [0, duration_s), in time order: the trace's, scaled and repeated; or a Poisson process
// at the profile's rate (piecewise constant by hour) with lengths drawn from the distributions (random stream
// `stream` of `seed`).
std::vector<Request> generate_requests(const DemandConfig& demand, double duration_s, std::uint64_t seed,
                                       std::string_view stream);

// `count` request lengths of the demand's mix (arrival times 0): the trace's requests drawn with replacement, or
// the distributions' draws.
std::vector<Request> length_mix(const DemandConfig& demand, std::size_t count, std::uint64_t seed, std::string_view stream);

}  // namespace fleetsim::inference

#pragma once
// An inference request and what became of it.
#include <cstdint>
#include <limits>
#include <vector>

namespace fleetsim::inference {

struct Request {
  double arrival_s = 0;   // from the start of the demand
  std::int32_t prompt_tokens = 1;
  std::int32_t output_tokens = 1;  // the first token included
};

// Times from the start of the run; NaN while the event has not happened.
struct RequestOutcome {
  double start_s = std::numeric_limits<double>::quiet_NaN();        // first scheduled (its prompt's first chunk)
  double first_token_s = std::numeric_limits<double>::quiet_NaN();  // end of the iteration finishing its prompt
  double end_s = std::numeric_limits<double>::quiet_NaN();          // its last token
  bool rejected = false;  // needs more KV cache than the replica has: never served
};

// The requests of a run and their outcomes, side by side (the batchers write outcomes by request index).
struct RequestLog {
  const std::vector<Request>& requests;
  std::vector<RequestOutcome> outcomes;
  explicit RequestLog(const std::vector<Request>& list) : requests(list), outcomes(list.size()) {}
};

}  // namespace fleetsim::inference

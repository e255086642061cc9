#pragma once
// Fleet dispatch (issue 15): which campus a dispatchable job goes to. Pure: the engine describes each candidate
// campus as it stands now (CampusOutlook), the policy returns the chosen one. One decision costs O(candidates).
//
// The measures, each "lower is better" but headroom:
//   wait      estimated wait before the job could start there, in seconds: the time to move its dataset there
//             (alone on the link), plus 0 if nothing waits there and a cluster has its GPUs free now, else the
//             GPU-seconds ahead of it (queued and in transfer there, by estimates, and what the running jobs have
//             left by their estimates) over the campus's GPUs in the pool: a fluid estimate.
//   carbon    grid carbon intensity this hour x PUE: grams per kWh of IT energy.
//   price     day-ahead price this hour x PUE: EUR per MWh of IT energy.
//   headroom  grid connection - facility power now, in W (higher is better).
// A single policy (least-wait, lowest-carbon, lowest-price, most-headroom) ranks the candidates where the job
// starts at once (`starts_now`) by its measure, or all of them when it starts nowhere at once. A weighted mix
// normalises each weighted measure over the candidates to [0, 1] (0 the best, 1 the worst; 0 for all when they
// are equal) and picks the lowest weighted sum. Ties go to the first candidate (the scenario's campus order).
#include <cstddef>
#include <optional>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace fleetsim {

struct CampusOutlook {
  int campus = 0;
  bool starts_now = false;        // nothing waits there and its GPUs are free now (data transfer aside)
  double wait_s = 0;              // estimated wait, transfer included
  double carbon_g_per_kwh = 0;    // x PUE
  double price_eur_per_mwh = 0;   // x PUE
  double headroom_w = 0;
  double measure(int which) const;  // DispatchConfig::Measure, as "lower is better"
};

class Dispatcher {
 public:
  explicit Dispatcher(const DispatchConfig& config) : config_(config) {}
  // Index into `candidates` of the chosen campus; none when `candidates` is empty.
  std::optional<std::size_t> choose(const std::vector<CampusOutlook>& candidates) const;
  // Reconsidering a queued job: it moves only to a campus where it starts at once (the policy's choice among
  // them), never to one where it would wait again.
  std::optional<std::size_t> choose_move(const std::vector<CampusOutlook>& candidates) const;
  const DispatchConfig& config() const { return config_; }

 private:
  std::optional<std::size_t> best(const std::vector<CampusOutlook>& candidates, bool only_starting_now) const;
  DispatchConfig config_;
};

}  // namespace fleetsim

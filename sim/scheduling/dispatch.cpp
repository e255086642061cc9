#include "sim/scheduling/dispatch.hpp"

#include <algorithm>
#include <limits>

namespace fleetsim {

double CampusOutlook::measure(int which) const {
  switch (which) {
    case DispatchConfig::wait: return wait_s;
    case DispatchConfig::carbon: return carbon_g_per_kwh;
    case DispatchConfig::price: return price_eur_per_mwh;
    default: return -headroom_w;
  }
}

// The lowest score among the candidates considered (those starting now, when asked); the first on ties.
std::optional<std::size_t> Dispatcher::best(const std::vector<CampusOutlook>& candidates, bool only_starting_now) const {
  double low[DispatchConfig::kMeasures], high[DispatchConfig::kMeasures];
  std::fill(std::begin(low), std::end(low), std::numeric_limits<double>::infinity());
  std::fill(std::begin(high), std::end(high), -std::numeric_limits<double>::infinity());
  if (config_.mix)
    for (const CampusOutlook& c : candidates) {
      if (only_starting_now && !c.starts_now) continue;
      for (int m = 0; m < DispatchConfig::kMeasures; ++m) {
        low[m] = std::min(low[m], c.measure(m));
        high[m] = std::max(high[m], c.measure(m));
      }
    }
  std::optional<std::size_t> chosen;
  double chosen_score = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const CampusOutlook& c = candidates[i];
    if (only_starting_now && !c.starts_now) continue;
    double score = 0;
    for (int m = 0; m < DispatchConfig::kMeasures; ++m) {
      if (config_.weights[m] == 0) continue;
      const double value = c.measure(m);
      const double spread = high[m] - low[m];
      score += config_.weights[m] * (!config_.mix ? value : spread > 0 ? (value - low[m]) / spread : 0.0);
    }
    if (!chosen || score < chosen_score) {
      chosen = i;
      chosen_score = score;
    }
  }
  return chosen;
}

std::optional<std::size_t> Dispatcher::choose(const std::vector<CampusOutlook>& candidates) const {
  if (!config_.mix) {
    const bool any_now = std::any_of(candidates.begin(), candidates.end(), [](const CampusOutlook& c) { return c.starts_now; });
    return best(candidates, any_now);
  }
  return best(candidates, false);
}

std::optional<std::size_t> Dispatcher::choose_move(const std::vector<CampusOutlook>& candidates) const {
  return best(candidates, true);
}

}  // namespace fleetsim

#include "sim/power/power_swing.hpp"

namespace fleetsim {

SwingStats swing_stats(const std::vector<double>& power_w, double interval_s, double window_s) {
  SwingStats stats;
  if (power_w.empty()) return stats;
  const auto [low, high] = std::minmax_element(power_w.begin(), power_w.end());
  stats.peak_w = *high;
  stats.trough_w = *low;
  stats.swing_w = *high - *low;
  double sum = 0;
  for (std::size_t k = 0; k < power_w.size(); ++k) {
    sum += power_w[k];
    if (k > 0) stats.max_ramp_w_per_s = std::max(stats.max_ramp_w_per_s, std::abs(power_w[k] - power_w[k - 1]) / interval_s);
  }
  stats.mean_w = sum / double(power_w.size());
  stats.energy_j = sum * interval_s;
  const std::size_t window = std::max<std::size_t>(2, static_cast<std::size_t>(std::llround(window_s / interval_s)));
  std::vector<double> swings;
  for (std::size_t first = 0; first < power_w.size(); first += window) {
    const auto begin = power_w.begin() + static_cast<std::ptrdiff_t>(first);
    const auto end = power_w.begin() + static_cast<std::ptrdiff_t>(std::min(power_w.size(), first + window));
    if (end - begin < 2 && !swings.empty()) break;  // a last window of one sample says nothing about a step
    const auto [w_low, w_high] = std::minmax_element(begin, end);
    swings.push_back(*w_high - *w_low);
  }
  std::nth_element(swings.begin(), swings.begin() + static_cast<std::ptrdiff_t>(swings.size() / 2), swings.end());
  stats.step_swing_w = swings[swings.size() / 2];
  return stats;
}

}  // namespace fleetsim

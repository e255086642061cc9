#include "sim/core/hourly_signal.hpp"

#include <algorithm>
#include <numeric>

namespace fleetsim {

double HourlySignal::mean() const {
  if (!hourly_) return constant_;
  return std::accumulate(hourly_->begin(), hourly_->end(), 0.0) / hourly_->size();
}

double HourlySignal::max() const {
  if (!hourly_) return constant_;
  return *std::max_element(hourly_->begin(), hourly_->end());
}

}  // namespace fleetsim

#pragma once
// A quantity that is constant or changes every hour (ambient temperature, grid carbon intensity, price).
// Hourly values repeat cyclically: hour h of the data year reads values[h mod size] (which data hour a simulation hour
// reads is the run's Calendar's to say).
#include <memory>
#include <string>
#include <vector>

namespace fleetsim {

class HourlySignal {
 public:
  HourlySignal() = default;
  explicit HourlySignal(double constant) : constant_(constant) {}
  HourlySignal(std::shared_ptr<const std::vector<double>> hourly, std::string source)
      : hourly_(std::move(hourly)), source_(std::move(source)) {}

  bool is_constant() const { return !hourly_; }
  // Value during the data year's hour `hour` (Calendar::signal_hour).
  double at_hour(long long hour) const {
    if (!hourly_) return constant_;
    const long long n = static_cast<long long>(hourly_->size());
    return (*hourly_)[static_cast<std::size_t>((hour % n + n) % n)];
  }
  double mean() const;
  double max() const;
  const std::string& source() const { return source_; }  // series id or file; empty for a constant

 private:
  double constant_ = 0;
  std::shared_ptr<const std::vector<double>> hourly_;
  std::string source_;
};

}  // namespace fleetsim

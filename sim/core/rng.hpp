#pragma once
// Named random streams derived from the scenario seed: each consumer draws from its own stream, so adding a
// draw in one place never shifts the numbers seen by another. Distributions are implemented here (not with
// <random>'s distributions, whose algorithms differ between standard libraries) so results are the same
// bytes on every platform.
#include <cstdint>
#include <string_view>
#include <vector>

namespace fleetsim {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view stream_name);

  std::uint64_t next_u64();
  double uniform01();                        // [0, 1)
  double uniform(double low, double high);   // [low, high)
  double exponential(double mean);
  double standard_normal();
  double lognormal(double median, double sigma);
  // Index drawn with probability proportional to weights[i] (weights >= 0, sum > 0).
  std::size_t weighted_index(const std::vector<double>& weights);

 private:
  std::uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

}  // namespace fleetsim

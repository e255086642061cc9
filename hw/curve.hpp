#pragma once
// A piecewise-linear function given by points (x increasing), clamped outside its range.
#include <vector>

namespace fleetsim::hw {

struct Curve {
  std::vector<double> x;
  std::vector<double> y;

  bool empty() const { return x.empty(); }
  double at(double value) const {
    if (value <= x.front()) return y.front();
    if (value >= x.back()) return y.back();
    std::size_t i = 1;
    while (x[i] < value) ++i;
    const double t = (value - x[i - 1]) / (x[i] - x[i - 1]);
    return y[i - 1] + t * (y[i] - y[i - 1]);
  }
};

}  // namespace fleetsim::hw

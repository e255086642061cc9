#pragma once
// A one-line progress bar on stderr: simulated time / horizon, events/s, ETA. Redrawn at most 10 times a
// second; silent when disabled (--quiet, or stderr is not a terminal).
#include <chrono>
#include <cstdint>

namespace fleetsim {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  void update(double simulated_s, double horizon_s, std::uint64_t events);
  void finish();  // ends the line

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace fleetsim

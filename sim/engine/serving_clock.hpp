#pragma once
// SimGrid's clock and timer queue as the EventClock of a request-level serving run (`fleetsim serve`): the replica
// pool of sim/inference runs on it the way the fleet kernel runs on SimGrid timers. SimGrid allows one engine per
// process: the first SimgridClock creates it (with a one-host platform, which SimGrid needs to run), later ones use
// it; runs follow one another on the same clock (a pool's times are relative to its start). A process that runs a
// FleetRun cannot use a SimgridClock, and the other way round. No SimGrid type appears in this header.
#include <cstdint>
#include <functional>

#include "sim/inference/event_clock.hpp"

namespace fleetsim {

class SimgridClock final : public inference::EventClock {
 public:
  SimgridClock();
  double now_s() const override;
  void at(double time_s, std::function<void()> action) override;
  // Runs until no timer is left; returns the timers fired by this run.
  std::uint64_t run();

 private:
  std::uint64_t fired_ = 0;
};

}  // namespace fleetsim

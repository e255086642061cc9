#pragma once
// The floor of an engine that keeps its events in SimGrid's timer queue, as the fleet kernel does: a loop of timers
// that only set the next one (tests/bench/simgrid_timer_loop.cpp measures it against fleetsim's own time per
// event). PENDING slots each alternate an arrival and an end: an arrival sets its end after the next duration, an
// end the slot's next arrival after the next gap, until EVENTS have fired (the timers still set then fire and do
// nothing). The timers are set directly with callbacks as small as the kernel's own, not through SimgridClock's
// std::function. No SimGrid type appears in this header.
#include <cstdint>
#include <vector>

namespace fleetsim {

struct TimerFloor {
  std::uint64_t events = 0;  // timers fired: EVENTS, plus the PENDING set when the last one was not re-armed
  double seconds = 0;        // wall time of the run
  double simulated_s = 0;    // the clock at the end
};

// Runs on the process's SimGrid engine (the one SimgridClock creates); draws are used in turn, event i taking
// durations[i % size] or gaps[i % size], and slot s's first arrival is at gaps[s % size].
TimerFloor run_timer_floor(std::uint64_t events, std::uint32_t pending, const std::vector<double>& durations,
                           const std::vector<double>& gaps);

}  // namespace fleetsim

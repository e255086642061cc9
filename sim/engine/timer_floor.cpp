#include "sim/engine/timer_floor.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <chrono>

#include "sim/engine/serving_clock.hpp"

namespace fleetsim {

namespace {
struct Loop {
  const std::vector<double>& durations;
  const std::vector<double>& gaps;
  std::uint64_t limit = 0;
  std::uint64_t events = 0;

  void fire(bool is_arrival) {
    const std::uint64_t i = events++;
    if (events > limit) return;
    const double delay_s = is_arrival ? durations[i % durations.size()] : gaps[i % gaps.size()];
    simgrid::kernel::timer::Timer::set(simgrid::s4u::Engine::get_clock() + delay_s,
                                       [this, is_arrival] { fire(!is_arrival); });
  }
};
}  // namespace

TimerFloor run_timer_floor(std::uint64_t events, std::uint32_t pending, const std::vector<double>& durations,
                           const std::vector<double>& gaps) {
  SimgridClock clock;  // the process's engine, on a one-host platform
  Loop loop{durations, gaps, events};
  for (std::uint32_t slot = 0; slot < pending; ++slot)
    simgrid::kernel::timer::Timer::set(clock.now_s() + gaps[slot % gaps.size()], [&loop] { loop.fire(true); });
  const auto start = std::chrono::steady_clock::now();
  clock.run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {loop.events, seconds, clock.now_s()};
}

}  // namespace fleetsim

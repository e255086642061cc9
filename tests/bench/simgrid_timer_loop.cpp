// The floor of an event loop on SimGrid 3.32 (benchmark, not a test): the event loop of
// reference_event_loop.cpp, event for event (same draws, same PENDING slots alternating arrival and end), but each
// event is a timer in SimGrid's own queue (simgrid::kernel::timer::Timer::set), run by the SimGrid engine as
// fleetsim's engine runs its job ends, arrivals and ticks. Each event costs what SimGrid spends per simulated step
// (its timer heap, asking each resource model for its next event, updating models, looking for ended actions)
// plus a callback that only schedules the next timer. fleetsim has to use SimGrid's clock and event queue, so this
// is the floor of its engine; tests/bench/run reports the bare heap, this loop and fleetsim per event.
//
// usage: simgrid_timer_loop EVENTS PENDING   -> {"events": N, "pending": P, "seconds": s, "ns_per_event": x, ...}
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/log.h>

#include <chrono>
#include <cstdint>

#include "event_loop_shape.hpp"

namespace {

struct Loop {
  event_loop_shape::Draws draws;
  std::uint64_t events = 0;
  std::uint64_t limit = 0;

  // An arrival schedules its end after a duration, an end the slot's next arrival after a gap (as the reference).
  void fire(bool is_arrival) {
    const std::uint64_t i = events++;
    if (events > limit) return;
    constexpr std::size_t count = event_loop_shape::Draws::kCount;
    const double delay_s = is_arrival ? draws.durations[i % count] : draws.gaps[i % count];
    simgrid::kernel::timer::Timer::set(simgrid::s4u::Engine::get_clock() + delay_s,
                                       [this, is_arrival] { fire(!is_arrival); });
  }
};

}  // namespace

int main(int argc, char** argv) {
  event_loop_shape::Arguments args;
  if (!event_loop_shape::parse(argc, argv, args)) return 2;
  simgrid::s4u::Engine engine("simgrid_timer_loop");
  xbt_log_control_set("root.thres:critical");
  // One host in one zone: SimGrid's per-step cost does not depend on the number of hosts without activities.
  auto* zone = simgrid::s4u::create_empty_zone("floor");
  zone->create_host("host", 1e9);
  zone->seal();

  Loop loop;
  loop.limit = args.events;
  for (std::uint32_t slot = 0; slot < args.pending; ++slot)
    simgrid::kernel::timer::Timer::set(loop.draws.gaps[slot % event_loop_shape::Draws::kCount],
                                       [&loop] { loop.fire(true); });

  const auto start = std::chrono::steady_clock::now();
  engine.run_until(-1);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The events run: the EVENTS asked for, plus the PENDING timers still queued when the last one was not re-armed.
  event_loop_shape::print(loop.events, args.pending, seconds, simgrid::s4u::Engine::get_clock());
  return 0;
}

// The floor of an event loop on SimGrid 3.32 (benchmark, not a test): the event loop of reference_event_loop.cpp,
// event for event (same draws, same PENDING slots alternating arrival and end), but each event is a timer in
// SimGrid's own queue run by SimGrid's engine, as fleetsim's engine runs its job ends, arrivals and ticks
// (fleetsim::run_timer_floor, sim/engine/timer_floor.hpp: only sim/engine/ includes SimGrid). Each event costs what
// SimGrid spends per simulated step (its timer heap, asking each resource model for its next event, updating
// models, looking for ended actions) plus a callback that only sets the next timer. fleetsim has to use SimGrid's
// clock and event queue, so this is the floor of its engine; tests/bench/run reports the bare heap, this loop and
// fleetsim per event.
//
// usage: simgrid_timer_loop EVENTS PENDING   -> {"events": N, "pending": P, "seconds": s, "ns_per_event": x, ...}
#include "event_loop_shape.hpp"
#include "sim/engine/timer_floor.hpp"

int main(int argc, char** argv) {
  event_loop_shape::Arguments args;
  if (!event_loop_shape::parse(argc, argv, args)) return 2;
  const event_loop_shape::Draws draws;
  const fleetsim::TimerFloor floor = fleetsim::run_timer_floor(args.events, args.pending, draws.durations, draws.gaps);
  event_loop_shape::print(floor.events, args.pending, floor.seconds, floor.simulated_s);
  return 0;
}

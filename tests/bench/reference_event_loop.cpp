// A bare discrete-event loop to measure fleetsim's engine against (benchmark, not a test): a binary heap
// (std::priority_queue) of timed events with the shape of a fleet run. A job arrival schedules the job's end at
// now + a lognormal duration (median 4 h, sigma 1.35, as in scenarios/bench); a job end schedules the next
// arrival at now + an exponential gap. Each of PENDING slots alternates arrival and end, so the heap always
// holds PENDING events, as fleetsim's holds one end timer per running job (plus the next arrival and ticks).
// No callbacks, no job state: what is left is the cost of the heap itself, the floor of any event loop.
//
// usage: reference_event_loop EVENTS PENDING   -> {"events": N, "pending": P, "seconds": s, "ns_per_event": x, ...}
#include <chrono>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "event_loop_shape.hpp"

namespace {

struct Event {
  double time_s;
  std::uint32_t slot;
  bool is_arrival;
  bool operator>(const Event& other) const { return time_s > other.time_s; }
};

}  // namespace

int main(int argc, char** argv) {
  event_loop_shape::Arguments args;
  if (!event_loop_shape::parse(argc, argv, args)) return 2;
  const event_loop_shape::Draws draws;
  constexpr std::size_t count = event_loop_shape::Draws::kCount;

  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> heap;
  for (std::uint32_t slot = 0; slot < args.pending; ++slot) heap.push({draws.gaps[slot % count], slot, true});
  const auto start = std::chrono::steady_clock::now();
  double now_s = 0;
  for (std::uint64_t i = 0; i < args.events; ++i) {
    const Event event = heap.top();
    heap.pop();
    now_s = event.time_s;
    const double delay_s = event.is_arrival ? draws.durations[i % count] : draws.gaps[i % count];
    heap.push({now_s + delay_s, event.slot, !event.is_arrival});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  event_loop_shape::print(args.events, args.pending, seconds, now_s);
  return 0;
}

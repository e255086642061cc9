// A bare discrete-event loop to measure fleetsim's engine against (benchmark, not a test): a binary heap
// (std::priority_queue) of timed events with the shape of a fleet run. A job arrival schedules the job's end at
// now + a lognormal duration (median 4 h, sigma 1.35, as in scenarios/bench); a job end schedules the next
// arrival at now + an exponential gap. Each of PENDING slots alternates arrival and end, so the heap always
// holds PENDING events, as fleetsim's holds one end timer per running job (plus the next arrival and ticks).
// No callbacks, no job state: what is left is the cost of the heap itself, the floor of any event loop.
//
// usage: reference_event_loop EVENTS PENDING   -> {"events": N, "pending": P, "seconds": s, "ns_per_event": x, ...}
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace {

struct Event {
  double time_s;
  std::uint32_t slot;
  bool is_arrival;
  bool operator>(const Event& other) const { return time_s > other.time_s; }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s EVENTS PENDING\n", argv[0]);
    return 2;
  }
  const std::uint64_t events = std::strtoull(argv[1], nullptr, 10);
  const std::uint32_t pending = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
  if (events == 0 || pending == 0) {
    std::fprintf(stderr, "EVENTS and PENDING must be > 0\n");
    return 2;
  }
  // Draws are made before the clock starts, as fleetsim draws its workload before the engine runs.
  constexpr std::size_t draws = 1 << 16;
  std::mt19937_64 random(1);
  std::lognormal_distribution<double> duration_s(std::log(4.0 * 3600), 1.35);
  std::exponential_distribution<double> gap_s(1.0 / 3600);
  std::vector<double> durations(draws), gaps(draws);
  for (std::size_t i = 0; i < draws; ++i) durations[i] = duration_s(random), gaps[i] = gap_s(random);

  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> heap;
  for (std::uint32_t slot = 0; slot < pending; ++slot) heap.push({gaps[slot % draws], slot, true});
  const auto start = std::chrono::steady_clock::now();
  double now_s = 0;
  for (std::uint64_t i = 0; i < events; ++i) {
    const Event event = heap.top();
    heap.pop();
    now_s = event.time_s;
    const double delay_s = event.is_arrival ? durations[i % draws] : gaps[i % draws];
    heap.push({now_s + delay_s, event.slot, !event.is_arrival});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"events\": %llu, \"pending\": %u, \"seconds\": %.6f, \"ns_per_event\": %.2f, \"simulated_s\": %.0f}\n",
              static_cast<unsigned long long>(events), pending, seconds, seconds * 1e9 / events, now_s);
  return 0;
}

// What the two reference event loops share (reference_event_loop.cpp, simgrid_timer_loop.cpp): their arguments, the
// random draws they make before the clock starts, and the line they print. Plain C++: no project library.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace event_loop_shape {

struct Arguments {
  std::uint64_t events = 0;
  std::uint32_t pending = 0;
};

// EVENTS PENDING from the command line; false, after saying why, when they are missing or zero.
inline bool parse(int argc, char** argv, Arguments& out) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s EVENTS PENDING\n", argv[0]);
    return false;
  }
  out.events = std::strtoull(argv[1], nullptr, 10);
  out.pending = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
  if (out.events == 0 || out.pending == 0) {
    std::fprintf(stderr, "EVENTS and PENDING must be > 0\n");
    return false;
  }
  return true;
}

// Job durations (lognormal, median 4 h, sigma 1.35, as the bench scenarios) and gaps before a slot's next arrival
// (exponential, mean 1 h), drawn before the clock starts, as fleetsim draws its workload before the engine runs.
struct Draws {
  static constexpr std::size_t kCount = 1 << 16;
  std::vector<double> durations, gaps;
  Draws() : durations(kCount), gaps(kCount) {
    std::mt19937_64 random(1);
    std::lognormal_distribution<double> duration_s(std::log(4.0 * 3600), 1.35);
    std::exponential_distribution<double> gap_s(1.0 / 3600);
    for (std::size_t i = 0; i < kCount; ++i) durations[i] = duration_s(random), gaps[i] = gap_s(random);
  }
};

inline void print(std::uint64_t events, std::uint32_t pending, double seconds, double simulated_s) {
  std::printf("{\"events\": %llu, \"pending\": %u, \"seconds\": %.6f, \"ns_per_event\": %.2f, \"simulated_s\": %.0f}\n",
              static_cast<unsigned long long>(events), pending, seconds, seconds * 1e9 / events, simulated_s);
}

}  // namespace event_loop_shape

// Constants and units shared by the power control's two files (power_control.cpp: levels, admission,
// enforcement; power_control_grid.cpp: the budget over time, grid events, rules, pauses ahead of events).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "hw/hardware.hpp"

namespace fleetsim::power_control_units {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// The control aims this far under a budget, so that the meter's floating-point sum of the same changes never reads
// above it (its own check allows a relative 1e-9).
constexpr double kAim = 1 - 1e-7;
constexpr double kBaselineWindowS = 3600;  // a grid event's baseline: the mean facility power of the hour before

// The lowest cap the control sets on `gpu`: its minimum power limit, else the lowest cap its throughput curve was
// measured at; 0 for a GPU that cannot be capped (no cap->throughput curve).
inline double floor_cap_w(const hw::GpuSpec& gpu) {
  if (gpu.cap_throughput.empty()) return 0;
  return gpu.power_cap_min_w > 0 ? gpu.power_cap_min_w : gpu.cap_throughput.x.front();
}

inline std::int64_t milliwatts(double watts) { return std::llround(watts * 1000); }

}  // namespace fleetsim::power_control_units

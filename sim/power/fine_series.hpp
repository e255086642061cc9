#pragma once
// What the fine power window recorded (sim/power/fine_window.hpp): per campus, one row per sample and the swing
// statistics without and with the mitigations. Plain data, handed to the Recorder (/fine, sim/telemetry/SCHEMA.md).
#include <string>
#include <vector>

#include "sim/power/power_swing.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// One sample: means over [time_s, time_s + interval).
struct FineSample {
  double time_s = 0;
  double it_power_w = 0;          // IT power, GPUs by phase, no mitigation
  double facility_power_w = 0;    // it_power_w x PUE: the grid's draw without mitigation
  double floored_it_power_w = 0;  // IT power with the GPU power floor
  double grid_power_w = 0;        // (floored IT power - storage discharge) x PUE: the grid's draw with both mitigations
  double storage_power_w = 0;     // rack storage, + discharging (IT side)
  double storage_energy_j = 0;    // rack storage's charge at the end of the sample
};

struct FineCampusSeries {
  std::string campus;
  std::vector<FineSample> samples;
  SwingStats unmitigated;  // facility_power_w
  SwingStats floored;      // floored IT power x PUE (the floor alone)
  SwingStats stored;       // (IT power - storage run on it) x PUE (the storage alone; not a column)
  SwingStats mitigated;    // grid_power_w (floor and storage)
  double swing_window_s = 0;  // the step period a step's swing is measured over: the largest synchronous job's (latest on ties)
  int racks = 0;              // racks with storage (clusters commissioned by the window's start)
  double storage_capacity_j = 0, storage_power_w = 0;
  int jobs_seen = 0;          // runs that drew power in the window
};

struct FineWindowRecord {
  FineWindowConfig window;
  PowerSmoothingConfig smoothing;
  std::vector<FineCampusSeries> campuses;  // in the scenario's order
};

}  // namespace fleetsim

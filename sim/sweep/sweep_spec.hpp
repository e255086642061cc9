#pragma once
// A sweep file (SWEEP.toml): a base scenario and the parameters to vary over it, as --set keys.
//
//   [sweep]   name, scenario (path relative to the sweep file), seeds = [..] or replicas = N, set = ["k=v"],
//             point_timeout = "2h"
//   [grid]    KEY = [values]            every combination (cartesian product)
//   [zip]     KEY = [values]            varied together; all lists the same length
//   [sample]  method = "lhs"|"random", points = N, seed = S, and [sample.ranges] KEY = [low, high] or
//             { min, max, integer = false, log = false }
//   [slurm]   partition, account, time, mem, cpus_per_task, throttle, points_per_task, modules, setup,
//             sbatch (extra #SBATCH options), poll
// Keys are --set keys (campus.paris.pue); written quoted ("campus.paris.pue") or as TOML dotted keys.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleetsim {

// One value of a parameter: the text given to --set (TOML: 1.5, 20, "fifo") and how it is shown.
struct ParameterValue {
  std::string set_text;   // TOML value text for --set KEY=<set_text>
  std::string display;    // plain text for tables and the index (fifo, 20, 1.5)
  std::optional<double> number;  // the value when it is a number
};

enum class ParameterGroup { grid, zip, sample };

struct SampleRange {
  double low = 0, high = 0;
  bool integer = false;
  bool log = false;
};

struct SweepParameter {
  std::string key;        // --set key
  int line = 0;           // where the sweep file names it
  ParameterGroup group = ParameterGroup::grid;
  std::vector<ParameterValue> values;  // grid, zip
  SampleRange range;                   // sample
};

struct SlurmOptions {
  std::string partition, account;
  std::string time = "01:00:00";   // per array task, SLURM format
  std::string mem = "4G";          // per array task
  int cpus_per_task = 1;
  int throttle = 0;                // max array tasks at once (the %N of --array); 0 = no limit
  int points_per_task = 1;         // points run one after the other by each array task
  std::vector<std::string> modules;   // `module load` lines
  std::vector<std::string> setup;     // shell lines run before the points
  std::vector<std::string> sbatch;    // extra #SBATCH options, e.g. "--qos=short"
  double poll_s = 10;              // longest interval between two squeue calls while waiting
};

struct SweepSpec {
  std::string path;             // the sweep file as given
  std::string name;
  std::string scenario_path;    // resolved against the sweep file's directory
  std::vector<std::string> fixed_sets;       // KEY=VALUE applied to every point
  std::optional<std::vector<std::int64_t>> seeds;  // explicit seeds, else replicas from the scenario seed
  int replicas = 1;
  double point_timeout_s = 0;   // a point running longer is stopped and recorded as failed; 0 = no limit
  std::vector<SweepParameter> parameters;    // in sweep-file order
  std::string sample_method = "lhs";
  int sample_points = 0;
  std::uint64_t sample_seed = 0;
  SlurmOptions slurm;
};

// Reads and validates a sweep file (not the scenario's content). Throws InputError (FILE:LINE: key: ...).
SweepSpec load_sweep_spec(const std::string& path);

}  // namespace fleetsim

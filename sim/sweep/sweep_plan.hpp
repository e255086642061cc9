#pragma once
// The points of a sweep: every combination of its grid values, zipped lists and samples, times its seeds.
// Each point has a stable id from its parameters and seed, and is written to / read from DIR/plan.tsv.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.hpp"

namespace fleetsim {

struct PointSetting {
  std::string key;
  ParameterValue value;
};

struct SweepPoint {
  std::string id;        // "p" + 12 hex digits
  int replica = 0;
  std::int64_t seed = 0;
  std::vector<PointSetting> settings;  // one per parameter, in the plan's parameter order
};

struct SweepPlan {
  std::string name;
  std::string scenario_path;            // absolute
  std::vector<std::string> fixed_sets;  // applied to every point
  std::string base_digest;              // hash of the base scenario text and fixed sets (resume check)
  double point_timeout_s = 0;           // 0 = no limit
  std::vector<std::string> parameters;  // keys, in order
  std::vector<SweepPoint> points;
};

// The stable id of a point: FNV-1a 64 over its sorted KEY=VALUE settings and seed; independent of the
// order of parameters in the sweep file.
std::string point_id(const std::vector<PointSetting>& settings, std::int64_t seed);

// Expands `spec` into points. `scenario_seed` is the base scenario's seed (replica r runs with seed + r);
// `base_text` is the base scenario's file content (for the digest). Points with equal ids (an integer
// sample drawn twice) are kept once.
SweepPlan expand_sweep(const SweepSpec& spec, std::uint64_t scenario_seed, const std::string& base_text);

// --set arguments of a point: the fixed sets, then KEY=VALUE per parameter.
std::vector<std::string> point_overrides(const SweepPlan& plan, const SweepPoint& point);

// DIR/plan.tsv: `#` header lines (name, scenario, digest, fixed sets), a column header, one row per point.
void write_plan(const SweepPlan& plan, const std::string& path);
// Throws InputError naming the file when it is not a plan.
SweepPlan read_plan(const std::string& path);

}  // namespace fleetsim

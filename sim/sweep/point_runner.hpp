#pragma once
// Runs sweep points as child processes (`fleetsim run ...`), at most `parallel` at once. Each point's
// output goes to logs/<id>.log; a point that fails gets an error record (exit code and its error line).
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/sweep_directory.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace fleetsim {

// The fleetsim executable running now (/proc/self/exe), to start points with.
std::string current_executable();

// The `fleetsim run` arguments of a point (without the executable).
std::vector<std::string> point_command(const SweepPlan& plan, const SweepPoint& point, const SweepDirectory& directory);

struct PointRunOptions {
  std::string executable;  // fleetsim
  int parallel = 1;
  std::function<void(const SweepPoint&, PointStatus)> on_finished;  // called in the parent, in finish order
};

// Runs `points` and returns how many failed. Never throws for a failing point; throws std::runtime_error
// when a process cannot be started at all.
std::size_t run_points(const SweepPlan& plan, const std::vector<const SweepPoint*>& points,
                       const SweepDirectory& directory, const PointRunOptions& options);

}  // namespace fleetsim

#pragma once
// Runs sweep points as child processes (`fleetsim run ...`), at most `parallel` at once. Each point's
// output goes to logs/<id>.log; a point that fails gets an error record (exit code and its error line).
// A point runs only under its lock (points/<id>.lock, FileLock), which its process inherits: a point another
// process still runs (the orphan of a killed sweep, a SLURM task) is neither started again nor has its temporary
// files removed; run_points waits for it and takes its result (or runs it, if it ended without one). A point's
// process dies with the process that started it (PR_SET_PDEATHSIG), and every one started is waited for.
#include <csignal>
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
  std::string executable;  // fleetsim, exec'd in the forked child when `in_process` is not set
  // When set, each point runs in a forked child that calls in_process(arguments) and exits with its result:
  // no exec, so the child skips loading fleetsim's ~60 shared libraries again (≈ 60 ms of a 0.2 s point).
  // The parent must not have started threads or an engine.
  std::function<int(std::vector<std::string>)> in_process;
  int parallel = 1;
  double timeout_s = 0;  // a point running longer gets SIGTERM (SIGKILL 5 s later) and an error record; 0 = none
  // Set (by a signal handler) to stop: no new point starts, running ones get SIGTERM, and those it stops are
  // left pending (no error record), to run again when the sweep is resumed.
  const volatile std::sig_atomic_t* stop = nullptr;
  std::function<void(const SweepPoint&, PointStatus)> on_finished;  // called in the parent, in finish order
};

// Runs `points` and returns how many failed. A point found done (or failed since this call began) when its lock
// is taken is not run again. Never throws for a failing point; throws std::runtime_error when a process cannot
// be started at all.
std::size_t run_points(const SweepPlan& plan, const std::vector<const SweepPoint*>& points,
                       const SweepDirectory& directory, const PointRunOptions& options);

}  // namespace fleetsim

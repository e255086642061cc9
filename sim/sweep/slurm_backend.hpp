#pragma once
// The SLURM backend: pending points go to one job array (sbatch), whose tasks each run `fleetsim sweep
// run-task` on their share of the points; the submitter can wait, showing progress from the point files
// and squeue.
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/point_runner.hpp"
#include "sim/sweep/sweep_directory.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace fleetsim {

struct SlurmBatch {
  std::string tasks_file;    // one line per array task: the point ids it runs
  std::string script_file;   // the sbatch script
  std::string script;        // its text
  std::size_t tasks = 0;
  std::vector<std::string> point_ids;
};

// Groups `points` into array tasks of options.points_per_task and writes the task list and script under
// DIR/slurm/ (batch-<n>.*). Pure apart from writing those two files when `write` is true.
SlurmBatch prepare_slurm_batch(const SweepPlan& plan, const std::vector<const SweepPoint*>& points,
                               const SweepDirectory& directory, const SlurmOptions& options,
                               const std::string& executable, bool write);

// Submits the batch with `sbatch --parsable`; returns the job id (also appended to DIR/slurm/jobs).
// Throws std::runtime_error with sbatch's message on failure.
std::string submit_slurm_batch(const SlurmBatch& batch, const SweepDirectory& directory);

struct SlurmProgress {
  std::size_t done = 0, failed = 0, pending = 0;  // of the batch's points, from the point files
  std::size_t tasks_running = 0, tasks_queued = 0;  // from squeue
};

// Waits until every point of the batch has a result or an error record, or the job has left the queue;
// points left without either get an error record. Polls the point files every 0.25 s (less often for
// batches over 4,000 points) and squeue at growing intervals up to `poll_s`.
// Returns early, leaving the points as they are, when `stop` becomes set (the job goes on running).
SlurmProgress wait_for_slurm_batch(const SlurmBatch& batch, const std::string& job_id, const SweepDirectory& directory,
                                   double poll_s, const std::function<void(const SlurmProgress&)>& on_progress,
                                   const volatile std::sig_atomic_t* stop = nullptr);

// `fleetsim sweep run-task`: runs the points on line `task` of `tasks_file` one after the other
// (or `parallel` at a time). Returns the number of failed points.
std::size_t run_slurm_task(const SweepDirectory& directory, const std::string& tasks_file, std::size_t task,
                           const PointRunOptions& options);

// Single-quoted for the shell.
std::string shell_quote(const std::string& text);

}  // namespace fleetsim

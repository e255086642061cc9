// The SLURM batch script and task lists (no SLURM needed: the end-to-end test with real daemons is
// tests/python/test_sweep_slurm.py).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/sweep/slurm_backend.hpp"

using namespace fleetsim;
namespace fs = std::filesystem;

namespace {
SweepPlan plan_of(std::size_t points) {
  SweepPlan plan;
  plan.name = "caps";
  plan.scenario_path = "/abs/base.toml";
  plan.parameters = {"x"};
  for (std::size_t i = 0; i < points; ++i) {
    const ParameterValue value{std::to_string(i), std::to_string(i), static_cast<double>(i)};
    plan.points.push_back({"p" + std::to_string(100 + i), 0, 1, {{"x", value}}});
  }
  return plan;
}

std::vector<const SweepPoint*> all(const SweepPlan& plan) {
  std::vector<const SweepPoint*> points;
  for (const SweepPoint& point : plan.points) points.push_back(&point);
  return points;
}
}  // namespace

TEST_CASE("the batch script asks for one array task per group of points, with the sweep's SLURM options") {
  const SweepPlan plan = plan_of(10);
  SlurmOptions options;
  options.partition = "cpu";
  options.account = "proj42";
  options.time = "0-00:30:00";
  options.mem = "2G";
  options.cpus_per_task = 2;
  options.throttle = 3;
  options.points_per_task = 4;
  options.modules = {"hdf5/1.10"};
  options.setup = {"export OMP_NUM_THREADS=1"};
  options.sbatch = {"--qos=short"};
  const SweepDirectory directory("/scratch/sweeps/caps");
  const SlurmBatch batch = prepare_slurm_batch(plan, all(plan), directory, options, "/opt/fleetsim", false);
  CHECK(batch.tasks == 3);  // ceil(10 / 4)
  CHECK(batch.point_ids.size() == 10);
  const std::string& script = batch.script;
  CHECK(script.rfind("#!/bin/bash\n", 0) == 0);
  for (const char* line : {"#SBATCH --job-name=fleetsim-caps\n", "#SBATCH --array=0-2%3\n",
                           "#SBATCH --output=/scratch/sweeps/caps/slurm/batch-1_%A_%a.out\n",
                           "#SBATCH --time=0-00:30:00\n", "#SBATCH --mem=2G\n", "#SBATCH --cpus-per-task=2\n",
                           "#SBATCH --partition=cpu\n", "#SBATCH --account=proj42\n", "#SBATCH --qos=short\n",
                           "module load hdf5/1.10\n", "export OMP_NUM_THREADS=1\n",
                           "exec '/opt/fleetsim' sweep run-task '/scratch/sweeps/caps' --tasks "
                           "'/scratch/sweeps/caps/slurm/batch-1.tasks' --task \"$SLURM_ARRAY_TASK_ID\" --parallel 2\n"})
    CHECK(script.find(line) != std::string::npos);
  // #SBATCH lines must come before the first command, or sbatch ignores them.
  CHECK(script.rfind("#SBATCH") < script.find("module load"));
}

TEST_CASE("points are dealt to tasks round-robin and the task list is written") {
  const fs::path root = fs::temp_directory_path() / "fleetsim-slurm-batch-test";
  fs::remove_all(root);
  const SweepDirectory directory(root.string());
  directory.create();
  const SweepPlan plan = plan_of(7);
  SlurmOptions options;
  options.points_per_task = 3;
  const SlurmBatch batch = prepare_slurm_batch(plan, all(plan), directory, options, "/bin/fleetsim", true);
  CHECK(batch.tasks == 3);
  CHECK(batch.script.find("#SBATCH --array=0-2\n") != std::string::npos);  // no throttle
  std::ifstream in(batch.tasks_file);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "p100 p103 p106\np101 p104\np102 p105\n");
  CHECK(fs::is_regular_file(batch.script_file));
  // A second batch in the same directory gets the next number.
  const SlurmBatch second = prepare_slurm_batch(plan, all(plan), directory, options, "/bin/fleetsim", true);
  CHECK(second.tasks_file == directory.slurm_dir() + "/batch-2.tasks");
}

TEST_CASE("shell quoting survives single quotes") {
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
}

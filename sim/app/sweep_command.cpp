// fleetsim sweep: run the points of a sweep file locally or on SLURM, and index their results.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "sim/core/input_file.hpp"
#include "sim/app/commands.hpp"
#include "sim/app/scenario_input.hpp"
#include "sim/sweep/atomic_text_file.hpp"
#include "sim/sweep/file_lock.hpp"
#include "sim/sweep/point_runner.hpp"
#include "sim/sweep/slurm_backend.hpp"
#include "sim/sweep/sweep_index.hpp"
#include "sim/telemetry/hdf5_sweep_index.hpp"

namespace fleetsim {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr int kExitInterrupted = 130;

// Set by SIGINT/SIGTERM while points run or the sweep waits for SLURM: stop starting points, stop the running
// ones (they stay pending), index what is done.
volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

// Installs the stop handler without SA_RESTART, so a blocking waitpid returns and the flag is seen.
void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

constexpr const char* kUsage =
    "usage: fleetsim sweep SWEEP.toml [--backend local|slurm] [--jobs N] [-o DIR] [--dry-run] [--no-wait] [--quiet]\n"
    "       fleetsim sweep collect DIR        rebuild DIR/sweep.h5 from the point files\n"
    "       fleetsim sweep run-task DIR --tasks FILE --task I [--parallel N]   (what a SLURM array task runs)";

std::string read_file(const std::string& path) { return read_small_file(path, kMaxTextFileBytes, "a text file"); }

// Where in the sweep file an error about scenario key `key` belongs: the parameter that sets it.
const SweepParameter* parameter_for(const SweepSpec& spec, const std::string& key) {
  const SweepParameter* best = nullptr;
  for (const SweepParameter& parameter : spec.parameters)
    if (key == parameter.key || key.rfind(parameter.key + ".", 0) == 0 || parameter.key.rfind(key + ".", 0) == 0)
      if (!best || parameter.key.size() > best->key.size()) best = &parameter;
  return best;
}

const char* group_name(ParameterGroup group) {
  return group == ParameterGroup::grid ? "grid" : group == ParameterGroup::zip ? "zip" : "sample.ranges";
}

std::string describe_point(const SweepPoint& point) {
  std::string text = point.id + " (seed " + std::to_string(point.seed);
  for (const PointSetting& setting : point.settings) text += ", " + setting.key + "=" + setting.value.display;
  return text + ")";
}

// Loads every point's scenario that brings a value not checked yet, and reports the first invalid one against
// the sweep file. Every value of a grid or zip parameter is checked; of a sampled parameter, its lowest and
// highest sampled values (a range is valid when its ends are), so a 10,000-point sample loads a few scenarios.
void validate_points(const SweepSpec& spec, const SweepPlan& plan) {
  std::map<std::string, std::pair<double, double>> sampled_ends;  // key -> lowest, highest sampled value
  for (const SweepParameter& parameter : spec.parameters)
    if (parameter.group == ParameterGroup::sample) sampled_ends[parameter.key] = {INFINITY, -INFINITY};
  for (const SweepPoint& point : plan.points)
    for (const PointSetting& setting : point.settings)
      if (auto ends = sampled_ends.find(setting.key); ends != sampled_ends.end() && setting.value.number) {
        ends->second.first = std::min(ends->second.first, *setting.value.number);
        ends->second.second = std::max(ends->second.second, *setting.value.number);
      }
  std::set<std::string> checked_values;
  bool first = true;  // the first point is always checked (a sweep may have no parameters)
  for (const SweepPoint& point : plan.points) {
    std::vector<std::string> new_keys;
    for (const PointSetting& setting : point.settings) {
      if (auto ends = sampled_ends.find(setting.key); ends != sampled_ends.end() && setting.value.number &&
          *setting.value.number != ends->second.first && *setting.value.number != ends->second.second)
        continue;
      if (checked_values.insert(setting.key + "=" + setting.value.set_text).second) new_keys.push_back(setting.key);
    }
    if (new_keys.empty() && !first) continue;
    first = false;
    try {
      load_scenario({plan.scenario_path, point_overrides(plan, point), static_cast<std::uint64_t>(point.seed)});
    } catch (const InputError& error) {
      // The parameter the error names; else, when the point brings one new value, that value's parameter.
      const SweepParameter* parameter = parameter_for(spec, error.key());
      if (!parameter && new_keys.size() == 1) parameter = parameter_for(spec, new_keys.front());
      const std::string key = parameter ? std::string(group_name(parameter->group)) + "." + parameter->key : "sweep";
      throw InputError({spec.path, parameter ? parameter->line : 0}, key,
                       "point " + describe_point(point) + " is not a valid scenario: " + error.what());
    }
  }
}

// One status line, redrawn on a terminal; on a pipe, printed at every tenth of the way.
class SweepProgress {
 public:
  SweepProgress(std::size_t total, bool quiet) : total_(total), quiet_(quiet), tty_(isatty(STDERR_FILENO)) {}
  void show(std::size_t done, std::size_t failed, const std::string& extra) {
    if (quiet_ || total_ == 0) return;
    const std::size_t finished = done + failed;
    if (tty_) {
      std::fprintf(stderr, "\r%zu/%zu points: %zu done, %zu failed%s   ", finished, total_, done, failed, extra.c_str());
      drawn_ = true;
    } else if (finished * 10 / total_ > last_tenth_ || finished == total_) {
      if (finished == last_printed_) return;
      last_tenth_ = finished * 10 / total_;
      last_printed_ = finished;
      std::fprintf(stderr, "%zu/%zu points: %zu done, %zu failed%s\n", finished, total_, done, failed, extra.c_str());
    }
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
  }

 private:
  std::size_t total_;
  bool quiet_, tty_, drawn_ = false;
  std::size_t last_tenth_ = 0, last_printed_ = static_cast<std::size_t>(-1);
};

// `-o DIR` must be a directory, or a path where one can be created; bad input (exit 2) otherwise, found before
// anything is created.
void check_sweep_directory(const SweepDirectory& directory) {
  std::error_code ignored;
  fs::path existing = directory.root();
  while (!fs::exists(fs::symlink_status(existing, ignored)) && existing.has_parent_path() &&
         existing.parent_path() != existing)
    existing = existing.parent_path();
  if (!fs::is_directory(existing, ignored))
    throw InputError({"--output", 0}, "-o",
                     existing == fs::path(directory.root()) ? "exists and is not a directory"
                                                  : existing.string() + " is not a directory",
                     directory.root());
  if (access(existing.c_str(), W_OK) != 0)
    throw InputError({"--output", 0}, "-o", existing.string() + " is not writable", directory.root());
  // A folder name longer than the file system allows (ENAMETOOLONG) would only fail when the sweep creates it.
  const long name_max = pathconf(existing.c_str(), _PC_NAME_MAX);
  for (const fs::path& part : fs::path(directory.root()))
    if (name_max > 0 && part.string().size() > static_cast<std::size_t>(name_max))
      throw InputError({"--output", 0}, "-o",
                       "a folder name is too long (" + std::to_string(part.string().size()) + " bytes; at most " +
                           std::to_string(name_max) + ")",
                       directory.root());
  for (const std::string& file : {directory.index(), directory.plan(), directory.sweep_file()})
    if (fs::exists(fs::symlink_status(file, ignored)) && !fs::is_regular_file(fs::symlink_status(file, ignored)))
      throw InputError({"--output", 0}, "-o", file + " exists and is not a regular file (it is never replaced)",
                       directory.root());
}

// The directory's lock, or bad input (exit 2: the user must wait or choose another directory) naming the
// process that holds it.
FileLock lock_sweep_directory(const SweepDirectory& directory) {
  pid_t holder = 0;
  std::optional<FileLock> lock = FileLock::try_acquire(directory.lock(), &holder);
  if (!lock)
    throw InputError({"--output", 0}, "-o",
                     "another fleetsim sweep" + (holder > 0 ? " (pid " + std::to_string(holder) + ")" : std::string()) +
                         " is using this directory; wait for it to end or choose another directory",
                     directory.root());
  return std::move(*lock);
}

int report(const SweepPlan& plan, const SweepDirectory& directory, const SweepIndexTable& index) {
  std::printf("sweep %s: %lld points: %lld done, %lld failed, %lld pending; index %s\n", plan.name.c_str(),
              static_cast<long long>(index.points), static_cast<long long>(index.done),
              static_cast<long long>(index.failed), static_cast<long long>(index.pending), directory.index().c_str());
  int shown = 0;
  for (const SweepPoint& point : plan.points) {
    if (directory.status(point.id) != PointStatus::failed) continue;
    if (shown++ == 5) {
      std::printf("  ... (all errors: the error column of sweep.h5)\n");
      break;
    }
    const auto error = directory.read_error(point.id);
    std::printf("  failed %s: %s\n", describe_point(point).c_str(), error ? error->message.c_str() : "");
  }
  return index.failed > 0 ? kExitInternalError : kExitOk;
}

int collect(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: fleetsim sweep collect DIR\n  rebuilds DIR/sweep.h5 from DIR/plan.tsv and the point files\n";
    return args.size() == 1 ? kExitOk : kExitBadInput;
  }
  const SweepDirectory directory(fs::absolute(args[0]).lexically_normal().string());
  const SweepPlan plan = read_plan(directory.plan());
  const FileLock lock = lock_sweep_directory(directory);
  directory.remove_stale_index_temporaries();
  return report(plan, directory, write_index(plan, directory));
}

int run_task(const std::vector<std::string>& args) {
  po::options_description options("fleetsim sweep run-task options");
  options.add_options()("help,h", "show this help")
      ("dir", po::value<std::string>()->required(), "sweep directory")
      ("tasks", po::value<std::string>()->required(), "task list (one line of point ids per task)")
      ("task", po::value<std::size_t>()->required(), "0-based task index ($SLURM_ARRAY_TASK_ID)")
      ("parallel", po::value<int>()->default_value(1), "points run at once");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map values;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
  if (values.count("help")) {
    std::cout << "usage: fleetsim sweep run-task DIR --tasks FILE --task I [--parallel N]\n";
    return kExitOk;
  }
  po::notify(values);
  PointRunOptions run_options;
  run_options.executable = current_executable();
  run_options.in_process = run_cli;
  run_options.parallel = values["parallel"].as<int>();
  run_options.stop = &g_stop;  // SLURM's SIGTERM (time limit, scancel) stops the points; they stay pending
  catch_stop_signals();
  const std::size_t failed = run_slurm_task(SweepDirectory(values["dir"].as<std::string>()),
                                            values["tasks"].as<std::string>(), values["task"].as<std::size_t>(),
                                            run_options);
  return failed > 0 ? kExitInternalError : kExitOk;
}

void print_plan(const SweepPlan& plan, const SweepDirectory& directory) {
  std::printf("sweep %s: %zu points over %s\n", plan.name.c_str(), plan.points.size(), plan.scenario_path.c_str());
  std::printf("%-14s %-8s %-8s", "id", "status", "seed");
  for (const std::string& key : plan.parameters) std::printf(" %s", key.c_str());
  std::printf("\n");
  for (const SweepPoint& point : plan.points) {
    std::printf("%-14s %-8s %-8lld", point.id.c_str(), to_string(directory.status(point.id)),
                static_cast<long long>(point.seed));
    for (const PointSetting& setting : point.settings) std::printf(" %s", setting.value.display.c_str());
    std::printf("\n");
  }
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "collect") return collect({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "run-task") return run_task({args.begin() + 1, args.end()});

  po::options_description options("fleetsim sweep options");
  options.add_options()
      ("backend", po::value<std::string>()->default_value("local"), "where points run: local (processes here) or slurm (one job array)")
      ("jobs,j", po::value<int>()->value_name("N"), "local: points run at once (default: the number of cores)")
      ("output,o", po::value<std::string>()->value_name("DIR"), "sweep directory (default results/sweeps/<name>)")
      ("dry-run", "print the points (and the SLURM script) without running anything")
      ("no-wait", "slurm: submit and return; `fleetsim sweep collect DIR` indexes the results later")
      ("quiet,q", "no progress line");
  po::variables_map values;
  if (!parse_command_line(args, kUsage, options, values)) return kExitOk;
  const std::string backend = values["backend"].as<std::string>();
  if (backend != "local" && backend != "slurm")
    throw InputError({"--backend", 0}, "--backend", "unknown backend (known: local, slurm)", backend);
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (values.count("jobs")) {
    jobs = values["jobs"].as<int>();
    if (jobs < 1) throw InputError({"--jobs", 0}, "--jobs", "must be >= 1", std::to_string(jobs));
  }
  const bool quiet = values.count("quiet") > 0;

  const SweepSpec spec = load_sweep_spec(values["scenario"].as<std::string>());
  Scenario base;
  try {
    base = load_scenario({spec.scenario_path, spec.fixed_sets, std::nullopt});
  } catch (const InputError& error) {
    throw InputError({spec.path, 0}, "sweep.scenario", std::string("the base scenario is not valid: ") + error.what());
  }
  SweepPlan plan = expand_sweep(spec, base.simulation.seed, read_file(spec.scenario_path));
  plan.scenario_path = fs::absolute(plan.scenario_path).lexically_normal().string();
  validate_points(spec, plan);

  const std::string root = values.count("output") ? values["output"].as<std::string>() : "results/sweeps/" + spec.name;
  const SweepDirectory directory(fs::absolute(root).lexically_normal().string());
  check_sweep_directory(directory);
  const bool dry_run = values.count("dry-run") > 0;
  // Held until the sweep ends: a second sweep (or `sweep collect`) on this directory is refused.
  std::optional<FileLock> lock;
  if (!dry_run) {
    directory.create();
    lock = lock_sweep_directory(directory);
    directory.remove_stale_index_temporaries();  // left by a killed sweep; every index writer holds the lock
  }
  if (fs::exists(directory.plan())) {
    const SweepPlan previous = read_plan(directory.plan());
    if (previous.base_digest != plan.base_digest || previous.scenario_path != plan.scenario_path)
      throw InputError({"--output", 0}, "-o",
                       "this directory holds points of another base scenario (or it or the sweep's fixed `set` "
                       "changed since); use a new directory or remove it",
                       directory.root());
  }
  // A done point whose result cannot be read (a copy cut short, a damaged disk) runs again; the damaged file is
  // kept aside as <id>.h5.corrupt. Checked once here, not at every poll of a running sweep.
  std::vector<const SweepPoint*> todo;
  for (const SweepPoint& point : plan.points) {
    if (directory.status(point.id) != PointStatus::done) {
      todo.push_back(&point);
      continue;
    }
    try {
      read_point_summary(directory.result(point.id));
      if (!dry_run) directory.remove_stale_lock(point.id);  // a sweep killed as the point ended left it
    } catch (const std::runtime_error&) {
      if (!dry_run) fs::rename(directory.result(point.id), directory.result(point.id) + ".corrupt");
      todo.push_back(&point);
    }
  }
  const std::string executable = current_executable();

  if (dry_run) {
    print_plan(plan, directory);
    std::printf("%zu of %zu points to run (%s backend)\n", todo.size(), plan.points.size(), backend.c_str());
    if (backend == "slurm") {
      std::printf("--- batch script ---\n%s", prepare_slurm_batch(plan, todo, directory, spec.slurm, executable, false).script.c_str());
    } else if (!todo.empty()) {
      std::printf("first point, as a command (points run in forked children of the sweep, same result): %s", executable.c_str());
      for (const std::string& arg : point_command(plan, *todo.front(), directory))
        std::printf(" %s", shell_quote(arg).c_str());
      std::printf("\n");
    }
    return kExitOk;
  }

  write_text_atomically(directory.sweep_file(), read_file(spec.path));
  write_plan(plan, directory.plan());
  if (!quiet)
    std::printf("sweep %s: %zu points, %zu to run (%zu done before), %s backend, in %s\n", plan.name.c_str(),
                plan.points.size(), todo.size(), plan.points.size() - todo.size(), backend.c_str(),
                directory.root().c_str());
  std::fflush(stdout);

  SweepProgress progress(todo.size(), quiet);
  catch_stop_signals();
  std::string stopped_note;
  if (backend == "local") {
    std::size_t done = 0, failed = 0;
    PointRunOptions run_options;
    run_options.executable = executable;
    run_options.in_process = run_cli;
    run_options.parallel = jobs;
    run_options.timeout_s = plan.point_timeout_s;
    run_options.stop = &g_stop;
    run_options.on_finished = [&](const SweepPoint&, PointStatus status) {
      (status == PointStatus::done ? done : failed)++;
      progress.show(done, failed, "");
    };
    run_points(plan, todo, directory, run_options);
    if (g_stop) stopped_note = "interrupted: the points it stopped are pending; run the sweep again to resume";
  } else if (!todo.empty()) {
    const SlurmBatch batch = prepare_slurm_batch(plan, todo, directory, spec.slurm, executable, true);
    const std::string job_id = submit_slurm_batch(batch, directory);
    if (!quiet) std::printf("submitted SLURM job array %s (%zu tasks): %s\n", job_id.c_str(), batch.tasks, batch.script_file.c_str());
    std::fflush(stdout);
    if (values.count("no-wait")) {
      write_index(plan, directory);
      std::printf("not waiting: `fleetsim sweep collect %s` indexes the results when the job is done\n",
                  directory.root().c_str());
      return kExitOk;
    }
    wait_for_slurm_batch(batch, job_id, directory, spec.slurm.poll_s, [&](const SlurmProgress& p) {
      progress.show(p.done, p.failed,
                    ", " + std::to_string(p.tasks_running) + " tasks running, " + std::to_string(p.tasks_queued) + " queued");
    }, &g_stop);
    if (g_stop)
      stopped_note = "stopped waiting: SLURM job " + job_id + " runs on (`scancel " + job_id + "` stops it); `fleetsim "
                     "sweep collect " + directory.root() + "` indexes its results later";
  }
  progress.finish();
  const int status = report(plan, directory, write_index(plan, directory));
  if (stopped_note.empty()) return status;
  std::printf("%s\n", stopped_note.c_str());
  return kExitInterrupted;
}

}  // namespace fleetsim

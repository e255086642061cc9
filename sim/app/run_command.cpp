#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <future>
#include <iostream>

#include "sim/app/commands.hpp"
#include "sim/app/progress_bar.hpp"
#include "sim/app/scenario_input.hpp"
#include "sim/core/civil_time.hpp"
#include "sim/core/version.hpp"
#include "sim/engine/fleet_simulation.hpp"
#include "sim/telemetry/campus_description.hpp"
#include "sim/telemetry/hdf5_sink.hpp"
#include "sim/workload/job_list.hpp"

namespace fleetsim {

namespace po = boost::program_options;

namespace {
// The temporary output file, removed if the run is interrupted (SIGINT/SIGTERM) while it exists.
char g_temporary_path[4096] = {0};

extern "C" void on_interrupt(int signal_number) {
  if (g_temporary_path[0] != '\0') unlink(g_temporary_path);  // async-signal-safe
  _exit(128 + signal_number);
}

void check_output_path(const std::string& path, const std::string& scenario_path) {
  namespace fs = std::filesystem;
  if (path.empty()) throw InputError({"--output", 0}, "-o", "must name a file", "\"\"");
  std::error_code error;
  const fs::file_status status = fs::symlink_status(path, error);
  if (fs::exists(status)) {
    // Only a regular file is ever replaced: never a device (-o /dev/null), a directory or what a link points to.
    if (fs::is_directory(status)) throw InputError({"--output", 0}, "-o", "is a directory", path);
    if (!fs::is_regular_file(status))
      throw InputError({"--output", 0}, "-o", "exists and is not a regular file (it is never replaced)", path);
    if (fs::equivalent(path, scenario_path, error))
      throw InputError({"--output", 0}, "-o", "is the scenario file itself", path);
  }
  const fs::path parent = fs::absolute(path).parent_path();
  // With an error_code: a name too long for the file system (ENAMETOOLONG) is bad input, not an exception.
  std::error_code parent_error;
  if (!fs::is_directory(parent, parent_error)) {
    if (parent_error && parent_error != std::errc::no_such_file_or_directory)
      throw InputError({"--output", 0}, "-o", "directory cannot be used: " + parent_error.message(), parent.string());
    throw InputError({"--output", 0}, "-o", "directory does not exist", parent.string());
  }
  if (access(parent.c_str(), W_OK) != 0)
    throw InputError({"--output", 0}, "-o", "directory is not writable", parent.string());
  if (temporary_path(path).size() >= sizeof g_temporary_path)
    throw InputError({"--output", 0}, "-o", "path too long", path);
}

// Wall time of each phase of a run.
class PhaseClock {
 public:
  void lap(const char* name) {
    const auto now = std::chrono::steady_clock::now();
    phases_.emplace_back(name, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  const std::vector<std::pair<const char*, double>>& phases() const { return phases_; }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<const char*, double>> phases_;
};

void write_stats(const std::string& path, const PhaseClock& clock, const EngineStats& stats, std::size_t jobs) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (!file) throw std::runtime_error("cannot write " + path);
  std::fprintf(file, "{\n");
  double total = 0;
  for (const auto& [name, seconds] : clock.phases()) {
    // The file is written while the run records its jobs at the end: that part of simulate_s is write_s.
    const std::string phase = name;
    const double shown = phase == "simulate_s" ? seconds - stats.record_wall_s
                         : phase == "write_s"  ? seconds + stats.record_wall_s
                                               : seconds;
    std::fprintf(file, "  \"%s\": %.6f,\n", name, shown);
    total += seconds;
  }
  std::fprintf(file, "  \"total_s\": %.6f,\n  \"platform_build_s\": %.6f,\n  \"engine_run_s\": %.6f,\n", total,
               stats.platform_build_wall_s, stats.run_wall_s);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(file, "  \"events\": %llu,\n  \"jobs\": %zu,\n  \"jobs_started\": %llu,\n  \"hosts\": %zu,\n",
               static_cast<unsigned long long>(stats.events), jobs, static_cast<unsigned long long>(stats.jobs_started),
               stats.platform_hosts);
  std::fprintf(file, "  \"peak_rss_bytes\": %lld\n}\n", static_cast<long long>(usage.ru_maxrss) * 1024);
  std::fclose(file);
}

void print_summary(const Summary& summary, const std::string& path, const EngineStats& stats, std::size_t jobs) {
  std::printf("wrote %s\n", path.c_str());
  std::printf("  jobs: %llu submitted, %llu completed, %llu running, %llu queued; mean wait %.0f s, p95 %.0f s\n",
              static_cast<unsigned long long>(summary.jobs_submitted),
              static_cast<unsigned long long>(summary.jobs_completed),
              static_cast<unsigned long long>(summary.jobs_running),
              static_cast<unsigned long long>(summary.jobs_queued), summary.mean_wait_s, summary.p95_wait_s);
  std::printf("  energy: IT %.3f MWh, facility %.3f MWh, carbon %.1f t, cost %.0f EUR; GPU utilisation %.1f%%\n",
              summary.it_energy_j / 3.6e9, summary.facility_energy_j / 3.6e9, summary.carbon_kg / 1000,
              summary.energy_cost_eur, summary.gpu_utilization * 100);
  std::printf("  scheduling: mean bounded slowdown %.2f, %.1f GPUs fragmented on average\n",
              summary.mean_bounded_slowdown, summary.mean_gpus_fragmented);
  std::printf("  binding limit: %s (nameplate); %llu limit(s) exceeded by the observed peak\n",
              summary.binding_limit.c_str(), static_cast<unsigned long long>(summary.limits_exceeded));
  const double rate = stats.run_wall_s > 0 ? stats.events / stats.run_wall_s : 0;
  std::printf("  engine: %llu events in %.2f s (%.2fM events/s, %.0f jobs/s), platform %zu hosts in %.2f s\n",
              static_cast<unsigned long long>(stats.events), stats.run_wall_s, rate / 1e6,
              stats.run_wall_s > 0 ? jobs / stats.run_wall_s : 0.0, stats.platform_hosts, stats.platform_build_wall_s);
}
}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options("fleetsim run options");
  add_scenario_options(options);
  options.add_options()
      ("output,o", po::value<std::string>()->value_name("OUT.h5"), "output file (default results/<name>.h5)")
      ("quiet,q", "no progress bar and no summary")
      ("stats", po::value<std::string>()->value_name("FILE.json"),
       "write run statistics (phase wall times, events, jobs) as JSON, for benchmarks");
  po::variables_map values;
  if (!parse_command_line(args, "usage: fleetsim run SCENARIO.toml [-o OUT.h5] [--set KEY=VALUE]... [--seed N] [--quiet]",
                          options, values))
    return kExitOk;
  const bool quiet = values.count("quiet") > 0;

  PhaseClock clock;
  Scenario scenario = load_scenario(scenario_request(values));
  clock.lap("load_s");
  const std::string output =
      values.count("output") ? values["output"].as<std::string>() : "results/" + scenario.simulation.name + ".h5";
  if (!values.count("output")) std::filesystem::create_directories("results");
  check_output_path(output, scenario.path);

  const auto handle_interrupts = [] {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
  };
  handle_interrupts();

  Fleet fleet = build_fleet(scenario);
  // The job list is built on a second thread while this one builds the SimGrid platform (plain C++ there, no
  // SimGrid): at 10 GW the two take seconds each. A bad trace row is rethrown by get().
  auto job_list = std::async(std::launch::async, [&scenario] {
    std::vector<std::string> reports;
    std::vector<Job> list = build_job_list(scenario, &reports);
    return std::make_pair(std::move(list), std::move(reports));
  });
  const auto policy = make_scheduler(scenario.scheduler);
  ProgressBar progress(!quiet && isatty(STDERR_FILENO));
  EngineOptions engine_options;
  engine_options.on_engine_created = handle_interrupts;
  engine_options.on_progress = [&](const EngineProgress& p) { progress.update(p.simulated_s, p.horizon_s, p.events); };
  FleetRun run(scenario, fleet, engine_options);
  const auto [jobs, trace_reports] = job_list.get();
  clock.lap("workload_s");

  std::strcpy(g_temporary_path, temporary_path(output).c_str());
  Hdf5Recorder recorder(output);  // streams to OUTPUT.<pid>.tmp, renamed to OUTPUT at the end
  RunMeta meta{version(), git_commit(), scenario.simulation.seed, scenario.path, scenario.resolved_toml, "",
               scenario.simulation.duration_s, scenario.simulation.telemetry_interval_s, jobs.size(), trace_reports};
  if (!quiet)
    for (const std::string& line : trace_reports) std::printf("trace %s\n", line.c_str());
  recorder.begin(meta, describe_campuses(scenario, fleet));

  const EngineStats stats = run.simulate(jobs, *policy, recorder);
  progress.finish();
  clock.lap("simulate_s");

  g_temporary_path[0] = '\0';
  clock.lap("write_s");
  if (values.count("stats")) write_stats(values["stats"].as<std::string>(), clock, stats, jobs.size());
  if (!quiet) print_summary(recorder.summary(), output, stats, jobs.size());
  else std::printf("%s\n", output.c_str());
  return kExitOk;
}

}  // namespace fleetsim

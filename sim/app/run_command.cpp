#include <cmath>
#include <fcntl.h>
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
#include <thread>

#include "sim/app/commands.hpp"
#include "sim/app/huge_page_heap.hpp"
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

// Room a temporary file's suffix takes beside the output's name: ".<pid>.tmp", pid at most 7 digits (Linux's
// pid_max is at most 2^22, proc(5)), so the limit on the name does not depend on the pid.
constexpr std::size_t kTemporarySuffixBytes = 12;

// The checks before a run, for -o (and --stats): PATH names a file that can be created beside a unique
// temporary, and replaces only a regular file that is none of the scenario's inputs.
void check_output_path(const std::string& option, const std::string& path, const Scenario& scenario) {
  namespace fs = std::filesystem;
  const SourcePosition where{option == "-o" ? "--output" : option, 0};
  const auto fail = [&](const std::string& message, const std::string& got) {
    throw InputError(where, option, message, got);
  };
  if (path.empty()) fail("must name a file", "\"\"");
  if (path == "-") fail("must name a file (HDF5 cannot be written to standard output; ./- names a file called -)", path);
  std::error_code error;
  const fs::file_status status = fs::symlink_status(path, error);
  if (fs::exists(status)) {
    // Only a regular file is ever replaced: never a device (-o /dev/null), a directory or what a link points to.
    if (fs::is_directory(status)) fail("is a directory", path);
    if (!fs::is_regular_file(status)) fail("exists and is not a regular file (it is never replaced)", path);
    if (fs::equivalent(path, scenario.path, error)) fail("is the scenario file itself", path);
    for (const std::string& input : scenario.input_files)
      if (fs::equivalent(path, input, error)) fail("is an input file of the scenario (it is never replaced)", path);
  }
  if (path.back() == '/') fail("names a directory (ends in '/')", path);
  const fs::path parent = fs::absolute(path).parent_path();
  // With error codes: a name too long for the file system (ENAMETOOLONG) is bad input, not an exception.
  std::error_code parent_error;
  if (!fs::is_directory(parent, parent_error)) {
    if (parent_error && parent_error != std::errc::no_such_file_or_directory && parent_error != std::errc::not_a_directory)
      fail("directory cannot be used: " + parent_error.message(), parent.string());
    if (fs::exists(parent, parent_error)) fail("is not a directory", parent.string());
    fail("directory does not exist", parent.string());
  }
  if (access(parent.c_str(), W_OK) != 0) fail("directory is not writable", parent.string());
  const long name_max = pathconf(parent.c_str(), _PC_NAME_MAX);
  const std::size_t name_bytes = fs::path(path).filename().string().size();
  if (name_max > 0 && name_bytes + kTemporarySuffixBytes > static_cast<std::size_t>(name_max))
    fail("file name too long (" + std::to_string(name_bytes) + " bytes; at most " +
             std::to_string(name_max - static_cast<long>(kTemporarySuffixBytes)) +
             " here, leaving room for the temporary file's suffix)",
         path);
  if (temporary_path(path).size() >= sizeof g_temporary_path) fail("path too long", path);
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

// The --stats JSON, written like the result: a temporary created exclusively (never through a link), renamed.
void write_stats(const std::string& path, const PhaseClock& clock, const EngineStats& stats, std::size_t jobs) {
  const std::string temporary = temporary_path(path);
  const int descriptor = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  std::FILE* file = descriptor >= 0 ? fdopen(descriptor, "w") : nullptr;
  if (!file) throw std::runtime_error("cannot write " + temporary + ": " + std::strerror(errno));
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
  std::fprintf(file, "  \"engine_writer_wait_s\": %.6f,\n  \"engine_writer_help_s\": %.6f,\n", stats.run_recorder_wait_s,
               stats.run_recorder_help_s);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(file, "  \"events\": %llu,\n  \"jobs\": %zu,\n  \"jobs_started\": %llu,\n  \"hosts\": %zu,\n",
               static_cast<unsigned long long>(stats.events), jobs, static_cast<unsigned long long>(stats.jobs_started),
               stats.platform_hosts);
  std::fprintf(file, "  \"huge_page_heap\": %s,\n", huge_page_heap_asked() ? "true" : "false");
  std::fprintf(file, "  \"peak_rss_bytes\": %lld\n}\n", static_cast<long long>(usage.ru_maxrss) * 1024);
  const bool written = std::fflush(file) == 0 && fsync(fileno(file)) == 0;
  if (std::fclose(file) != 0 || !written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    unlink(temporary.c_str());
    throw std::runtime_error("cannot write " + path + ": " + reason);
  }
}

// What the binding limit means for a planner, and what to do about it.
std::string binding_limit_advice(const Summary& summary, bool power_enforced) {
  const std::string& limit = summary.binding_limit;
  const std::string kind = limit.substr(limit.find(':') + 1);
  const double nameplate = summary.binding_nameplate_ratio, peak = summary.binding_peak_ratio;
  char text[512];
  if (!(nameplate > 1)) {
    std::snprintf(text, sizeof text, "nameplate at %.0f%% of the limit, observed peak %.0f%%: every limit holds even at full load",
                  nameplate * 100, peak * 100);
    return text;
  }
  const char* remedy = kind == "grid"    ? "raise grid_connection_mw or install fewer nodes"
                       : kind == "cooling" ? "raise cooling_capacity_mw, or cool by liquid (cooling = \"direct-liquid\")"
                       : kind == "racks"   ? "put fewer nodes in a rack (nodes_per_rack) or raise rack_limit_kw"
                                           : "raise the limit or install less";
  std::snprintf(text, sizeof text, "nameplate %.0f%% of the limit, observed peak %.0f%%: %s; %s", nameplate * 100, peak * 100,
                remedy,
                power_enforced ? "[power] holds it by its controls meanwhile (see time_capped_s, power_stops)"
                               : "or let [power] policy = \"cap\" hold it (oversubscription)");
  return text;
}

// The run's economics in MEUR and EUR per unit of work (the parts without any work left out).
void print_economics(const Economics& economics) {
  const EconomicsYear& total = economics.total;
  std::printf("  economics: capex %.2f MEUR (nodes %.2f, facility %.2f); TCO %.2f MEUR (depreciation %.2f, energy %.2f, "
              "other opex %.2f); NPC at %.0f%%: %.2f MEUR\n",
              economics.capex_eur() / 1e6, total.capex_node_eur / 1e6, total.capex_facility_eur / 1e6,
              total.tco_eur / 1e6, total.depreciation_eur / 1e6, total.energy_cost_eur / 1e6,
              total.other_opex_eur / 1e6, economics.config.discount_rate * 100, economics.npc_eur / 1e6);
  std::string units = "    TCO per GPU-hour delivered " + std::to_string(total.eur_per_gpu_hour).substr(0, 6) + " EUR";
  if (std::isfinite(total.eur_per_million_tokens))
    units += ", per million tokens served " + std::to_string(total.eur_per_million_tokens).substr(0, 6) + " EUR";
  if (std::isfinite(total.eur_per_training_run))
    units += ", per training run " + std::to_string(total.eur_per_training_run / 1e3).substr(0, 7) + " kEUR";
  if (std::isfinite(total.eur_per_gpu_hour)) std::printf("%s\n", units.c_str());
}

// A run over several calendar years: a line per year (the whole fleet), in the units planners use.
void print_years(const std::vector<PeriodTotals>& months) {
  const std::vector<PeriodTotals> years = yearly_totals(months);
  if (years.size() < 2) return;
  std::printf("  per year: IT and facility energy, carbon, energy cost, GPU utilisation, installed IT / grid connection, jobs\n");
  for (const PeriodTotals& year : years)
    std::printf("    %d: %.1f / %.1f GWh, %.0f t, %.2f MEUR, %.1f%%, %.1f / %.1f MW, %llu jobs\n", year.year,
                year.it_energy_j / 3.6e12, year.facility_energy_j / 3.6e12, year.carbon_kg / 1000,
                year.energy_cost_eur / 1e6, year.gpu_s_installed > 0 ? 100 * year.gpu_s_busy / year.gpu_s_installed : 0.0,
                year.installed_it_w / 1e6, year.grid_connection_w / 1e6,
                static_cast<unsigned long long>(year.jobs_completed));
}

void print_summary(const Summary& summary, const std::string& path, const EngineStats& stats, std::size_t jobs,
                   bool power_enforced) {
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
  if (!summary.binding_limit.empty()) std::printf("    %s\n", binding_limit_advice(summary, power_enforced).c_str());
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

  // Interrupted at any point, the run exits with 128 + signal and leaves no temporary file (installed before the
  // scenario loads, and again once SimGrid's engine exists, since SimGrid installs its own SIGINT handler).
  const auto handle_interrupts = [] {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
  };
  handle_interrupts();
  PhaseClock clock;
  Scenario scenario = load_scenario(scenario_request(values));
  // Inference services' capacity curves, on a thread of their own while the platform and the job list are built;
  // collected before any output exists (an SLO no load meets is bad input, rethrown by get()).
  auto service_models = std::async(std::launch::async, [&scenario] { return make_service_models(scenario, 1); });
  clock.lap("load_s");
  const std::string output =
      values.count("output") ? values["output"].as<std::string>() : "results/" + scenario.simulation.name + ".h5";
  if (!values.count("output")) std::filesystem::create_directories("results");
  check_output_path("-o", output, scenario);
  if (values.count("stats")) check_output_path("--stats", values["stats"].as<std::string>(), scenario);


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
  auto [jobs, trace_reports] = job_list.get();
  const std::vector<ServiceModel> services = service_models.get();
  clock.lap("workload_s");

  std::strcpy(g_temporary_path, temporary_path(output).c_str());
  Hdf5Recorder recorder(output);  // streams to OUTPUT.<pid>.tmp, renamed to OUTPUT at the end
  RunMeta meta{version(), git_commit(), scenario.simulation.seed, scenario.path, scenario.resolved_toml, "",
               scenario.simulation.duration_s, scenario.simulation.telemetry_interval_s, jobs.size(), trace_reports};
  if (!quiet)
    for (const std::string& line : trace_reports) std::printf("trace %s\n", line.c_str());
  recorder.begin(meta, describe_campuses(scenario, fleet));

  const EngineStats stats = run.simulate(jobs, *policy, recorder, &services);
  progress.finish();
  clock.lap("simulate_s");

  g_temporary_path[0] = '\0';
  clock.lap("write_s");
  if (values.count("stats")) write_stats(values["stats"].as<std::string>(), clock, stats, jobs.size());
  if (!quiet) {
    print_summary(recorder.summary(), output, stats, jobs.size(), scenario.power.enforced());
    print_economics(recorder.run_economics());
    print_years(recorder.periods());
  } else std::printf("%s\n", output.c_str());
  return kExitOk;
}

}  // namespace fleetsim

#pragma once
// What a run records, and the interface the engine records through. Sinks: MemoryRecorder (tests, and the
// buffer the HDF5 writer reads); hdf5_sink writes a MemoryRecorder's record to a file.
#include <cstdint>
#include <string>
#include <vector>

namespace fleetsim {

struct RunMeta {
  std::string fleetsim_version;
  std::string git_commit;
  std::uint64_t seed = 0;
  std::string scenario_path;
  std::string scenario_toml;   // resolved
  std::string created_utc;     // filled in when the file is written
  double horizon_s = 0;
  double telemetry_interval_s = 0;
  std::size_t jobs = 0;        // jobs submitted before the horizon (lets sinks reserve space)
};

struct CampusInfo {
  std::string name;
  std::string country;
  double grid_connection_w = 0;
  double pue = 1;
  int gpus = 0;
  double carbon_intensity_kg_per_j = 0;
};

enum class JobState { completed, running, queued };
const char* to_string(JobState state);

struct JobRecord {
  std::uint64_t id = 0;
  std::string name;
  std::string campus;
  std::string cluster;  // empty if never started
  int gpus = 0;
  double submit_s = 0;
  double start_s = 0;   // NaN if never started
  double end_s = 0;     // NaN if not completed
  JobState state = JobState::queued;
  double energy_j = 0;
};

struct CampusSample {
  double time_s = 0;  // start of the interval
  double it_power_w = 0;
  double facility_power_w = 0;
  double gpus_busy = 0;
  double carbon_kg = 0;
};

struct CampusTotals {
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double carbon_kg = 0;
  double gpu_seconds_busy = 0;
};

struct Summary {
  std::uint64_t jobs_submitted = 0;
  std::uint64_t jobs_completed = 0;
  std::uint64_t jobs_running = 0;
  std::uint64_t jobs_queued = 0;
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double carbon_kg = 0;
  double mean_wait_s = 0;
  double p95_wait_s = 0;
  double gpu_hours_busy = 0;
  double gpu_utilization = 0;
};

class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void begin(const RunMeta& meta, const std::vector<CampusInfo>& campuses) = 0;
  virtual void sample(std::size_t campus, const CampusSample& sample) = 0;
  virtual void job(const JobRecord& record) = 0;
  virtual void finish(const std::vector<CampusTotals>& totals) = 0;
};

}  // namespace fleetsim

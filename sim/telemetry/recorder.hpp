#pragma once
// What a run records, and the interface the engine records through. Sinks: MemoryRecorder (tests, and the
// buffer the HDF5 writer reads); hdf5_sink writes a MemoryRecorder's record to a file.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/economics/economics.hpp"
#include "sim/economics/period_totals.hpp"
#include "sim/power/budget_totals.hpp"
#include "sim/power/fine_series.hpp"

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
  std::vector<std::string> workload_reports;  // one line per trace workload: rows replayed and skipped
};

// What a campus is, and what it could draw: capacities and nameplate (design-time) demand.
struct CampusInfo {
  std::string name;
  std::string country;
  int gpus = 0;
  double grid_connection_w = 0;
  double cooling_capacity_w = 0;   // 0 = not given
  std::string cooling;             // cooling model id, or empty for a constant PUE
  double pue = 0;                  // the constant PUE, or NaN with a cooling model
  std::string ambient_source;      // series id / file / "constant"
  std::string carbon_source;
  std::string price_source;
  double nameplate_it_w = 0;       // every node at full load (under its cluster's cap)
  double nameplate_facility_w = 0; // the same at the year's highest PUE
  double nameplate_rack_ratio = 0; // the fullest rack at full load / its rack limit (0 = no limit)
};

enum class JobState { completed, running, queued, failed };
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
  double gpu_power_w = 0;  // per GPU while running (after any cap)
  double power_cap_w = 0;  // NaN when uncapped
  double estimate_s = 0;   // the runtime estimate the scheduler used
  double bounded_slowdown = 0;  // completed jobs: max(1, (end - submit) / max(run, 10 s)); NaN otherwise
  int preemptions = 0;          // runs stopped by the scheduling policy
  int interruptions = 0;        // runs stopped for any reason (preemption, maintenance, failure)
  double work_lost_gpu_s = 0;   // GPU-seconds of work lost to interruptions (since the last checkpoint)
  double gpu_share = 0;         // GPUs' worth requested: gpus, or its share of one GPU when it shares one
  // Training runs (a [[job]] with a model); "", 0, NaN, NaN for other jobs.
  std::string model;
  double tokens = 0;            // tokens trained: whole steps of work kept, up to its end or the horizon
  double step_time_s = 0;       // step time on its cluster, under its power cap (last run); NaN if never started
  double mfu = 0;               // model FLOP/s per GPU / the GPU's dense peak at the plan's precision, at step_time_s
  double training_flops = 0;    // model FLOPs of the tokens trained (not a column: /summary training_flops)
  // Dispatchable jobs (issue 15): the campus it would run on without dispatch ("" for other jobs), the times it was
  // moved to another campus's queue while waiting, and its dataset's transfers (seconds under way, bytes).
  std::string home_campus;
  int moves = 0;
  double transfer_s = 0;
  double data_moved_bytes = 0;
};

// One component failure ([reliability]): /failures.
struct FailureRecord {
  double time_s = 0;
  std::string campus, cluster;
  int node = 0;              // index within its cluster (the first of a rack's)
  int nodes = 1;             // servers it took down (a rack's for a switch or PDU failure)
  std::string cause;         // failure class (gpu, hbm, software, network, ...)
  int jobs_hit = 0;          // runs it stopped
  double gpu_hours_lost = 0; // their work since the last checkpoint, in GPU-hours
};

struct CampusSample {
  double time_s = 0;  // start of the interval
  double it_power_w = 0;
  double facility_power_w = 0;
  double gpus_busy = 0;
  double carbon_kg = 0;  // cumulative
  double ambient_c = 0;
  double pue = 0;
  double carbon_g_per_kwh = 0;
  double price_eur_per_mwh = 0;
  double cost_eur = 0;   // cumulative
  double gpus_fragmented = 0;
};

struct CampusTotals {
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double carbon_kg = 0;
  double gpu_seconds_busy = 0;
  double cost_eur = 0;
  double peak_it_w = 0;
  double peak_facility_w = 0;
  double peak_rack_ratio = 0;  // highest rack power seen / its rack limit (0 = no limit)
  double gpu_seconds_fragmented = 0;
  double gpu_seconds_installed = 0;  // GPUs of commissioned clusters, integrated over the run
  PowerBudgetTotals power{};         // power budgets ([power], sim/power/power_control.hpp)
};

// One limit of one campus: what it allows, what the installed hardware could demand, what was drawn.
struct LimitCheck {
  std::string campus;
  std::string limit;        // grid, cooling, racks
  double capacity_w = 0;    // for racks: NaN (ratios are per cluster)
  double nameplate_w = 0;
  double peak_w = 0;
  double nameplate_ratio = 0;
  double peak_ratio = 0;
  bool binding = false;     // the campus's limit with the highest nameplate ratio
};

// An inference service ([[service]], issue 13): what it runs and its replica's capacity (sim/serving).
struct ServiceInfo {
  std::string name, campus, model, node, precision;
  int tp = 1, pp = 1, gpus_per_replica = 1, min_replicas = 0, max_replicas = 0, priority = 0;
  double slo_ttft_s = 0, slo_tpot_s = 0, slo_percentile = 0;
  double capacity_rps = 0;    // requests/s one replica carries within the SLO (its capacity curve)
  int capacity_pool_replicas = 1;  // the pool the pooled capacity was measured on
  double pool_capacity_rps = 0;    // requests/s per replica such a pool carries within the SLO
  double saturation_rps = 0;  // requests/s one replica completes with every request queued
  double load_time_s = 0;     // a new replica's start
};

// One telemetry interval of a service: means over the interval.
struct ServiceSample {
  double time_s = 0;               // start of the interval
  double requests_per_s = 0;       // demand (arrivals)
  double input_tokens_per_s = 0;   // prompt tokens of the requests served
  double output_tokens_per_s = 0;  // output tokens of the requests served
  double replicas = 0;             // replicas serving (loaded)
  double gpus = 0;                 // GPUs held (serving and loading replicas, whole nodes)
  double slo_attainment = 1;       // share of the interval's requests served within the SLO
  double power_w = 0;              // IT power of the service's nodes (GPUs and the nodes' other parts)
};

// What one campus's inference services served and held so far (counted at their telemetry ticks).
struct ServiceReading {
  double tokens = 0;  // input + output
  double gpu_s = 0;   // GPU-seconds held
};

struct ServiceTotals {
  double requests = 0, requests_served = 0, requests_meeting_slo = 0;
  double input_tokens = 0, output_tokens = 0;
  double it_energy_j = 0, facility_energy_j = 0, cost_eur = 0;  // cost: energy at the campus price + GPU-hours
  double gpu_hours = 0;
  std::uint64_t scale_ups = 0;     // times the service asked for more replicas
  std::uint64_t replicas_short = 0;  // intervals in which it could not get the replicas it needed
};

struct Summary {
  std::uint64_t jobs_submitted = 0;
  std::uint64_t jobs_completed = 0;
  std::uint64_t jobs_running = 0;
  std::uint64_t jobs_queued = 0;
  std::uint64_t jobs_failed = 0;     // gave up after too many restarts (max_restarts)
  double it_energy_j = 0;
  double facility_energy_j = 0;
  double carbon_kg = 0;
  double mean_wait_s = 0;
  double p95_wait_s = 0;
  double gpu_hours_busy = 0;
  double gpu_utilization = 0;
  double energy_cost_eur = 0;
  double mean_bounded_slowdown = 0;  // over completed jobs (NaN if none)
  std::uint64_t preemptions = 0;
  std::uint64_t interruptions = 0;   // runs stopped for any reason (preemptions included)
  double work_lost_gpu_hours = 0;
  double mean_gpus_fragmented = 0;   // fleet-wide, time-averaged
  std::string binding_limit;         // "<campus>:<limit>" with the highest nameplate ratio in the fleet
  std::uint64_t limits_exceeded = 0; // limits whose observed peak exceeded their capacity
  double binding_nameplate_ratio = 0;  // the binding limit's nameplate / capacity, and its observed peak / capacity
  double binding_peak_ratio = 0;       // (printed with advice by `fleetsim run`; /limits holds them in the file)
  double tokens_trained = 0;         // Σ /jobs tokens
  double training_flops = 0;         // model FLOPs of those tokens
  std::uint64_t failures = 0;               // component failures of nodes in service
  std::uint64_t failure_interruptions = 0;  // runs they stopped
  double gpu_hours_lost = 0;                // work lost to failures (done since the last checkpoint)
  double effective_training_time = 0;       // GPU-weighted: (job wall time - time lost) / job wall time; NaN if no job ran
  double goodput = 0;                       // (busy GPU-hours - work redone - checkpoint writes) / busy GPU-hours
  double job_wall_gpu_s = 0;                // not written: Σ gpus x (end or horizon - first start), for the ratios
  // Inference services (/services): tokens served (prompt and output) and output tokens, the services' IT energy
  // per 1,000 output tokens, their cost per million tokens served, and the share of requests served within their
  // SLO (NaN for the three ratios without services or tokens).
  double tokens_served = 0;
  double output_tokens_served = 0;
  double energy_per_1k_output_tokens_j = 0;
  double cost_per_million_tokens_eur = 0;
  double slo_attainment = 0;
  // Power budgets: the sum of the campuses' totals, and the jobs refused a start at least once.
  PowerBudgetTotals power{};
  std::uint64_t jobs_delayed_by_power = 0;
  // Dispatch across campuses: jobs that started on another campus than their home, jobs moved while queued, and
  // the bytes of datasets moved between campuses.
  std::uint64_t jobs_dispatched_away = 0;
  std::uint64_t jobs_moved = 0;
  double data_moved_bytes = 0;
  // Economics over the run (sim/economics/economics.hpp, /economics): capital spent, total cost of ownership
  // (depreciation + energy + other opex), net present cost, and TCO per GPU-hour delivered, per million tokens
  // served (the services' share) and per training run completed (NaN without any).
  double capex_eur = 0;
  double tco_eur = 0;
  double npc_eur = 0;
  double tco_per_gpu_hour_eur = 0;
  double tco_per_million_tokens_eur = 0;
  double tco_per_training_run_eur = 0;
};

// Job records come in blocks of consecutive ids, each recorded once every job in it is final (so a block of
// early jobs may wait for a long one): blocks in any order, every job in exactly one block. The summary comes
// whole at the end, computed in id order by whoever keeps the jobs (JobRecords).
class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void begin(const RunMeta& meta, const std::vector<CampusInfo>& campuses) = 0;
  // Seconds the simulation has spent waiting for the recorder so far (a streaming sink whose writer is behind),
  // and seconds it has spent doing the writer's work instead of waiting (compressing its blocks).
  virtual double wait_s() const { return 0; }
  virtual double help_s() const { return 0; }
  virtual void sample(std::size_t campus, const CampusSample& sample) = 0;
  // The block is the recorder's: it may convert and write it on another thread.
  virtual void jobs(std::uint64_t first_id, std::vector<JobRecord> block) = 0;
  // Component failures, in time order (none when nothing fails), before finish.
  virtual void failures(const std::vector<FailureRecord>& rows) = 0;
  // Calendar months per campus (PeriodReport), before finish.
  virtual void periods(const std::vector<PeriodTotals>& rows) = 0;
  // The run's economics (compute_economics of those months), before finish.
  virtual void economics(const Economics& economics) = 0;
  // Inference services: described once after begin(), sampled at every telemetry tick, totalled before finish().
  virtual void services(const std::vector<ServiceInfo>& services) = 0;
  virtual void service_sample(std::size_t service, const ServiceSample& sample) = 0;
  virtual void service_totals(const std::vector<ServiceTotals>& totals) = 0;
  // The fine power window ([telemetry] fine), once, before finish(); never called without one.
  virtual void fine_window(const FineWindowRecord& record) = 0;
  virtual void finish(const std::vector<CampusTotals>& totals, const Summary& summary) = 0;
};

}  // namespace fleetsim

#pragma once
// A validated scenario: plain structs, every value checked and in SI units.
#include <cstdint>
#include <map>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "hw/catalog.hpp"
#include "sim/core/arrival_profile.hpp"
#include "sim/core/input_error.hpp"
#include "sim/core/rng.hpp"
#include "sim/inference/demand.hpp"
#include "sim/inference/replica_model.hpp"
#include "sim/inference/serving_stats.hpp"
#include "sim/scenario/scheduler_config.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/hourly_signal.hpp"
#include "sim/core/cluster_speed.hpp"
#include "sim/training/step_time.hpp"

namespace fleetsim {

// Longest names, in bytes: the output stores them in fixed-width fields (sim/telemetry/SCHEMA.md).
constexpr std::size_t kJobNameMaxBytes = 63;
constexpr std::size_t kPlaceNameMaxBytes = 31;  // campus, cluster

struct SimulationConfig {
  std::string name;
  double duration_s = 0;
  std::uint64_t seed = 0;
  double telemetry_interval_s = 0;
  double year_offset_s = 0;  // seconds from a Sunday 00:00 of the signals' year to t = 0 (daily and weekly shapes)
  Calendar calendar;         // [simulation] start: dates, the signals' hours, months (sim/core/calendar.hpp)
};

struct ClusterConfig {
  std::string name;
  std::string node;  // NodeSpec id
  int nodes = 0;
  double power_cap_w = 0;   // per-GPU power limit; 0 = none
  int nodes_per_rack = 1;
  double rack_limit_w = 0;  // rack power budget; 0 = not given
  double power_limit_w = 0; // the cluster's (hall's) IT power budget, held by [power] like the campus's; 0 = none
  std::string fabric;       // scale-out fabric id (hw catalog); empty = the node's NICs on a non-blocking fabric
  // Per-node CPU (thousandths of a core) and memory (MiB), for clusters built from a trace's node list.
  std::vector<std::int64_t> node_cpu_milli, node_memory_mib;
  double commission_s = 0;  // the nodes join the pool then (0 = installed from the start)
  double decommission_s = std::numeric_limits<double>::infinity();  // they take no new work from then on and
                                                                    // leave the pool as their jobs end
};

// Planned maintenance of some nodes of one cluster: they leave the pool at `start_s` for `duration_s`. Jobs on
// them are interrupted (resuming from their last checkpoint), or with `drain` the nodes take no new work and
// each one's maintenance begins when its last job ends. Repeats every `every_s` when > 0.
struct MaintenanceConfig {
  std::string campus, cluster;
  int nodes = 0;        // how many nodes, from `first_node` on
  int first_node = 0;
  double start_s = 0;
  double duration_s = 0;
  double every_s = 0;
  bool drain = false;
};

// A link between two campuses (fibre route), part of the SimGrid platform.
struct LinkConfig {
  std::string from, to;     // campus names
  double distance_km = 0;   // fibre route length
  std::string fabric;       // inter-campus fabric id
  int wavelengths = 1;      // parallel channels of the fabric's link rate
};

// IT load of a campus that is not GPU work (`[[campus.load]]`: colocation, storage, CPU): counted in the campus's IT
// and facility power, PUE, energy, carbon, cost and budgets, never in GPU figures. `power_w` times the hour of day's
// factor (UTC; 1 without a profile), from `start_s` to `end_s`, changing on the hour.
struct NonGpuLoad {
  std::string name;
  double power_w = 0;
  std::vector<double> daily_factors;  // 24 values in [0, 1], or empty (flat)
  double start_s = 0;
  double end_s = std::numeric_limits<double>::infinity();
  double power_at(double time_s, int hour_of_day) const {
    if (time_s < start_s || time_s >= end_s) return 0;
    return daily_factors.empty() ? power_w : power_w * daily_factors[static_cast<std::size_t>(hour_of_day)];
  }
};

struct CampusConfig {
  std::string name;
  std::string country;
  double grid_connection_w = 0;   // at t = 0 (0: none yet)
  // (from time, W), sorted: `grid_connection_mw` as a number is one step at 0; a schedule's steps at its time points.
  std::vector<std::pair<double, double>> grid_connection_steps;
  double grid_connection_at(double time_s) const;  // 0 before the first step
  double grid_connection_max_w() const;            // the largest connection planned
  double pue = 0;                  // constant PUE, or 0 when `cooling` gives a PUE from ambient temperature
  std::string cooling;             // CoolingSpec id, or empty
  HourlySignal ambient_c{std::numeric_limits<double>::quiet_NaN()};
  HourlySignal carbon_g_per_kwh;
  HourlySignal price_eur_per_mwh{0.0};
  double cooling_capacity_w = 0;   // IT heat the cooling plant removes; 0 = not given
  double storage_bytes_per_s = 0;  // checkpoint storage bandwidth (campus-wide); 0 = not given
  std::vector<ClusterConfig> clusters;
  std::vector<NonGpuLoad> loads;
  // The non-GPU IT load during the hour that begins at `time_s` (a whole hour), of UTC hour of day `hour_of_day`.
  double non_gpu_load_w(double time_s, int hour_of_day) const;
};


// How a job saves its progress (sim/reliability/checkpoint_restart.hpp): an interrupted job resumes from its last
// checkpoint; interval 0 = no checkpoints, it restarts from scratch.
// `interval = "auto"` chooses the interval from the job's expected time between failures and its write time (Daly,
// sim/reliability/checkpoint_restart.hpp); `write` is the time a checkpoint blocks the job (0: free), else from the
// checkpoint's size (a training run's weights and optimizer state) over the campus's storage bandwidth.
struct CheckpointConfig {
  double interval_s = 0;
  bool auto_interval = false;
  double write_s = std::numeric_limits<double>::quiet_NaN();  // NaN: from size / bandwidth (0 when unknown)
  double async_fraction = 0;  // share of the write that overlaps training (asynchronous checkpointing)
  double restart_s = 0;  // detection + restart overhead after an interruption (`restart = "10min"`)
  int max_restarts = -1;  // after this many restarts from failures the job fails (`max_restarts = 3`); -1: never
};

// One class of component failure ([reliability] failures): a rate per component-hour (the component a GPU, a
// node, or a rack: a leaf switch or PDU failure takes all the rack's nodes), and how long a failed node is out of
// the pool (0: the job restarts, the node stays).
struct FailureClass {
  std::string name;
  enum class Per { gpu, node, rack } per = Per::gpu;
  double rate_per_hour = 0;
  double repair_s = 0;
  std::string repair_group;  // gpu, host, network or software: the `repair` key that sets repair_s
  // Weibull shape of each component's times between failures (`[reliability] shape`); 1: exponential. The rate stays
  // the long-run one (1 / mean time between failures); every component is new when its cluster is commissioned.
  double shape = 1;
};

struct ReliabilityConfig {
  std::string failures = "none";     // "none", "llama3", or "custom" (a table of rates)
  std::vector<FailureClass> classes;  // empty: nothing fails
  int spares_per_cluster = 0;        // hot spares: a failed node of a running job is replaced after swap_s
  double swap_s = 0;
  double total_gpu_rate() const;     // failures per GPU-hour of the GPU classes
  double total_node_rate() const;    // failures per node-hour of the node classes
};

// A training run ([[job]] with `model`, or drawn from a synthetic workload's `training` mix): its work is `steps`
// steps of the plan; the step time on each cluster of its campus comes from the step-time model (sim/training).
struct TrainingJobConfig {
  std::string model;            // model catalog id
  training::TrainingPlan plan;  // plan.gpus = the job's GPUs
  long long steps = 0;          // given, or tokens / tokens per step rounded up
  // Per cluster of its campus, in the campus's order.
  struct OnCluster {
    std::string problem;            // why the plan cannot run there ("" if it can)
    double step_time_s = 0;         // without a power cap
    double capped_step_time_s = 0;  // under the cluster's cap (= step_time_s without one)
    double mfu = 0;                 // at step_time_s
    double peak_flops = 0;          // the GPU's dense peak at the plan's precision
    // The step under the cluster's cap, by phase (step-time model, training::StepBreakdown): compute, pipeline
    // bubble, exposed communication; they add up to capped_step_time_s. What the fine power window
    // (sim/power/fine_window.hpp) alternates between.
    double compute_s = 0, bubble_s = 0, exposed_comm_s = 0;
  };
  std::vector<OnCluster> on_cluster;
  std::vector<ClusterSpeed> speeds;  // for the engine (Job::speeds): step_time_s / the cluster's step time
  double step_time_s = 0;  // the unit of work: the step time on the first cluster the plan fits (a reference)
  double model_flops_per_token = 0;  // 6N-style training FLOPs per token (training::model_flops_per_token)
  double tokens() const { return double(steps) * plan.tokens_per_step(); }
};

// Where a dispatchable job may run (issue 15: `campus = "any"`, a list of campus names, or `region = "FR"` in
// [[job]] or a synthetic [[workload]]) and its input data. The [dispatch] policy picks one of `campuses` at
// submission and again while the job waits (sim/scheduling/dispatch.hpp); moving to a campus other than where the
// data is takes `dataset_bytes` over the [[link]] fibre between the two (no link: it may not go there, unless the
// dataset is empty).
struct DispatchTargets {
  std::vector<int> campuses;  // candidate campus indices, in the scenario's order
  int data_campus = -1;       // where the input data is; -1: the job's home campus (where it is first queued)
  double dataset_bytes = 0;   // `dataset_gb` x 1e9
};

// [dispatch]: how dispatchable jobs choose their campus. A single policy ranks the candidates by one measure,
// preferring those where the job starts at once; a weighted mix (`policy = { carbon = 0.7, wait = 0.3 }`) sums
// each measure normalised over the candidates (0 best, 1 worst) times its weight.
struct DispatchConfig {
  enum Measure { wait, carbon, price, headroom, kMeasures };
  std::string policy = "least-wait";  // least-wait, lowest-carbon, lowest-price, most-headroom, or "weights"
  double weights[kMeasures] = {1, 0, 0, 0};
  bool mix = false;                   // weights given as a table
  double reconsider_s = 3600;         // queued jobs are reconsidered this often; 0 = never
};
inline const char* measure_name(int measure) {
  static const char* const names[] = {"wait", "carbon", "price", "headroom"};
  return names[measure];
}

struct JobConfig {
  std::string name;
  std::string campus;  // home campus (for a dispatchable job: the first candidate where it fits)
  int gpus = 0;
  double submit_s = 0;
  double duration_s = 0;
  double gpu_utilization = 1;
  double estimate_s = std::numeric_limits<double>::quiet_NaN();  // runtime estimate; NaN = exact
  int priority = 0;
  CheckpointConfig checkpoint;
  std::optional<TrainingJobConfig> training;  // a training run: duration_s = steps x step time
  std::optional<DispatchTargets> dispatch;    // campus = "any" | [...] or region: dispatchable
  // A dispatchable training run: per campus (the scenario's order), the run placed there (none where it may not go
  // or fits no cluster); `training` is the home campus's.
  std::vector<std::optional<TrainingJobConfig>> training_on_campus;
};

// A discrete distribution over values: {values = [...], weights = [...]} or a single value.
struct DiscreteChoice {
  std::vector<double> values;
  std::vector<double> weights;
};

struct DurationDistribution {
  enum class Kind { fixed, exponential, lognormal, uniform } kind = Kind::fixed;
  double median_s = 0;  // fixed value, exponential mean, lognormal median
  double sigma = 0;     // lognormal shape
  double min_s = 0, max_s = 0;  // uniform
};

struct UniformRange {
  double min = 0, max = 0;
};

// Uniform in `range`, or drawn from `choice` when it has values.
struct UtilizationDistribution {
  UniformRange range{1.0, 1.0};
  DiscreteChoice choice;

  double draw(RandomStream& rng) const {
    return choice.values.empty() ? rng.uniform(range.min, range.max) : choice.values[rng.weighted_index(choice.weights)];
  }
};

// One kind of training run in a synthetic workload's mix: drawn with probability weight / Σ weights.
struct TrainingMixEntry {
  double weight = 1;
  int gpus = 0;
  // Per campus (the scenario's order): the run placed on that campus's clusters, or none where the workload may
  // not send it or its plan fits no cluster.
  std::vector<std::optional<TrainingJobConfig>> on_campus;
};

struct SyntheticWorkloadConfig {
  std::size_t index = 0;       // position in [[workload]]: names its random streams
  std::string name;            // prefix of the generated job names
  int jobs = 0;
  double rate_per_h = 0;       // Poisson arrivals (their mean rate over the first week, with a profile)
  ArrivalProfile arrival;      // daily_profile, weekly, growth_per_year: how the rate varies
  double start_s = 0;          // first arrival no earlier than this
  std::optional<std::string> campus;  // all jobs to one campus; else spread by installed GPUs
  // campus = "any" | [...] or region: each job's home campus is drawn among the candidates by installed GPUs (as
  // without campus), and the [dispatch] policy may send it elsewhere.
  std::optional<DispatchTargets> dispatch;
  DiscreteChoice gpus;
  DurationDistribution duration;
  UtilizationDistribution gpu_utilization;
  UniformRange estimate_factor{1.0, 1.0};  // runtime estimate = duration x U(min, max) (users over-estimate)
  int priority = 0;
  CheckpointConfig checkpoint;
  // Non-empty: every job is a training run drawn from this mix (its GPUs and steps from the entry, its duration
  // from the step time on its campus) instead of `gpus` and `duration`.
  std::vector<TrainingMixEntry> training;
};

// Jobs replayed from a public trace (sim/workload/trace/), mapped onto one campus.
struct TraceWorkloadConfig {
  std::size_t index = 0;         // position in [[workload]]: names its random streams
  std::string name;
  std::string format;            // swf, philly, helios, acme, alibaba-pai-2020, alibaba-openb-2023
  std::string path;              // resolved against the scenario's folder
  std::string campus;
  double start_s = 0;            // the trace's first submission lands here
  double time_scale = 1.0;       // inter-arrival times are multiplied by this (< 1 compresses the trace)
  double sample_fraction = 1.0;  // each trace job kept with this probability (stream "workload/<i>/sample")
  long long max_jobs = 0;        // 0 = all
  double gpus_per_unit = 1.0;    // trace GPUs (SWF: processors) x this = GPUs asked of the fleet
  double fixed_duration_s = 0;   // > 0: every job runs this long (e.g. to hold pods, as in FGD's experiments)
  // > 0: copies of the replayed jobs, drawn with replacement (stream "workload/<i>/inflate"), are added until the
  // GPUs requested reach inflate_to x the campus's installed GPUs (FGD's workload inflation, Weng et al. ATC'23).
  double inflate_to = 0;
  bool skip_bad_rows = false;
  UtilizationDistribution gpu_utilization;
  UniformRange estimate_factor{1.0, 1.0};  // used when the trace has no estimate
  std::map<std::string, int> qos_priority;  // trace QoS class -> priority (unlisted: 0)
  std::map<std::string, std::string> gpu_models;  // trace GPU model -> GPU id: jobs naming models run only there
  CheckpointConfig checkpoint;
};

// An inference service ([[service]], issue 13): replicas of `model` on `node`s of its campus, autoscaled between
// min and max replicas to meet its SLO for its demand (sim/inference, sim/serving).
struct ServiceConfig {
  std::string name;
  std::string model;   // model catalog id
  std::string campus;
  std::string node;    // NodeSpec id of the clusters its replicas run on (in its campus)
  inference::ReplicaPlan plan;
  inference::Slo slo;
  int min_replicas = 1;
  int max_replicas = 1;
  int priority = 0;               // against jobs for GPUs: scaling up preempts jobs of lower priority
  double load_time_s = 0;         // a new replica's start; 0 = the model's (ReplicaModel::load_time_s)
  double gpu_hour_eur = 0;        // price of a GPU-hour for the cost per million tokens (0: energy only)
  inference::DemandConfig demand;
  std::uint64_t stream_index = 0;  // position in [[service]]: names its random streams
  SourcePosition slo_position;     // where `slo` is written, for errors found when the capacity is computed
  int gpus_per_replica() const { return plan.gpus(); }
};

// A demand-response event ([[power.event]] or a row of [power] events = "FILE.csv"): from start_s for duration_s,
// a campus (or every campus) holds its facility power under target_w, or under fraction x its grid connection.
struct DemandResponseEvent {
  int campus = -1;  // index in Scenario::campuses; -1 = every campus
  double start_s = 0;
  double duration_s = 0;
  double target_w = std::numeric_limits<double>::quiet_NaN();  // facility power; NaN: from fraction
  double fraction = std::numeric_limits<double>::quiet_NaN();  // of the grid connection
  double notice_s = 0;  // announced this long before start_s (`notice`; [power] pause acts on it)
};

// A rule on an hourly signal ([[power.rule]]): in every hour the campus's price (EUR/MWh) or carbon intensity
// (g/kWh) is above `above`, its facility power is held under target_w, or fraction x its grid connection.
struct SignalRule {
  enum class On { price, carbon } on = On::price;
  double above = 0;
  int campus = -1;  // -1 = every campus
  double target_w = std::numeric_limits<double>::quiet_NaN();
  double fraction = std::numeric_limits<double>::quiet_NaN();
};

// [power]: how campus power budgets are held (sim/power/power_control.hpp). `controls` are tried in order when a
// job would start above a budget or the budget falls below the power drawn: "admission" (the job waits; controls
// listed after it serve only events other than starts), "cap" (lower running GPUs' power caps, uniformly or
// lowest priority first), "preempt" (checkpoint and stop the lowest-priority work). Empty: report only.
struct PowerConfig {
  std::vector<std::string> controls;
  enum class CapMode { uniform, priority } cap_mode = CapMode::uniform;
  double cap_step = 0.05;            // a cap level, as a fraction of each GPU's TDP
  double control_interval_s = 60;    // caps are raised again (and waiting jobs retried) this often
  double hysteresis = 0.01;          // caps are raised only when the power then stays this share under the budget
  // What a job stopped at once keeps (`stop`): all its work (a checkpoint written as it stops, its write time
  // neglected: the bound most favourable to stopping) or the work up to its last periodic checkpoint.
  enum class StopKeeps { all, last_checkpoint } stop_keeps = StopKeeps::all;
  // `pause = "checkpoint"`: ahead of an announced grid event (notice > 0), the running jobs the event's budget would
  // stop pause at their last periodic checkpoint before it begins (nothing lost, no work done in vain); meanwhile new
  // starts must fit the coming budget too.
  bool pause_at_checkpoint = false;
  std::vector<DemandResponseEvent> events;
  std::vector<SignalRule> rules;
  bool enforced() const { return !controls.empty(); }
  bool uses(const std::string& control) const {
    for (const std::string& c : controls)
      if (c == control) return true;
    return false;
  }
};

// `[telemetry] fine = { start, duration, interval }`: campus power at a fine resolution over one window, with each
// synchronous job's power alternating between its compute and communication phases every step
// (sim/power/fine_window.hpp). A job without a training model follows a stated profile: a step of
// `default_step` seconds, `default_communication_share` of it in communication.
struct FineWindowConfig {
  double start_s = 0;
  double duration_s = 0;   // 0: no fine window
  double interval_s = 0;
  // Plain jobs' profile (ASSUMPTION, stated in README): a 2 s step, within the 0.2-3 Hz band where the swings of
  // production training jobs concentrate (Choukse et al., "Power Stabilization for AI Training Datacenters",
  // arXiv 2508.14318, 2025), 30 % of it communicating.
  double default_step_s = 2.0;
  double default_communication_share = 0.3;
  long long samples() const { return interval_s > 0 ? static_cast<long long>(duration_s / interval_s + 0.5) : 0; }
  bool enabled() const { return duration_s > 0; }
};

struct TelemetryConfig {
  FineWindowConfig fine;
};

// `[power.smoothing]`: mitigations of training power swings, as reported in the fine window (none by default).
// A GPU power floor (the GPUs never draw less than this share of their TDP in a low phase: the GB200/GB300 power
// smoothing floor of arXiv 2508.14318 and NVIDIA's GB300 NVL72 power shelves), and energy storage in every rack
// that charges in the low phases and discharges in the peaks (sim/power/rack_storage.hpp).
struct PowerSmoothingConfig {
  double gpu_power_floor = 0;     // share of TDP, [0, 1]
  double rack_storage_j = 0;      // per rack (`rack_storage_kwh`)
  double rack_storage_w = 0;      // per rack, charge or discharge (`rack_storage_kw`)
  double storage_time_constant_s = 30;  // of the moving average the storage holds the grid at (`storage_time_constant`)
  bool any() const { return gpu_power_floor > 0 || (rack_storage_j > 0 && rack_storage_w > 0); }
};

// `[economics]`: what the fleet costs (sim/economics/economics.hpp). Every run has one: the defaults below apply when
// the table is absent. Money in EUR; the catalog's node prices are in USD, converted at usd_per_eur.
// ECB euro reference rate, 2024 average (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/
// euro_reference_exchange_rates/html/eurofxref-graph-usd.en.html).
inline constexpr double kUsdPerEur2024 = 1.0824;
// Facility capex per MW of IT nameplate: Cushman & Wakefield, Data Center Development Cost Guide 2025,
// https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/8-9: USD 11.7M per MW of critical load, the
// average of 19 US markets (construction only: no land, soft costs or tenant equipment).
inline constexpr double kFacilityCapexUsdPerMw = 11.7e6;

struct EconomicsConfig {
  double discount_rate = 0.08;        // per year, for the net present cost (ASSUMPTION: a typical infrastructure
                                      // cost of capital; set your own)
  double usd_per_eur = kUsdPerEur2024;
  double node_life_years = 5;         // straight-line depreciation of nodes (hyperscalers' 10-K filings: servers over
                                      // 5.5-6 years; 5 for accelerators' shorter economic life, an ASSUMPTION)
  double facility_life_years = 20;    // of the facility (ASSUMPTION: shell and M&E plant, 15-25 years)
  // Facility capex per MW of IT nameplate installed, at the 2024 rate (a scenario's own usd_per_eur converts node
  // prices only).
  double facility_capex_eur_per_mw = kFacilityCapexUsdPerMw / kUsdPerEur2024;
  // Other operating cost per MW of installed IT and year (staff, maintenance, insurance): an ESTIMATE of 3% of the
  // facility capex a year (no published breakdown found).
  double opex_eur_per_mw_year = 0.03 * kFacilityCapexUsdPerMw / kUsdPerEur2024;
  std::map<std::string, double> capex_per_node_eur;  // `capex_per_node = { "dgx-h100" = 280000 }`: overrides the catalog
  double node_capex_eur(const hw::NodeSpec& node) const;  // EUR: the override, else the catalog's USD price
};

struct Scenario {
  std::string path;
  SimulationConfig simulation;
  hw::Catalog hardware;  // built-in catalog plus scenario-local entries
  std::vector<CampusConfig> campuses;
  std::vector<LinkConfig> links;
  SchedulerConfig scheduler;
  std::vector<JobConfig> jobs;
  std::vector<SyntheticWorkloadConfig> workloads;
  std::vector<TraceWorkloadConfig> traces;
  std::vector<MaintenanceConfig> maintenance;
  ReliabilityConfig reliability;
  std::vector<ServiceConfig> services;
  PowerConfig power;
  EconomicsConfig economics;
  DispatchConfig dispatch;
  bool has_dispatch() const;  // some job or workload is dispatchable
  TelemetryConfig telemetry;
  PowerSmoothingConfig power_smoothing;  // [power.smoothing] (the rest of [power] is read elsewhere)
  std::string resolved_toml;  // re-runnable text: overrides applied, seed fixed, hardware copied in
  // Every file the scenario reads besides itself (traces, node lists, signal CSVs), as resolve_path handed them
  // out while loading: `fleetsim run -o` never replaces one of them. Recorded by the const resolve_path, hence
  // mutable; nothing reads it during loading.
  mutable std::vector<std::string> input_files;

  int campus_index(const std::string& name) const;  // -1 if unknown
  // A file path written in the scenario, relative to the scenario file's folder unless absolute; recorded in
  // input_files.
  std::string resolve_path(const std::string& written) const;
  // GPU ids the fleet's clusters use, sorted: a job's gpu_types bits index this list.
  std::vector<std::string> gpu_types() const;
};

}  // namespace fleetsim

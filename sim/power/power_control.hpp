#pragma once
// Power budgets that hold ([power], issue 15): a component that keeps each campus's facility power (IT power x the
// hour's PUE, as the PowerMeter integrates it) under its budget — the grid connection, lowered during
// demand-response events and in hours when a rule on the price or carbon signal fires.
//
// Controls, tried in the order `[power] policy` lists them:
// - admission: a job starts only when its power fits (asked through the kernel's StartGate before each start);
//   controls listed after it serve only the other events (PUE rising, a grid event, a service scaling up);
// - cap: lower the power cap of the campus's running GPUs, by levels of cap_step x each GPU's TDP down to its
//   minimum cap, every GPU alike (cap = "uniform") or lowest priority first (cap = "priority"); jobs slow down
//   through the catalog's cap->throughput curve (job_rate);
// - preempt: checkpoint and stop running jobs, lowest priority first and youngest first among equals (for a start,
//   only jobs of lower priority than the one starting).
// A job that cannot be made to fit does not start. Lowering caps and stopping jobs happen at once; caps are raised
// again only at control ticks (every control_interval), and only as far as leaves `hysteresis` x the budget free,
// so that a fleet near its budget does not re-cap every running job at every job end.
//
// Per campus, running jobs are grouped by priority (tiers); each tier keeps, for every cap level, the sum of its jobs'
// power above idle at that level (in milliwatts, integers: sums stay exact over millions of starts and ends), so
// the power the campus would draw at any control depth is the meter's power now, less the tiers' sums at the current
// depth, plus their sums at that depth: O(tiers) per depth tried.
#include <cstdint>
#include <vector>

#include "sim/fleet/lifecycle.hpp"
#include "sim/power/budget_totals.hpp"
#include "sim/power/power_meter.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {


// Whether a campus's grid connection changes during the run (a grid_connection_mw schedule): then a PowerControl
// follows it even when [power] asks for nothing else.
bool has_connection_schedule(const Scenario& scenario);

class PowerControl final : public StartGate {
 public:
  PowerControl(const Scenario& scenario, const Fleet& fleet, const std::vector<Job>& jobs, PowerMeter& meter,
               FleetControl& control, Lifecycle& lifecycle);

  // Registers as the kernel's start gate (when the scenario enforces budgets), sets the budgets of hour 0 and the
  // control ticks and grid events as timed callbacks.
  void start();
  Admission admit(const Job& job, const Placement& placement) override;

  // Per campus, with the integrals brought to the horizon (all but budget_exceeded_s, the meter's). Grid events'
  // curtailment: the baseline (mean facility power of the hour before each began) x its length, less what the campus
  // drew, and the same for cost and carbon.
  std::vector<PowerBudgetTotals> totals(double horizon_s);
  // Jobs refused at least once.
  std::uint64_t jobs_delayed() const;
  // The control's cap for a GPU of `gpu` at cap level `level` (0: none).
  double cap_at_level(const hw::GpuSpec& gpu, int level) const;
  int depth(int campus) const { return campuses_[campus].depth; }

 private:
  struct Running {
    std::uint64_t id;
    int cluster;
    double start_s;
  };
  // The running jobs of one priority on one campus, and per cap level the sums of their power above idle and of
  // their slowed GPUs (gpus x (1 - rate at the level / rate uncapped)); per job, its own values per level.
  struct Tier {
    int priority = 0;
    std::vector<std::int64_t> power_mw;
    std::vector<double> slowed;
    std::vector<Running> jobs;
    std::vector<std::int64_t> job_power_mw;  // jobs.size() x levels
    std::vector<double> job_slowed;
  };
  // A cluster with its own IT power limit (a hall): its powered nodes' idle power and, per tier and level, the sums
  // of its running jobs' power above idle (the same values as the campus's tiers hold for them).
  struct Hall {
    int cluster = 0;
    std::int64_t limit_mw = 0;
    std::int64_t idle_mw = 0;
    std::vector<std::vector<std::int64_t>> power_mw;  // [tier][level]
  };
  // A rack of a cluster with a rack limit: its powered nodes' idle power and, per tier and level (tier x levels), the
  // sums of the power its running jobs draw on its nodes (a multi-node job's share per node). `hot`: at level 0 it
  // would draw more than (1 - hysteresis) of its limit, so raising caps may take it over (Campus::hot_racks).
  struct Rack {
    std::int64_t limit_mw = 0;
    std::int64_t idle_mw = 0;
    std::vector<std::int64_t> power_mw;
    bool hot = false;
  };
  struct Campus {
    double connection_w = 0;  // grid connection (0: none)
    std::vector<int> hot_racks;  // racks that may bind when caps rise (checked by relax and enforce)
    std::vector<int> halls;   // indices in halls_ of its clusters with a power limit
    double budget_w = 0;      // facility budget now (0: none)
    int levels = 1;           // cap levels: 0 (uncapped) .. levels - 1 (every GPU at its lowest cap)
    std::vector<Tier> tiers;  // by priority, lowest first
    int depth = 0;            // how far caps are lowered (level_of); 0: not at all
    bool waiting = false;     // a start was refused since the last control tick
    double since_s = 0;       // time_capped and work_slowed integrated up to here
    // Grid events: targets of the active demand-response events, the rule's target this hour (0: none).
    std::vector<double> event_targets;
    double rule_target_w = 0;
    // The open grid-event window: its baseline, and the meter's integrals and the price/carbon integrals at its start.
    bool in_window = false;
    double baseline_w = 0, window_start_s = 0, window_facility_j = 0, window_cost_eur = 0, window_carbon_kg = 0;
    double window_price_s = 0, window_carbon_s = 0;
    // Integrals over time of the price (EUR/J) and carbon intensity (kg/J), for the baseline's cost and carbon.
    double price_s = 0, carbon_s = 0, factors_since_s = 0;
    // Facility energy at recent control ticks (the baseline's hour).
    std::vector<std::pair<double, double>> marks;
    // [power] pause = "checkpoint": announced grid events not begun yet (start, facility target), and the jobs
    // chosen to pause at their next checkpoint before them.
    std::vector<std::pair<double, double>> upcoming;
    std::vector<std::uint64_t> pausing;
    PowerBudgetTotals totals;
  };

  int level_of(const Campus& campus, int tier, int depth) const;
  int max_depth(const Campus& campus) const;
  std::int64_t tiers_power_mw(const Campus& campus, int depth) const;
  // IT power of a hall at `depth` above its limit (mW; <= 0: within it).
  std::int64_t hall_excess_mw(const Campus& campus, const Hall& hall, int depth) const;
  // The most any hall of the campus is above its limit at `depth` (mW), and which one (-1: none above).
  std::int64_t halls_excess_mw(const Campus& campus, int depth, int& worst) const;
  void hall_add(const Running& job, int tier, const std::int64_t* power_mw, int levels, int sign);
  // Racks: the rack of a node (-1 without a rack limit), what a job draws on one part of its placement at each level,
  // a rack's power above its limit at `depth`, adding or removing a job's parts, the hottest rack's excess.
  int rack_of(int cluster, int node) const;
  std::int64_t part_mw(const std::int64_t* job_power_mw, int level, int taken, int allocated) const;
  std::int64_t rack_excess_mw(const Campus& campus, const Rack& rack, int depth) const;
  void racks_add(Campus& campus, const Job& job, const Placement& placement, int tier, const std::int64_t* power_mw,
                 int levels, int sign);
  std::int64_t racks_excess_mw(Campus& campus, int depth, double keep);
  double tiers_slowed(const Campus& campus, int depth) const;
  // IT power the campus may draw now (its facility budget over the hour's PUE, aimed a hair under); infinite
  // without a budget.
  double it_budget_w(int c) const;
  // The same for a job starting now: with pause = "checkpoint", under the budgets of announced events too.
  double admission_it_budget_w(int c) const;
  // An announced event's budget `target_w` from `start_s`: the running jobs it would stop (after caps as deep as they
  // go, if "cap" is listed) pause at their last periodic checkpoint before it begins.
  void plan_pauses(int c, double start_s, double target_w);
  // Pauses job `id` if it is still in the run that began at `run_start_s` and at its last checkpoint before
  // `event_start_s` (else waits for that one, when its rate has changed).
  void pause_at_checkpoint(std::uint64_t id, double run_start_s, double event_start_s);
  // When job `id` reaches its last periodic checkpoint before `time_s` at its rate now (infinite: none comes before),
  // and whether it is at a checkpoint now.
  double last_checkpoint_before_s(std::uint64_t id, double time_s, bool& at_checkpoint) const;
  void stop(std::uint64_t id) { control_.stop_job(id, config_.stop_keeps == PowerConfig::StopKeeps::all); }
  int tier_index(int priority) const;
  int campus_of(const Placement& placement) const { return fleet_.clusters[placement.cluster].campus; }
  void job_levels(const Job& job, const Placement& placement, int levels, std::int64_t* power_mw, double* slowed) const;

  void on_started(const JobRun& run);
  void on_stopped(const JobRun& run);
  void advance(Campus& campus, double now);
  void set_depth(int c, int depth);
  // After an event that may have raised power above the budget: the controls other than admission, in order.
  void enforce(int c);
  // At control ticks and when a budget rises: caps raised as far as the hysteresis allows, waiting jobs retried.
  void relax(int c);
  // Running jobs of priority below `below_priority` to stop (lowest priority first, youngest first) until
  // `excess_mw` is freed at `depth`; `freed_mw` is what they free.
  // `cluster` >= 0: only jobs on that cluster (a hall above its limit).
  // `skip_pausing`: jobs already chosen to pause count as freed without being chosen again.
  std::vector<std::uint64_t> choose_victims(const Campus& campus, int below_priority, int depth, std::int64_t excess_mw,
                                            std::int64_t& freed_mw, int cluster = -1, bool skip_pausing = false) const;
  void on_control_tick();
  void ensure_tick();
  void on_hour(double time_s);
  void apply_rules(int c);
  void update_budget(int c);
  void integrate_factors(int c, double now);
  void open_window(int c, double now);
  void close_window(int c, double now, bool keep_open);

  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  const Scenario& scenario_;
  const Fleet& fleet_;
  const std::vector<Job>& jobs_;
  PowerMeter& meter_;
  FleetControl& control_;
  const PowerConfig& config_;
  const bool grid_events_;    // demand-response events or rules: control ticks keep the baselines' marks
  bool tick_pending_ = false;
  std::vector<int> priorities_;  // distinct job priorities, ascending: tier i holds priority priorities_[i]
  std::vector<Campus> campuses_;
  std::vector<Hall> halls_;
  std::vector<Rack> racks_;
  std::vector<int> rack_base_;        // per cluster: index of its first rack in racks_, -1: no rack limit
  std::vector<int> hall_of_cluster_;  // index in halls_, -1: no limit
  std::vector<std::int32_t> position_;     // by job id: index in its tier's jobs while it runs
  std::vector<std::int16_t> tier_of_job_;  // by job id: its tier
  std::vector<std::uint8_t> delayed_;      // by job id: refused at least once
  std::vector<std::uint8_t> pausing_;      // by job id: chosen to pause at its next checkpoint
  std::uint64_t pausing_now_ = kNone;      // the job being paused (its interruption is a pause, not a stop)
  // The levels of the job admitted last (scratch_*), kept for its start.
  std::uint64_t admitted_ = kNone;
  int admitted_cluster_ = -1, admitted_milli_ = 0;
  std::vector<std::int64_t> scratch_power_;
  std::vector<double> scratch_slowed_;
};

}  // namespace fleetsim

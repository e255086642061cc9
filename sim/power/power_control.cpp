#include "sim/power/power_control.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/power/job_power.hpp"
#include "sim/power/power_control_units.hpp"

namespace fleetsim {

using namespace power_control_units;

PowerControl::PowerControl(const Scenario& scenario, const Fleet& fleet, const std::vector<Job>& jobs,
                           PowerMeter& meter, FleetControl& control, Lifecycle& lifecycle)
    : scenario_(scenario),
      fleet_(fleet),
      jobs_(jobs),
      meter_(meter),
      control_(control),
      config_(scenario.power),
      grid_events_(!scenario.power.events.empty() || !scenario.power.rules.empty()),
      campuses_(fleet.campuses.size()),
      position_(jobs.size(), -1),
      tier_of_job_(jobs.size(), 0),
      delayed_(jobs.size(), 0),
      pausing_(jobs.size(), 0) {
  for (const Job& job : jobs) priorities_.push_back(job.priority);
  std::sort(priorities_.begin(), priorities_.end());
  priorities_.erase(std::unique(priorities_.begin(), priorities_.end()), priorities_.end());
  if (priorities_.empty()) priorities_.push_back(0);
  for (std::size_t c = 0; c < campuses_.size(); ++c) {
    Campus& campus = campuses_[c];
    campus.connection_w = scenario.campuses[c].grid_connection_w;
    campus.budget_w = campus.connection_w;
    int levels = 1;
    for (int k : fleet.campuses[c].clusters) {
      const hw::GpuSpec& gpu = *fleet.clusters[k].gpu;
      const double floor_w = floor_cap_w(gpu);
      if (floor_w <= 0 || gpu.max_w <= 0) continue;
      levels = std::max(levels, 1 + static_cast<int>(std::ceil((1 - floor_w / gpu.max_w) / config_.cap_step - 1e-9)));
    }
    campus.levels = levels;
    for (int priority : priorities_) {
      Tier& tier = campus.tiers.emplace_back();
      tier.priority = priority;
      tier.power_mw.assign(static_cast<std::size_t>(levels), 0);
      tier.slowed.assign(static_cast<std::size_t>(levels), 0.0);
    }
  }
  hall_of_cluster_.assign(fleet.clusters.size(), -1);
  for (std::size_t k = 0; k < fleet.clusters.size(); ++k) {
    const Cluster& cluster = fleet.clusters[k];
    if (!(cluster.power_limit_w > 0)) continue;
    Hall hall;
    hall.cluster = static_cast<int>(k);
    hall.limit_mw = static_cast<std::int64_t>(std::floor(cluster.power_limit_w * kAim * 1000));
    if (cluster.commission_s <= 0)
      hall.idle_mw = milliwatts(cluster.state.node_count() * cluster.node->idle_power_w(*cluster.gpu));
    hall.power_mw.assign(priorities_.size(), std::vector<std::int64_t>(static_cast<std::size_t>(campuses_[cluster.campus].levels), 0));
    hall_of_cluster_[k] = static_cast<int>(halls_.size());
    campuses_[cluster.campus].halls.push_back(static_cast<int>(halls_.size()));
    halls_.push_back(std::move(hall));
  }
  rack_base_.assign(fleet.clusters.size(), -1);
  for (std::size_t k = 0; k < fleet.clusters.size(); ++k) {
    const Cluster& cluster = fleet.clusters[k];
    if (!config_.enforced() || !(cluster.rack_limit_w > 0)) continue;
    rack_base_[k] = static_cast<int>(racks_.size());
    const int nodes = cluster.state.node_count(), per_rack = std::max(1, cluster.nodes_per_rack);
    const double node_idle_w = cluster.node->idle_power_w(*cluster.gpu);
    for (int first = 0; first < nodes; first += per_rack) {
      Rack rack;
      rack.limit_mw = static_cast<std::int64_t>(std::floor(cluster.rack_limit_w * kAim * 1000));
      if (cluster.commission_s <= 0) rack.idle_mw = milliwatts(std::min(per_rack, nodes - first) * node_idle_w);
      rack.power_mw.assign(priorities_.size() * static_cast<std::size_t>(campuses_[cluster.campus].levels), 0);
      racks_.push_back(std::move(rack));
    }
  }
  auto powered = [this](const NodeChange& change, int sign) {
    if (!change.powered) return;
    const Cluster& cluster = fleet_.clusters[change.cluster];
    const double node_idle_w = cluster.node->idle_power_w(*cluster.gpu);
    const int h = hall_of_cluster_[change.cluster];
    if (h >= 0) halls_[h].idle_mw += sign * milliwatts(double(change.nodes.size()) * node_idle_w);
    for (int node : change.nodes) {
      const int r = rack_of(change.cluster, node);
      if (r < 0) continue;
      racks_[static_cast<std::size_t>(r)].idle_mw += sign * milliwatts(node_idle_w);
      if (sign > 0) {
        Campus& campus = campuses_[cluster.campus];
        if (!racks_[static_cast<std::size_t>(r)].hot) {
          racks_[static_cast<std::size_t>(r)].hot = true;
          campus.hot_racks.push_back(r);
        }
      }
    }
    if (sign > 0) enforce(cluster.campus);
  };
  lifecycle.nodes_down.connect([powered](const NodeChange& change) { powered(change, -1); });
  lifecycle.nodes_up.connect([powered](const NodeChange& change) { powered(change, +1); });
  lifecycle.job_started.connect([this](const JobRun& run) { on_started(run); });
  lifecycle.job_ended.connect([this](const JobRun& run) { on_stopped(run); });
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption& interruption) {
    on_stopped(run);
    if (interruption.cause != InterruptCause::power) return;
    // It queues again: tried at the next control tick or when the budget rises, whichever comes first.
    Campus& campus = campuses_[campus_of(run.placement)];
    campus.waiting = true;
    ensure_tick();
    PowerBudgetTotals& totals = campus.totals;
    if (pausing_now_ == run.job.id) ++totals.power_pauses;
    else ++totals.power_stops;
    totals.power_work_lost_gpu_s += (interruption.work_done - interruption.work_kept) * requested_gpus(run.job);
  });
  lifecycle.hour_tick.connect([this](double time_s, long long) { on_hour(time_s); });
  lifecycle.service_load_changed.connect([this](const ServiceLoad& load) { enforce(load.campus); });
}

bool has_connection_schedule(const Scenario& scenario) {
  for (const CampusConfig& campus : scenario.campuses)
    for (const auto& step : campus.grid_connection_steps)
      if (step.first > 0) return true;
  return false;
}

double PowerControl::cap_at_level(const hw::GpuSpec& gpu, int level) const {
  const double floor_w = floor_cap_w(gpu);
  if (level <= 0 || floor_w <= 0) return 0;
  return std::max(floor_w, gpu.max_w * (1 - level * config_.cap_step));
}

int PowerControl::level_of(const Campus& campus, int tier, int depth) const {
  if (config_.cap_mode == PowerConfig::CapMode::uniform) return depth;
  const int span = campus.levels - 1;
  return std::clamp(depth - tier * span, 0, span);
}

int PowerControl::max_depth(const Campus& campus) const {
  const int span = campus.levels - 1;
  return config_.cap_mode == PowerConfig::CapMode::uniform ? span : span * static_cast<int>(campus.tiers.size());
}

std::int64_t PowerControl::tiers_power_mw(const Campus& campus, int depth) const {
  std::int64_t sum = 0;
  for (std::size_t t = 0; t < campus.tiers.size(); ++t)
    sum += campus.tiers[t].power_mw[static_cast<std::size_t>(level_of(campus, static_cast<int>(t), depth))];
  return sum;
}

double PowerControl::tiers_slowed(const Campus& campus, int depth) const {
  double sum = 0;
  for (std::size_t t = 0; t < campus.tiers.size(); ++t)
    sum += campus.tiers[t].slowed[static_cast<std::size_t>(level_of(campus, static_cast<int>(t), depth))];
  return sum;
}

std::int64_t PowerControl::hall_excess_mw(const Campus& campus, const Hall& hall, int depth) const {
  std::int64_t power = hall.idle_mw;
  for (std::size_t t = 0; t < hall.power_mw.size(); ++t)
    power += hall.power_mw[t][static_cast<std::size_t>(level_of(campus, static_cast<int>(t), depth))];
  return power - hall.limit_mw;
}

std::int64_t PowerControl::halls_excess_mw(const Campus& campus, int depth, int& worst) const {
  std::int64_t most = std::numeric_limits<std::int64_t>::min();
  worst = -1;
  for (int h : campus.halls) {
    const std::int64_t excess = hall_excess_mw(campus, halls_[static_cast<std::size_t>(h)], depth);
    if (excess > most) most = excess;
    if (excess > 0 && (worst < 0 || excess > hall_excess_mw(campus, halls_[static_cast<std::size_t>(worst)], depth))) worst = h;
  }
  return most;
}

void PowerControl::hall_add(const Running& job, int tier, const std::int64_t* power_mw, int levels, int sign) {
  const int h = hall_of_cluster_[job.cluster];
  if (h < 0) return;
  std::vector<std::int64_t>& sums = halls_[static_cast<std::size_t>(h)].power_mw[static_cast<std::size_t>(tier)];
  for (int k = 0; k < levels; ++k) sums[static_cast<std::size_t>(k)] += sign * power_mw[k];
}

int PowerControl::rack_of(int cluster, int node) const {
  const int base = rack_base_[static_cast<std::size_t>(cluster)];
  return base < 0 ? -1 : base + node / std::max(1, fleet_.clusters[static_cast<std::size_t>(cluster)].nodes_per_rack);
}

std::int64_t PowerControl::part_mw(const std::int64_t* job_power_mw, int level, int taken, int allocated) const {
  return allocated > 0 ? std::llround(double(job_power_mw[level]) * taken / allocated) : 0;
}

std::int64_t PowerControl::rack_excess_mw(const Campus& campus, const Rack& rack, int depth) const {
  const std::size_t levels = static_cast<std::size_t>(campus.levels);
  std::int64_t power = rack.idle_mw;
  for (std::size_t t = 0; t < priorities_.size(); ++t)
    power += rack.power_mw[t * levels + static_cast<std::size_t>(level_of(campus, static_cast<int>(t), depth))];
  return power - rack.limit_mw;
}

// A job's share of each rack it runs on (whole GPUs only: fractional jobs are left out of rack sums).
void PowerControl::racks_add(Campus& campus, const Job& job, const Placement& placement, int tier,
                             const std::int64_t* power_mw, int levels, int sign) {
  if (rack_base_[static_cast<std::size_t>(placement.cluster)] < 0 || placement.gpu_milli > 0) return;
  (void)job;
  const int allocated = placement.gpus();
  for (const auto& [node, taken] : placement.parts) {
    Rack& rack = racks_[static_cast<std::size_t>(rack_of(placement.cluster, node))];
    for (int k = 0; k < levels; ++k)
      rack.power_mw[static_cast<std::size_t>(tier * levels + k)] += sign * part_mw(power_mw, k, taken, allocated);
    if (sign > 0 && !rack.hot &&
        rack_excess_mw(campus, rack, 0) + rack.limit_mw > static_cast<std::int64_t>(rack.limit_mw * (1 - config_.hysteresis))) {
      rack.hot = true;
      campus.hot_racks.push_back(rack_of(placement.cluster, node));
    }
  }
}

// The most any of the campus's hot racks is above `keep` x its limit at `depth` (mW); racks no longer hot leave
// the list.
std::int64_t PowerControl::racks_excess_mw(Campus& campus, int depth, double keep) {
  std::int64_t most = std::numeric_limits<std::int64_t>::min();
  std::size_t kept = 0;
  for (int r : campus.hot_racks) {
    Rack& rack = racks_[static_cast<std::size_t>(r)];
    const std::int64_t at_zero = rack_excess_mw(campus, rack, 0) + rack.limit_mw;
    if (at_zero <= static_cast<std::int64_t>(rack.limit_mw * (1 - config_.hysteresis))) {
      rack.hot = false;
      continue;
    }
    campus.hot_racks[kept++] = r;
    const std::int64_t limit = static_cast<std::int64_t>(std::floor(rack.limit_mw * keep));
    most = std::max(most, rack_excess_mw(campus, rack, depth) + rack.limit_mw - limit);
  }
  campus.hot_racks.resize(kept);
  return most;
}

double PowerControl::it_budget_w(int c) const {
  const Campus& campus = campuses_[c];
  if (!(campus.budget_w > 0)) return kInfinity;
  return campus.budget_w * kAim / meter_.campus(c).factors().pue;
}

double PowerControl::admission_it_budget_w(int c) const {
  const Campus& campus = campuses_[c];
  double budget_w = campus.budget_w > 0 ? campus.budget_w : kInfinity;
  for (const auto& [start_s, target_w] : campus.upcoming) budget_w = std::min(budget_w, target_w);
  if (budget_w == kInfinity) return kInfinity;
  return budget_w * kAim / meter_.campus(c).factors().pue;
}

int PowerControl::tier_index(int priority) const {
  return static_cast<int>(std::lower_bound(priorities_.begin(), priorities_.end(), priority) - priorities_.begin());
}

void PowerControl::job_levels(const Job& job, const Placement& placement, int levels, std::int64_t* power_mw,
                              double* slowed) const {
  const Cluster& cluster = fleet_.clusters[placement.cluster];
  const double share = job_gpu_share(job, placement);
  const double uncapped_rate = job_rate(job, cluster, cluster.power_cap_w);
  // Levels whose cap is above what the job draws under its cluster's cap change nothing: only the deeper ones are
  // evaluated (caps fall with the level).
  const double drawn_w = job_gpu_power_w(job, cluster);
  power_mw[0] = milliwatts(share * extra_power_per_gpu_w(job, cluster, cluster.power_cap_w));
  slowed[0] = 0;
  for (int level = 1; level < levels; ++level) {
    const double cap = tighter_cap_w(cluster.power_cap_w, cap_at_level(*cluster.gpu, level));
    if (cap <= 0 || cap >= drawn_w) {
      power_mw[level] = power_mw[0];
      slowed[level] = 0;
      continue;
    }
    power_mw[level] = milliwatts(share * extra_power_per_gpu_w(job, cluster, cap));
    slowed[level] = uncapped_rate <= 0 ? 0.0 : share * (1 - job_rate(job, cluster, cap) / uncapped_rate);
  }
}

// The integrals up to `now`, at the campus's depth and tiers as they were.
void PowerControl::advance(Campus& campus, double now) {
  const double span = now - campus.since_s;
  if (span > 0 && campus.depth > 0) {
    campus.totals.time_capped_s += span;
    campus.totals.work_slowed_gpu_s += tiers_slowed(campus, campus.depth) * span;
  }
  campus.since_s = now;
}

void PowerControl::on_started(const JobRun& run) {
  const Job& job = run.job;
  Campus& campus = campuses_[campus_of(run.placement)];
  advance(campus, run.time_s);
  const int t = tier_index(job.priority);
  Tier& tier = campus.tiers[static_cast<std::size_t>(t)];
  const std::size_t levels = static_cast<std::size_t>(campus.levels);
  const std::size_t at = tier.jobs.size();
  tier.jobs.push_back({job.id, run.placement.cluster, run.time_s});
  tier.job_power_mw.resize((at + 1) * levels);
  tier.job_slowed.resize((at + 1) * levels);
  if (admitted_ == job.id && admitted_cluster_ == run.placement.cluster && admitted_milli_ == run.placement.gpu_milli) {
    std::copy_n(scratch_power_.data(), levels, &tier.job_power_mw[at * levels]);
    std::copy_n(scratch_slowed_.data(), levels, &tier.job_slowed[at * levels]);
  } else {
    job_levels(job, run.placement, campus.levels, &tier.job_power_mw[at * levels], &tier.job_slowed[at * levels]);
  }
  admitted_ = kNone;
  for (std::size_t k = 0; k < levels; ++k) {
    tier.power_mw[k] += tier.job_power_mw[at * levels + k];
    tier.slowed[k] += tier.job_slowed[at * levels + k];
  }
  hall_add(tier.jobs[at], t, &tier.job_power_mw[at * levels], campus.levels, +1);
  racks_add(campus, job, run.placement, t, &tier.job_power_mw[at * levels], campus.levels, +1);
  position_[job.id] = static_cast<std::int32_t>(at);
  tier_of_job_[job.id] = static_cast<std::int16_t>(t);
}

void PowerControl::on_stopped(const JobRun& run) {
  const Job& job = run.job;
  Campus& campus = campuses_[campus_of(run.placement)];
  advance(campus, run.time_s);
  Tier& tier = campus.tiers[static_cast<std::size_t>(tier_of_job_[job.id])];
  const std::size_t levels = static_cast<std::size_t>(campus.levels);
  const std::size_t at = static_cast<std::size_t>(position_[job.id]), last = tier.jobs.size() - 1;
  hall_add(tier.jobs[at], tier_of_job_[job.id], &tier.job_power_mw[at * levels], campus.levels, -1);
  racks_add(campus, job, run.placement, tier_of_job_[job.id], &tier.job_power_mw[at * levels], campus.levels, -1);
  for (std::size_t k = 0; k < levels; ++k) {
    tier.power_mw[k] -= tier.job_power_mw[at * levels + k];
    tier.slowed[k] -= tier.job_slowed[at * levels + k];
  }
  if (at != last) {
    tier.jobs[at] = tier.jobs[last];
    std::copy_n(&tier.job_power_mw[last * levels], levels, &tier.job_power_mw[at * levels]);
    std::copy_n(&tier.job_slowed[last * levels], levels, &tier.job_slowed[at * levels]);
    position_[tier.jobs[at].id] = static_cast<std::int32_t>(at);
  }
  tier.jobs.pop_back();
  tier.job_power_mw.resize(last * levels);
  tier.job_slowed.resize(last * levels);
  position_[job.id] = -1;
}

// Lowers or raises every running job's cap to its tier's level at `depth`.
void PowerControl::set_depth(int c, int depth) {
  Campus& campus = campuses_[c];
  if (depth == campus.depth) return;
  advance(campus, control_.now_s());
  const int old_depth = campus.depth;
  campus.depth = depth;
  if (depth > 0) ensure_tick();
  for (std::size_t t = 0; t < campus.tiers.size(); ++t) {
    const int level = level_of(campus, static_cast<int>(t), depth);
    if (level == level_of(campus, static_cast<int>(t), old_depth)) continue;
    // set_job_cap announces; no listener of ours changes the tier's list meanwhile.
    const std::vector<Running> jobs = campus.tiers[t].jobs;
    for (const Running& job : jobs) control_.set_job_cap(job.id, cap_at_level(*fleet_.clusters[job.cluster].gpu, level));
  }
}

std::vector<std::uint64_t> PowerControl::choose_victims(const Campus& campus, int below_priority, int depth,
                                                        std::int64_t excess_mw, std::int64_t& freed_mw, int cluster,
                                                        bool skip_pausing) const {
  struct Candidate {
    int tier;
    double start_s;
    std::uint64_t id;
    std::int64_t power_mw;
  };
  std::vector<Candidate> candidates;
  const std::size_t levels = static_cast<std::size_t>(campus.levels);
  for (std::size_t t = 0; t < campus.tiers.size(); ++t) {
    const Tier& tier = campus.tiers[t];
    if (tier.priority >= below_priority) break;
    const std::size_t level = static_cast<std::size_t>(level_of(campus, static_cast<int>(t), depth));
    for (std::size_t i = 0; i < tier.jobs.size(); ++i)
      if (cluster < 0 || tier.jobs[i].cluster == cluster)
        candidates.push_back({static_cast<int>(t), tier.jobs[i].start_s, tier.jobs[i].id, tier.job_power_mw[i * levels + level]});
  }
  // Lowest priority first; youngest first among equals (it loses least), then by id.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.start_s != b.start_s) return a.start_s > b.start_s;
    return a.id > b.id;
  });
  std::vector<std::uint64_t> victims;
  freed_mw = 0;
  for (const Candidate& candidate : candidates) {
    if (freed_mw >= excess_mw) break;
    if (candidate.power_mw <= 0) continue;
    if (!(skip_pausing && pausing_[candidate.id])) victims.push_back(candidate.id);
    freed_mw += candidate.power_mw;
  }
  return victims;
}

Admission PowerControl::admit(const Job& job, const Placement& placement) {
  const int c = campus_of(placement);  // where it starts (a dispatched job's campus may not be its home)
  Campus& campus = campuses_[c];
  const double budget_it = admission_it_budget_w(c);
  const int h = hall_of_cluster_[placement.cluster];
  Admission admission;
  const int t = tier_index(job.priority);
  const bool racked = rack_base_[static_cast<std::size_t>(placement.cluster)] >= 0 && placement.gpu_milli == 0;
  if (budget_it == kInfinity && h < 0 && !racked) {
    admission.cap_w = cap_at_level(*fleet_.clusters[placement.cluster].gpu, level_of(campus, t, campus.depth));
    return admission;
  }
  scratch_power_.resize(static_cast<std::size_t>(campus.levels));
  scratch_slowed_.resize(static_cast<std::size_t>(campus.levels));
  job_levels(job, placement, campus.levels, scratch_power_.data(), scratch_slowed_.data());
  admitted_ = job.id;  // on_started takes these levels if the job starts next, as admitted
  admitted_cluster_ = placement.cluster;
  admitted_milli_ = placement.gpu_milli;
  // Power above the budget at `depth` with the job, less `freed` (mW): the campus's (its fixed part: idle, services...
  // and its tiers) and the hall's of the job's cluster, if it has a limit; the larger.
  const std::int64_t budget_mw =
      budget_it == kInfinity ? std::numeric_limits<std::int64_t>::max() / 4 : static_cast<std::int64_t>(std::floor(budget_it * 1000));
  // The racks it would run on, each with the job's power there at every level (parts on one rack added up).
  std::vector<std::pair<int, std::vector<std::int64_t>>> job_racks;
  if (racked) {
    const int allocated = placement.gpus();
    std::vector<std::pair<int, int>> parts;  // (rack, GPUs taken), in rack order
    for (const auto& [node, taken] : placement.parts) parts.emplace_back(rack_of(placement.cluster, node), taken);
    std::sort(parts.begin(), parts.end());
    for (const auto& [r, taken] : parts) {
      if (job_racks.empty() || job_racks.back().first != r) job_racks.emplace_back(r, std::vector<std::int64_t>(scratch_power_.size(), 0));
      for (std::size_t k = 0; k < scratch_power_.size(); ++k)
        job_racks.back().second[k] += part_mw(scratch_power_.data(), static_cast<int>(k), taken, allocated);
    }
  }
  auto racks_excess = [&](int depth) {
    std::int64_t most = std::numeric_limits<std::int64_t>::min();
    const std::size_t level = static_cast<std::size_t>(level_of(campus, t, depth));
    for (const auto& [r, power] : job_racks)
      most = std::max(most, rack_excess_mw(campus, racks_[static_cast<std::size_t>(r)], depth) + power[level]);
    return most;
  };
  auto excess_at = [&](int depth, std::int64_t freed, bool& hall_binds) {
    const std::int64_t fixed_mw = milliwatts(meter_.campus(c).it_power_w()) - tiers_power_mw(campus, campus.depth);
    const std::int64_t job_mw = scratch_power_[static_cast<std::size_t>(level_of(campus, t, depth))];
    const std::int64_t campus_excess = fixed_mw + tiers_power_mw(campus, depth) + job_mw - freed - budget_mw;
    const std::int64_t hall_excess =
        h < 0 ? std::numeric_limits<std::int64_t>::min() : hall_excess_mw(campus, halls_[static_cast<std::size_t>(h)], depth) + job_mw - freed;
    hall_binds = hall_excess > 0;
    // Stops free nothing a rack needs: a rack above its limit is held by caps or the job waits.
    return std::max({campus_excess, hall_excess, job_racks.empty() ? std::numeric_limits<std::int64_t>::min() : racks_excess(depth)});
  };
  int depth = campus.depth;
  std::vector<std::uint64_t> victims;
  std::int64_t freed = 0;
  bool hall_binds = false;
  bool fits = excess_at(depth, 0, hall_binds) <= 0;
  for (const std::string& name : config_.controls) {
    if (fits || name == "admission") break;
    if (name == "cap") {
      for (int d = depth; d <= max_depth(campus); ++d) {
        depth = d;
        if ((fits = excess_at(d, freed, hall_binds) <= 0)) break;
      }
    } else if (name == "preempt") {
      // A hall above its limit needs victims on its cluster (they free the campus's power too).
      std::int64_t more = 0;
      const std::int64_t excess = excess_at(depth, freed, hall_binds);
      victims = choose_victims(campus, job.priority, depth, excess, more, hall_binds ? placement.cluster : -1);
      freed = more;
      fits = excess_at(depth, freed, hall_binds) <= 0;
    }
  }
  if (!fits) {
    admitted_ = kNone;
    delayed_[job.id] = 1;
    campus.waiting = true;
    ensure_tick();
    admission.admitted = false;
    return admission;
  }
  for (std::uint64_t victim : victims) stop(victim);
  if (!victims.empty()) {
    // With the victims gone, the shallowest depth that fits (never shallower than the current one).
    for (int d = campus.depth; d <= depth; ++d)
      if (excess_at(d, 0, hall_binds) <= 0) {
        depth = d;
        break;
      }
  }
  set_depth(c, depth);
  admission.cap_w = cap_at_level(*fleet_.clusters[placement.cluster].gpu, level_of(campus, t, depth));
  return admission;
}

void PowerControl::enforce(int c) {
  if (!config_.enforced()) return;
  Campus& campus = campuses_[c];
  const double budget_it = it_budget_w(c);
  if (budget_it == kInfinity && campus.halls.empty() && campus.hot_racks.empty()) return;
  const std::int64_t budget_mw =
      budget_it == kInfinity ? std::numeric_limits<std::int64_t>::max() / 4 : static_cast<std::int64_t>(std::floor(budget_it * 1000));
  auto campus_excess = [&](int depth) {
    return milliwatts(meter_.campus(c).it_power_w()) - tiers_power_mw(campus, campus.depth) + tiers_power_mw(campus, depth) -
           budget_mw;
  };
  int worst = -1;
  auto excess = [&](int depth) {
    return std::max({campus_excess(depth), halls_excess_mw(campus, depth, worst), racks_excess_mw(campus, depth, 1.0)});
  };
  if (excess(campus.depth) <= 0) return;
  for (const std::string& name : config_.controls) {
    if (name == "cap") {
      int depth = campus.depth;
      while (depth < max_depth(campus) && excess(depth) > 0) ++depth;
      set_depth(c, depth);
    } else if (name == "preempt") {
      std::int64_t freed = 0;
      if (campus_excess(campus.depth) > 0)
        for (std::uint64_t victim :
             choose_victims(campus, std::numeric_limits<int>::max(), campus.depth, campus_excess(campus.depth), freed))
          stop(victim);
      // Then each hall still above its limit, with victims on it.
      while (halls_excess_mw(campus, campus.depth, worst) > 0 && worst >= 0) {
        const Hall& hall = halls_[static_cast<std::size_t>(worst)];
        const auto victims = choose_victims(campus, std::numeric_limits<int>::max(), campus.depth,
                                            hall_excess_mw(campus, hall, campus.depth), freed, hall.cluster);
        if (victims.empty()) break;
        for (std::uint64_t victim : victims) stop(victim);
      }
    }
    if (excess(campus.depth) <= 0) return;
  }
}

// Raises caps as far as leaves `hysteresis` of the budget free, and lets waiting jobs try again.
void PowerControl::relax(int c) {
  Campus& campus = campuses_[c];
  if (campus.depth > 0) {
    const double budget_it = it_budget_w(c);
    const double keep = 1 - config_.hysteresis;
    const std::int64_t limit_mw = budget_it == kInfinity ? std::numeric_limits<std::int64_t>::max() / 4
                                                         : static_cast<std::int64_t>(std::floor(budget_it * keep * 1000));
    const std::int64_t fixed_mw = milliwatts(meter_.campus(c).it_power_w()) - tiers_power_mw(campus, campus.depth);
    // Each hall likewise keeps `hysteresis` of its limit free.
    auto halls_fit = [&](int d) {
      for (int h : campus.halls) {
        const Hall& hall = halls_[static_cast<std::size_t>(h)];
        if (hall_excess_mw(campus, hall, d) + hall.limit_mw > static_cast<std::int64_t>(std::floor(hall.limit_mw * keep))) return false;
      }
      return true;
    };
    int depth = campus.depth;
    for (int d = 0; d < campus.depth; ++d)
      if (fixed_mw + tiers_power_mw(campus, d) <= limit_mw && halls_fit(d) && racks_excess_mw(campus, d, keep) <= 0) {
        depth = d;
        break;
      }
    set_depth(c, depth);
  }
  if (campus.waiting) {
    campus.waiting = false;
    control_.reschedule(c);
  }
}

}  // namespace fleetsim

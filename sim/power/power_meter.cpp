#include "sim/power/power_meter.hpp"

#include <algorithm>
#include <cmath>

#include "sim/power/job_power.hpp"
#include "sim/power/nameplate.hpp"

namespace fleetsim {

bool has_hourly_conditions(const Scenario& scenario) {
  for (const CampusConfig& campus : scenario.campuses)
    if (!campus.ambient_c.is_constant() || !campus.carbon_g_per_kwh.is_constant() ||
        !campus.price_eur_per_mwh.is_constant() || !campus.loads.empty())
      return true;
  return false;
}

void PowerMeter::RackPower::add(int node, double watts) {
  const int rack = node / nodes_per_rack;
  extra_w[rack] += watts;
  if (limit_w > 0 && watts > 0) {
    const int nodes_in_rack = std::min(nodes_per_rack, nodes - rack * nodes_per_rack);
    peak_ratio = std::max(peak_ratio, (nodes_in_rack * node_idle_w + extra_w[rack]) / limit_w);
  }
}

PowerMeter::PowerMeter(const Scenario& scenario, const Fleet& fleet, Lifecycle& lifecycle)
    : scenario_(scenario),
      fleet_(fleet),
      installed_(fleet.campuses.size()) {
  for (std::size_t c = 0; c < fleet.campuses.size(); ++c) {
    load_w_.push_back(non_gpu_load_w(static_cast<int>(c), 0));
    power_.emplace_back(fleet.campuses[c].idle_power_w + load_w_.back(), factors(static_cast<int>(c), 0));
    power_.back().set_budget(0, scenario.campuses[c].grid_connection_w);
  }
  for (const Cluster& cluster : fleet.clusters) {
    const bool installed = cluster.commission_s <= 0;
    RackPower racks;
    racks.nodes_per_rack = cluster.nodes_per_rack;
    racks.node_idle_w = cluster.node->idle_power_w(*cluster.gpu);
    racks.limit_w = cluster.rack_limit_w;
    racks.nodes = cluster.state.node_count();
    racks.extra_w.assign((racks.nodes + racks.nodes_per_rack - 1) / racks.nodes_per_rack, 0.0);
    racks.peak_ratio = installed ? racks.idle_ratio() : 0;
    racks_.push_back(std::move(racks));
    if (installed) installed_[cluster.campus].gpus += cluster.state.node_count() * cluster.state.gpus_per_node();
  }
  lifecycle.job_started.connect([this](const JobRun& run) { on_run(run, run.cap_w, +1); });
  lifecycle.job_ended.connect([this](const JobRun& run) { on_run(run, run.cap_w, -1); });
  lifecycle.job_interrupted.connect([this](const JobRun& run, const Interruption&) { on_run(run, run.cap_w, -1); });
  lifecycle.job_cap_changed.connect([this](const JobRun& run, double old_cap_w) {
    on_run(run, old_cap_w, -1);
    on_run(run, run.cap_w, +1);
  });
  lifecycle.hour_tick.connect([this](double time_s, long long hour) { on_hour(time_s, hour); });
  lifecycle.nodes_down.connect([this](const NodeChange& change) { on_nodes(change, -1); });
  lifecycle.nodes_up.connect([this](const NodeChange& change) { on_nodes(change, +1); });
  lifecycle.service_load_changed.connect([this](const ServiceLoad& load) { on_service(load); });
}

// An inference service's power above its nodes' idle power and the GPUs it holds: the change since its last load.
// (Its nodes' racks are not tracked: rack ratios count jobs only.)
void PowerMeter::on_service(const ServiceLoad& load) {
  if (services_.size() <= static_cast<std::size_t>(load.service)) services_.resize(static_cast<std::size_t>(load.service) + 1);
  ServiceLoad& last = services_[static_cast<std::size_t>(load.service)];
  power_[load.campus].change(load.time_s, load.extra_power_w - last.extra_power_w, load.gpus - last.gpus);
  last = load;
}

// A run starts (sign +1) or stops (-1) under power cap `cap_w`: its GPUs' power above idle on its racks and its
// campus. A cap change is a stop under the old cap and a start under the new one (no GPUs change hands).
void PowerMeter::on_run(const JobRun& run, double cap_w, int sign) {
  const Job& job = run.job;
  const Placement& placement = run.placement;
  const Cluster& cluster = fleet_.clusters[placement.cluster];
  RackPower& racks = racks_[placement.cluster];
  const double per_gpu_w = sign * extra_power_per_gpu_w(job, cluster, cap_w);
  if (racks.limit_w <= 0) {
    // No rack limit: rack power is not reported, nothing to track per rack.
  } else if (placement.gpu_milli > 0) {
    racks.add(run.shared_node, per_gpu_w * placement.gpu_milli / kMilliPerGpu);
  } else {
    // The GPUs the placement took when it started (whole nodes for a multi-node job).
    // Racks of a multi-node job fetched well ahead, as ClusterState does with node records.
    constexpr std::size_t kAhead = 32;
    const auto& parts = placement.parts;
    const int taken = placement.gpus();
    for (std::size_t i = 0; i < std::min(parts.size(), kAhead); ++i)
      __builtin_prefetch(&racks.extra_w[parts[i].first / racks.nodes_per_rack], 1);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i + kAhead < parts.size()) __builtin_prefetch(&racks.extra_w[parts[i + kAhead].first / racks.nodes_per_rack], 1);
      racks.add(parts[i].first, per_gpu_w * job_gpus_on(job, parts[i].second, taken));
    }
  }
  power_[cluster.campus].change(run.time_s, per_gpu_w * job_gpu_share(job, placement), sign * run.gpus_taken);
}

void PowerMeter::on_hour(double time_s, long long hour) {
  for (std::size_t c = 0; c < power_.size(); ++c) {
    power_[c].set_factors(time_s, factors(static_cast<int>(c), hour));
    const double load_w = non_gpu_load_w(static_cast<int>(c), time_s);
    if (load_w != load_w_[c]) power_[c].change(time_s, load_w - load_w_[c], 0);
    load_w_[c] = load_w;
  }
}

double PowerMeter::non_gpu_load_w(int c, double time_s) const {
  const CampusConfig& campus = scenario_.campuses[c];
  if (campus.loads.empty()) return 0;
  const double day_s = std::fmod(scenario_.simulation.calendar.start_epoch_s() + time_s, 86400.0);
  return campus.non_gpu_load_w(time_s, static_cast<int>(std::floor(day_s / 3600)) % 24);
}

// Nodes out of the pool are powered off (maintenance, decommissioned) or not yet there (commissioning).
void PowerMeter::on_nodes(const NodeChange& change, int sign) {
  const Cluster& cluster = fleet_.clusters[change.cluster];
  const int count = static_cast<int>(change.nodes.size());
  if (change.powered) power_[cluster.campus].change(change.time_s, sign * count * cluster.node->idle_power_w(*cluster.gpu), 0);
  if (change.installed) installed_[cluster.campus].change(change.time_s, sign * count * cluster.state.gpus_per_node());
  if (sign > 0 && change.reason == CapacityReason::commissioning) {
    RackPower& racks = racks_[change.cluster];
    racks.peak_ratio = std::max(racks.peak_ratio, racks.idle_ratio());
  }
}

CampusFactors PowerMeter::factors(int c, long long hour) const {
  const CampusConfig& campus = scenario_.campuses[c];
  CampusFactors factors;
  const long long signal_hour = scenario_.simulation.calendar.signal_hour(hour);
  factors.ambient_c = campus.ambient_c.at_hour(signal_hour);
  factors.pue = campus_pue(scenario_, campus, hour);
  factors.carbon_kg_per_j = campus.carbon_g_per_kwh.at_hour(signal_hour) / 1000.0 / 3.6e6;
  factors.price_eur_per_j = campus.price_eur_per_mwh.at_hour(signal_hour) / 3.6e9;
  return factors;
}

void PowerMeter::finish(double horizon_s) {
  for (CampusPower& power : power_) power.advance_to(horizon_s);
  for (Installed& installed : installed_) installed.change(horizon_s, 0);
}

double PowerMeter::peak_rack_ratio(int campus) const {
  double ratio = 0;
  for (int cluster : fleet_.campuses[campus].clusters) ratio = std::max(ratio, racks_[cluster].peak_ratio);
  return ratio;
}

}  // namespace fleetsim

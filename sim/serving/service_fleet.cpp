#include "sim/serving/service_fleet.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/inference/demand.hpp"
#include "sim/power/nameplate.hpp"

namespace fleetsim {

void ServiceFleet::Integrals::add(const Integrals& other) {
  requests += other.requests;
  served += other.served;
  meeting += other.meeting;
  input_tokens += other.input_tokens;
  output_tokens += other.output_tokens;
  replica_s += other.replica_s;
  gpu_s += other.gpu_s;
  energy_j += other.energy_j;
  facility_energy_j += other.facility_energy_j;
  cost_eur += other.cost_eur;
}

ServiceFleet::ServiceFleet(const Scenario& scenario, const Fleet& fleet, const std::vector<ServiceModel>& models,
                           Recorder& recorder, Lifecycle& lifecycle, FleetControl& control)
    : scenario_(scenario),
      fleet_(fleet),
      recorder_(recorder),
      control_(control),
      interval_s_(scenario.simulation.telemetry_interval_s),
      horizon_s_(scenario.simulation.duration_s) {
  std::vector<ServiceInfo> infos;
  for (const ServiceModel& model : models) {
    const ServiceConfig& service = *model.config;
    State state;
    state.model = &model;
    state.campus = scenario.campus_index(service.campus);
    for (int cluster : fleet.campuses[state.campus].clusters)
      if (fleet.clusters[cluster].node->id == service.node) state.clusters.push_back(cluster);
    state.gpus_per_node = fleet.clusters[state.clusters.front()].state.gpus_per_node();
    state.replicas_per_node = std::max(1, state.gpus_per_node / service.gpus_per_replica());
    states_.push_back(std::move(state));
    infos.push_back(ServiceInfo{service.name, service.campus, service.model, service.node,
                                training::to_string(service.plan.precision), service.plan.tp, service.plan.pp,
                                service.gpus_per_replica(), service.min_replicas, service.max_replicas, service.priority,
                                service.slo.ttft_s, service.slo.tpot_s, service.slo.percentile,
                                model.curve.max_rate_rps, model.curve.pool_replicas, model.curve.pool_max_rate_rps,
                                model.curve.saturation_rps, model.load_time_s});
  }
  recorder_.services(infos);
  if (!states_.empty()) lifecycle.telemetry_tick.connect([this](double time_s) { on_tick(time_s); });
}

int ServiceFleet::held_gpus(std::size_t service) const {
  return static_cast<int>(states_[service].nodes.size()) * states_[service].gpus_per_node;
}

int ServiceFleet::loading_replicas(const State& state) const {
  int replicas = 0;
  for (const Loading& loading : state.loading) replicas += loading.replicas;
  return replicas;
}

void ServiceFleet::start() {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    State& state = states_[i];
    state.rate_rps = inference::mean_rate(state.model->config->demand, 0, std::min(interval_s_, horizon_s_));
    resize(i, 0);
    // The pool present at the start is warm: its replicas serve from t = 0.
    for (const Loading& loading : state.loading) state.ready += loading.replicas;
    state.loading.clear();
    announce(i);
  }
}

// Adds [segment_start, now) at the current pool and demand to the interval's integrals.
void ServiceFleet::integrate(State& state, double now_s) {
  const double dt = now_s - state.segment_start_s;
  state.segment_start_s = now_s;
  if (dt <= 0) return;
  const ServiceModel& model = *state.model;
  const ServiceConfig& service = *model.config;
  const inference::CapacityCurve& curve = model.curve;
  const double gpus_held = double(state.nodes.size()) * state.gpus_per_node;
  const double ready_gpus = double(state.ready) * service.gpus_per_replica();
  Integrals& in = state.interval;
  const double arrivals = state.rate_rps * dt;
  in.requests += arrivals;
  in.replica_s += state.ready * dt;
  in.gpu_s += gpus_held * dt;
  double busy_power_w = 0;  // the serving GPUs' power above idle, and their nodes' other parts above idle
  if (state.ready > 0) {
    const double per_replica = state.rate_rps / state.ready;
    const inference::CapacityPoint point = curve.at(per_replica);
    // Attainment in a pool: its load relative to the pool's capacity, read off the single replica's curve at the
    // same relative load (a pool at its capacity attains the SLO's percentile, as one replica at its own).
    const double relative = curve.capacity_per_replica(state.ready) > 0
                                ? per_replica * curve.max_rate_rps / curve.capacity_per_replica(state.ready)
                                : per_replica;
    const double attainment = curve.at(relative).attainment;
    const double served = std::min(arrivals, curve.saturation_rps * state.ready * dt);
    in.served += served;
    in.meeting += served * attainment;
    in.input_tokens += served * curve.mean_prompt_tokens;
    in.output_tokens += served * curve.mean_output_tokens;
    busy_power_w = ready_gpus * (point.gpu_power_w - curve.idle_gpu_power_w +
                                 model.node_base_extra_w_per_gpu * point.busy_fraction);
  }
  // Every GPU held draws at least idle, with its share of its node's idle base.
  const double power_w = gpus_held * (curve.idle_gpu_power_w + model.node_base_w_per_gpu) + busy_power_w;
  const long long hour = static_cast<long long>(std::floor(now_s > dt ? (now_s - dt) / 3600 : 0));
  if (hour != state.factors_hour) {
    const CampusConfig& campus = scenario_.campuses[state.campus];
    state.factors_hour = hour;
    state.pue = campus_pue(scenario_, campus, hour);
    state.price_eur_per_j = campus.price_eur_per_mwh.at_hour(scenario_.simulation.calendar.signal_hour(hour)) / 3.6e9;
  }
  const double facility_j = power_w * dt * state.pue;
  in.energy_j += power_w * dt;
  in.facility_energy_j += facility_j;
  in.cost_eur += facility_j * state.price_eur_per_j + gpus_held * dt / 3600 * service.gpu_hour_eur;
}

// The pool for `rate_rps`: more replicas (loading from now) or fewer (loading ones go first), and the nodes they need.
void ServiceFleet::resize(std::size_t index, double now_s) {
  State& state = states_[index];
  const ServiceModel& model = *state.model;
  const ServiceConfig& service = *model.config;
  const int needed = model.replicas_for(state.rate_rps);
  const int present = state.ready + loading_replicas(state);
  if (needed > present) {
    ++state.scale_ups;
    const int nodes_wanted = (needed + state.replicas_per_node - 1) / state.replicas_per_node;
    for (int cluster : state.clusters) {
      const int more = nodes_wanted - static_cast<int>(state.nodes.size());
      if (more <= 0) break;
      for (int node : control_.take_nodes(cluster, more, service.priority)) state.nodes.push_back(Held{cluster, node});
    }
    const int room = static_cast<int>(state.nodes.size()) * state.replicas_per_node;
    const int added = std::min(needed, room) - present;
    if (added > 0) {
      // A replica that would finish loading after the horizon never serves (and no event is set past it).
      const double ready_s = now_s + model.load_time_s;
      state.loading.push_back(Loading{ready_s, added});
      if (ready_s < horizon_s_) control_.at(ready_s, [this, index] { became_ready(index); });
    }
    if (room < needed) ++state.intervals_short;
  } else if (needed < present) {
    int excess = present - needed;
    while (excess > 0 && !state.loading.empty()) {
      const int dropped = std::min(excess, state.loading.back().replicas);
      state.loading.back().replicas -= dropped;
      excess -= dropped;
      if (state.loading.back().replicas == 0) state.loading.pop_back();
    }
    state.ready -= excess;
  }
  // Give back the nodes the pool no longer fills, last taken first.
  const int keep = (state.ready + loading_replicas(state) + state.replicas_per_node - 1) / state.replicas_per_node;
  std::map<int, std::vector<int>> released;
  while (static_cast<int>(state.nodes.size()) > keep) {
    released[state.nodes.back().cluster].push_back(state.nodes.back().node);
    state.nodes.pop_back();
  }
  for (const auto& [cluster, nodes] : released) control_.give_back_nodes(cluster, nodes);
}

void ServiceFleet::became_ready(std::size_t index) {
  State& state = states_[index];
  const double now = control_.now_s();
  integrate(state, now);
  bool changed = false;
  while (!state.loading.empty() && state.loading.front().ready_s <= now) {
    state.ready += state.loading.front().replicas;
    state.loading.pop_front();
    changed = true;
  }
  if (changed) announce(index);
}

// The service's load now: the power its serving GPUs and their nodes add above idle, and the GPUs it holds.
void ServiceFleet::announce(std::size_t index) {
  State& state = states_[index];
  const ServiceModel& model = *state.model;
  double extra_w = 0;
  if (state.ready > 0) {
    const inference::CapacityPoint point = model.curve.at(state.rate_rps / state.ready);
    extra_w = double(state.ready) * model.config->gpus_per_replica() *
              (point.gpu_power_w - model.curve.idle_gpu_power_w + model.node_base_extra_w_per_gpu * point.busy_fraction);
  }
  if (extra_w == state.announced_w && held_gpus(index) == state.announced_gpus) return;
  state.announced_w = extra_w;
  state.announced_gpus = held_gpus(index);
  control_.set_service_load(ServiceLoad{static_cast<int>(index), state.campus, 0, extra_w, held_gpus(index)});
}

void ServiceFleet::on_tick(double time_s) {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    State& state = states_[i];
    integrate(state, time_s);
    const double span = time_s - state.interval_start_s;
    const Integrals& in = state.interval;
    ServiceSample sample;
    sample.time_s = state.interval_start_s;
    if (span > 0) {
      sample.requests_per_s = in.requests / span;
      sample.input_tokens_per_s = in.input_tokens / span;
      sample.output_tokens_per_s = in.output_tokens / span;
      sample.replicas = in.replica_s / span;
      sample.gpus = in.gpu_s / span;
      sample.power_w = in.energy_j / span;
    }
    sample.slo_attainment = in.requests > 0 ? in.meeting / in.requests : 1.0;
    recorder_.service_sample(i, sample);
    state.total.add(in);
    state.interval = Integrals{};
    state.interval_start_s = time_s;
    if (time_s < horizon_s_) {
      state.rate_rps = inference::mean_rate(state.model->config->demand, time_s, std::min(time_s + interval_s_, horizon_s_));
      resize(i, time_s);
      announce(i);
    }
  }
}

std::vector<ServiceTotals> ServiceFleet::totals(double horizon_s) {
  std::vector<ServiceTotals> totals;
  for (State& state : states_) {
    integrate(state, horizon_s);
    state.total.add(state.interval);
    state.interval = Integrals{};
    const Integrals& t = state.total;
    ServiceTotals total;
    total.requests = t.requests;
    total.requests_served = t.served;
    total.requests_meeting_slo = t.meeting;
    total.input_tokens = t.input_tokens;
    total.output_tokens = t.output_tokens;
    total.it_energy_j = t.energy_j;
    total.facility_energy_j = t.facility_energy_j;
    total.cost_eur = t.cost_eur;
    total.gpu_hours = t.gpu_s / 3600;
    total.scale_ups = state.scale_ups;
    total.replicas_short = state.intervals_short;
    totals.push_back(total);
  }
  return totals;
}

ServiceReading ServiceFleet::served(int campus) const {
  ServiceReading reading;
  for (const State& state : states_) {
    if (state.campus != campus) continue;
    reading.tokens += state.total.input_tokens + state.total.output_tokens;
    reading.gpu_s += state.total.gpu_s;
  }
  return reading;
}

}  // namespace fleetsim

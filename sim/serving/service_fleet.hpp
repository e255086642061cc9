#pragma once
// The fleet level of inference services (issue 13), a component of `fleetsim run`: at every telemetry tick each
// service sizes its pool for the coming interval from its capacity curve (replicas = demand / one replica's capacity
// under the SLO, within [min, max]), takes the GPUs of new replicas from its campus's job pool (whole nodes, through
// FleetControl::take_nodes, preempting lower-priority jobs) and gives back those it no longer needs. A new replica
// serves once its model has loaded (ServiceModel::load_time_s); replicas present at t = 0 are loaded. Between ticks
// the pool's power, SLO attainment and tokens are read off the curve at the load per serving replica; the service
// sets its power above idle with FleetControl::set_service_load (the power meter adds it to the campus) and records
// /services/<name>/timeseries and its totals.
#include <deque>
#include <vector>

#include "sim/fleet/lifecycle.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/serving/service_model.hpp"
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

class ServiceFleet {
 public:
  ServiceFleet(const Scenario& scenario, const Fleet& fleet, const std::vector<ServiceModel>& models,
               Recorder& recorder, Lifecycle& lifecycle, FleetControl& control);

  // Starts every service with the replicas its first interval needs (at t = 0; call before the run).
  void start();
  // Integrates to the horizon and returns each service's totals.
  std::vector<ServiceTotals> totals(double horizon_s);

  // What a service runs now (for tests).
  int ready_replicas(std::size_t service) const { return states_[service].ready; }
  int held_gpus(std::size_t service) const;
  // Tokens the campus's services served and GPU-seconds they held, up to their last telemetry tick.
  ServiceReading served(int campus) const;

 private:
  struct Held {
    int cluster;
    int node;
  };
  struct Loading {
    double ready_s;
    int replicas;
  };
  // Integrals over an interval (and the whole run).
  struct Integrals {
    double requests = 0, served = 0, meeting = 0, input_tokens = 0, output_tokens = 0;
    double replica_s = 0, gpu_s = 0, energy_j = 0, facility_energy_j = 0, cost_eur = 0;
    void add(const Integrals& other);
  };
  struct State {
    const ServiceModel* model = nullptr;
    int campus = 0;
    std::vector<int> clusters;   // the campus's clusters of the service's node kind
    int gpus_per_node = 1;
    int replicas_per_node = 1;
    std::vector<Held> nodes;     // held, in the order taken
    int ready = 0;
    std::deque<Loading> loading;  // by ready time
    double rate_rps = 0;          // demand in the current interval
    double segment_start_s = 0;   // last change of the pool or the rate
    double interval_start_s = 0;
    Integrals interval, total;
    std::uint64_t scale_ups = 0, intervals_short = 0;
    double announced_w = -1;      // the load last set (set again only when it changes)
    int announced_gpus = -1;
    long long factors_hour = -1;  // the hour pue and price below are for
    double pue = 1, price_eur_per_j = 0;
  };

  void on_tick(double time_s);
  void integrate(State& state, double now_s);
  void resize(std::size_t index, double now_s);
  void became_ready(std::size_t index);
  void announce(std::size_t index);  // sets the service's load if it changed
  int loading_replicas(const State& state) const;

  const Scenario& scenario_;
  const Fleet& fleet_;
  Recorder& recorder_;
  FleetControl& control_;
  double interval_s_;
  double horizon_s_;
  std::vector<State> states_;
};

}  // namespace fleetsim

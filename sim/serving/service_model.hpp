#pragma once
// A service's replica model and capacity curve, built once from its [[service]] entry: what both levels use. The
// request level (`fleetsim serve`) runs its requests through a pool of these replicas; the fleet level (the
// ServiceFleet component in `fleetsim run`) sizes the pool from the curve. Random streams: "service/<i>/mix" (the
// curve's length mix) and "service/<i>/requests" (a profile demand's arrivals), i = position in [[service]].
#include <string>
#include <vector>

#include "sim/inference/capacity.hpp"
#include "sim/inference/replica_model.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

struct ServiceModel {
  const ServiceConfig* config = nullptr;
  inference::ReplicaModel replica;
  inference::CapacityCurve curve;
  double load_time_s = 0;  // a new replica's start (the service's load_time, else the model's)
  double node_base_w_per_gpu = 0;        // the node's non-GPU power at idle, per GPU
  double node_base_extra_w_per_gpu = 0;  // what it adds at full utilisation, per GPU

  // Replicas that carry `rate_rps` within the SLO (the curve's smallest pool, pooling included), within [min, max].
  int replicas_for(double rate_rps) const;
};

// The power cap a service's replicas run under: that of the first cluster of its node kind on its campus (0: none).
double service_power_cap_w(const Scenario& scenario, const ServiceConfig& service);
// Builds the model and computes the capacity curve. No load meeting the SLO (even 2% of the replica's throughput) is
// bad input: an InputError at the service's `slo`.
ServiceModel make_service_model(const Scenario& scenario, const ServiceConfig& service);

// Every service of the scenario, in [[service]] order, their curves computed on up to `threads` threads (each curve
// is independent and deterministic: the same results whatever the threads). The first service's error, if any, is
// rethrown.
std::vector<ServiceModel> make_service_models(const Scenario& scenario, unsigned threads);

std::string random_stream(const ServiceConfig& service, const char* what);

}  // namespace fleetsim

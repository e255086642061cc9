#include "sim/serving/service_model.hpp"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <cstdio>
#include <exception>
#include <optional>
#include <thread>

#include "sim/inference/demand.hpp"
#include "sim/training/machine.hpp"

namespace fleetsim {

std::string random_stream(const ServiceConfig& service, const char* what) {
  return "service/" + std::to_string(service.stream_index) + "/" + what;
}

int ServiceModel::replicas_for(double rate_rps) const {
  const ServiceConfig& service = *config;
  return std::clamp(curve.replicas_for(rate_rps), service.min_replicas, service.max_replicas);
}

double service_power_cap_w(const Scenario& scenario, const ServiceConfig& service) {
  const int campus = scenario.campus_index(service.campus);
  if (campus < 0) return 0;
  for (const ClusterConfig& cluster : scenario.campuses[static_cast<std::size_t>(campus)].clusters)
    if (cluster.node == service.node) return cluster.power_cap_w;
  return 0;
}

ServiceModel make_service_model(const Scenario& scenario, const ServiceConfig& service) {
  const hw::NodeSpec& node = *scenario.hardware.find_node(service.node);
  // Under the power cap of the campus's clusters of the service's node kind (the first one's: its replicas take
  // nodes there), which slows compute-bound kernels (prompts) and caps what a GPU draws.
  const training::Machine machine = training::machine_for(scenario.hardware, node, nullptr, service_power_cap_w(scenario, service));
  ServiceModel model{&service, inference::ReplicaModel(*scenario.hardware.find_model(service.model), machine, service.plan),
                     {}, 0, 0, 0};
  model.load_time_s = service.load_time_s > 0 ? service.load_time_s : model.replica.load_time_s();
  model.node_base_w_per_gpu = node.base_w / node.gpus;
  model.node_base_extra_w_per_gpu = node.base_extra_per_gpu_w(1.0);
  const int pool = std::min(inference::kCapacityPoolReplicas, service.max_replicas);
  const std::vector<inference::Request> mix = inference::length_mix(
      service.demand, inference::pool_mix_requests(pool), scenario.simulation.seed, random_stream(service, "mix"));
  model.curve = inference::capacity_curve(model.replica, mix, service.slo, scenario.simulation.seed,
                                          random_stream(service, "arrivals"), pool);
  if (model.curve.max_rate_rps <= 0) {
    char got[160];
    const inference::CapacityPoint& light = model.curve.points.empty() ? inference::CapacityPoint{} : model.curve.points.front();
    std::snprintf(got, sizeof got, "attainment %.3f at %.3g requests/s, TTFT %.3g s and TPOT %.3g s at the percentile",
                  light.attainment, light.rate_rps, light.ttft_s, light.tpot_s);
    throw InputError(service.slo_position, "service." + service.name + ".slo",
                     "no load meets it on one replica (" + service.model + " on " + service.node + ", tp " +
                         std::to_string(service.plan.tp) + "), not even 2% of its throughput",
                     got);
  }
  return model;
}

std::vector<ServiceModel> make_service_models(const Scenario& scenario, unsigned threads) {
  const std::size_t count = scenario.services.size();
  std::vector<std::optional<ServiceModel>> built(count);
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        built[i].emplace(make_service_model(scenario, scenario.services[i]));
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < std::min<std::size_t>(std::max(1u, threads), count); ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
  std::vector<ServiceModel> models;
  models.reserve(count);
  for (auto& model : built) models.push_back(std::move(*model));
  return models;
}

}  // namespace fleetsim

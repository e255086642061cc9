#pragma once
// Reading [[service]] entries of a scenario (issue 13): an inference service, its replicas, SLO and demand.
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// Reads the `index`-th [[service]]; the campuses and the hardware must be read already.
ServiceConfig read_service(TomlReader& reader, const Scenario& scenario, std::size_t index);

// GPUs of the clusters of `campus` with nodes of kind `node`.
long long campus_node_gpus(const Scenario& scenario, const CampusConfig& campus, const std::string& node);

}  // namespace fleetsim

#pragma once
// Reading [[job]] and [[workload]] entries of a scenario.
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

JobConfig read_job(TomlReader& reader, const Scenario& scenario);
// Reads one [[workload]] into scenario.workloads (kind synthetic) or scenario.traces (kind trace).
void read_workload(TomlReader& reader, Scenario& scenario, std::size_t index);

// Largest job (GPUs) that campus `campus` can ever run.
long long largest_job_gpus(const Scenario& scenario, const CampusConfig& campus);

}  // namespace fleetsim

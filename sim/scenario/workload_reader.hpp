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
// GPUs installed in campus `campus` (all its clusters).
long long campus_gpus(const Scenario& scenario, const CampusConfig& campus);

// Largest trace inflate_to: copies up to ten times the campus's GPUs (FGD's experiments use 1.3).
constexpr double kMaxInflation = 10.0;

}  // namespace fleetsim

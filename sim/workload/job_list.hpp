#pragma once
// All jobs of a scenario, explicit and generated, in submission order, ids assigned.
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// Jobs submitted before the horizon, sorted by (submit_s, scenario order); ids are their positions.
// Trace workloads add one report line each to `trace_reports` when given.
std::vector<Job> build_job_list(const Scenario& scenario, std::vector<std::string>* trace_reports = nullptr);

}  // namespace fleetsim

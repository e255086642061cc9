#pragma once
// Synthetic job generator: Poisson arrivals, job sizes from a discrete choice, run times from a
// distribution, utilisation uniform in a range. Draws come from the stream "workload/<index>".
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

// Appends the jobs of scenario.workloads[index] that arrive before the horizon.
void generate_synthetic_jobs(const Scenario& scenario, std::size_t index, std::vector<Job>& jobs);

}  // namespace fleetsim

#pragma once
#include <vector>

#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

// Run-level metrics from the job table and the campuses' totals.
Summary summarize(const std::vector<JobRecord>& jobs, const std::vector<CampusTotals>& totals, int installed_gpus,
                  double horizon_s);

}  // namespace fleetsim

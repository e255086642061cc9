#pragma once
#include <vector>

#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

// Run-level metrics from the job table and the campuses' totals.
Summary summarize(const std::vector<JobRecord>& jobs, const std::vector<CampusTotals>& totals, int installed_gpus,
                  double horizon_s);

// Grid, cooling and rack limits of every campus (cooling and racks only where their capacity is given),
// with the binding one per campus marked.
std::vector<LimitCheck> check_limits(const std::vector<CampusInfo>& campuses, const std::vector<CampusTotals>& totals);
// Fleet-level: the binding limit overall and how many limits were exceeded.
void summarize_limits(const std::vector<LimitCheck>& limits, Summary& summary);

}  // namespace fleetsim

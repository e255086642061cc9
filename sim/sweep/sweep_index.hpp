#pragma once
// Builds DIR/sweep.h5 from the plan and the point files: one row per point with its parameters, status,
// summary metrics, output path and error.
#include <string>

#include "sim/sweep/sweep_directory.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/telemetry/hdf5_sweep_index.hpp"

namespace fleetsim {

SweepIndexTable build_sweep_index(const SweepPlan& plan, const SweepDirectory& directory);

// Builds and writes DIR/sweep.h5; returns the table written.
SweepIndexTable write_index(const SweepPlan& plan, const SweepDirectory& directory);

}  // namespace fleetsim

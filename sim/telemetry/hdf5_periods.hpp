#pragma once
// /periods (each campus's calendar months) and /economics (sim/telemetry/SCHEMA.md). Internal to sim/telemetry.
#include <vector>

#include "sim/economics/economics.hpp"
#include "sim/economics/period_totals.hpp"
#include "sim/telemetry/hdf5_write.hpp"
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

void write_periods(hid_t file, const std::vector<CampusInfo>& campuses, const std::vector<PeriodTotals>& periods);
void write_economics(hid_t file, const Economics& economics);

}  // namespace fleetsim

#pragma once
// /fine: the fine power window's samples and swing statistics (sim/telemetry/SCHEMA.md). Internal to sim/telemetry.
#include "sim/power/fine_series.hpp"
#include "sim/telemetry/hdf5_write.hpp"

namespace fleetsim {

// Writes /fine under `file` (nothing without campuses: no fine window).
void write_fine(hid_t file, const FineWindowRecord& record);

}  // namespace fleetsim

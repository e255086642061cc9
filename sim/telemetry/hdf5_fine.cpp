#include "sim/telemetry/hdf5_fine.hpp"

#include <cstddef>

namespace fleetsim {

namespace {

using namespace hdf5;

const std::vector<Field>& fine_fields() {
  static const std::vector<Field> fields{
      {"time_s", offsetof(FineSample, time_s), H5T_NATIVE_DOUBLE, "s"},
      {"it_power_w", offsetof(FineSample, it_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"facility_power_w", offsetof(FineSample, facility_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"floored_it_power_w", offsetof(FineSample, floored_it_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"grid_power_w", offsetof(FineSample, grid_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"storage_power_w", offsetof(FineSample, storage_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"storage_energy_j", offsetof(FineSample, storage_energy_j), H5T_NATIVE_DOUBLE, "J"}};
  return fields;
}

// One series' statistics as attributes named <prefix><statistic>.
void write_stats(hid_t group, const std::string& prefix, const SwingStats& stats) {
  number(group, prefix + "mean_w", stats.mean_w, "W");
  number(group, prefix + "peak_w", stats.peak_w, "W");
  number(group, prefix + "trough_w", stats.trough_w, "W");
  number(group, prefix + "swing_w", stats.swing_w, "W");
  number(group, prefix + "step_swing_w", stats.step_swing_w, "W");
  number(group, prefix + "max_ramp_w_per_s", stats.max_ramp_w_per_s, "W/s");
  number(group, prefix + "energy_j", stats.energy_j, "J");
}

}  // namespace

void write_fine(hid_t file, const FineWindowRecord& record) {
  if (record.campuses.empty()) return;
  Handle fine(H5Gcreate2(file, "fine", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "/fine");
  number(fine, "start_s", record.window.start_s, "s");
  number(fine, "duration_s", record.window.duration_s, "s");
  number(fine, "interval_s", record.window.interval_s, "s");
  number(fine, "default_step_s", record.window.default_step_s, "s");
  number(fine, "default_communication_share", record.window.default_communication_share, "1");
  number(fine, "gpu_power_floor", record.smoothing.gpu_power_floor, "1");
  number(fine, "rack_storage_j", record.smoothing.rack_storage_j, "J");
  number(fine, "rack_storage_w", record.smoothing.rack_storage_w, "W");
  number(fine, "storage_time_constant_s", record.smoothing.storage_time_constant_s, "s");
  for (const FineCampusSeries& series : record.campuses) {
    Handle campus(H5Gcreate2(fine, series.campus.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  series.campus.c_str());
    compound_dataset(campus, "series", series.samples, fine_fields(), 8192);
    write_stats(campus, "", series.unmitigated);
    write_stats(campus, "floored_", series.floored);
    write_stats(campus, "stored_", series.stored);
    write_stats(campus, "grid_", series.mitigated);
    number(campus, "swing_window_s", series.swing_window_s, "s");
    count(campus, "racks", series.racks);
    number(campus, "storage_capacity_j", series.storage_capacity_j, "J");
    number(campus, "storage_power_w", series.storage_power_w, "W");
    count(campus, "jobs", series.jobs_seen);
  }
}

}  // namespace fleetsim

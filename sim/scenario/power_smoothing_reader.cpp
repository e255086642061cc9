#include "sim/scenario/power_smoothing_reader.hpp"

namespace fleetsim {

PowerSmoothingConfig read_power_smoothing(TomlReader& power) {
  PowerSmoothingConfig config;
  const toml::table* table = power.optional_table("smoothing");
  if (!table) return config;
  TomlReader reader = power.child(*table, "smoothing");
  if (reader.node("gpu_power_floor")) {
    config.gpu_power_floor = reader.number_at_least("gpu_power_floor", 0.0, "a share of the GPU's TDP");
    if (config.gpu_power_floor > 1) reader.fail("gpu_power_floor", "must be <= 1 (a share of the GPU's TDP)", reader.got("gpu_power_floor"));
  }
  const bool has_capacity = reader.node("rack_storage_kwh") != nullptr;
  const bool has_power = reader.node("rack_storage_kw") != nullptr;
  if (has_capacity != has_power)
    reader.fail(has_capacity ? "rack_storage_kwh" : "rack_storage_kw",
                "rack storage needs both rack_storage_kwh and rack_storage_kw");
  if (has_capacity) {
    config.rack_storage_j = reader.positive_number("rack_storage_kwh") * 3.6e6;
    config.rack_storage_w = reader.positive_number("rack_storage_kw") * 1e3;
  }
  if (reader.node("storage_time_constant")) {
    if (!has_capacity) reader.fail("storage_time_constant", "only with rack storage (rack_storage_kwh, rack_storage_kw)");
    config.storage_time_constant_s = reader.positive_duration_s("storage_time_constant");
  }
  reader.finish();
  return config;
}

}  // namespace fleetsim

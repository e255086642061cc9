#pragma once
// Reads `[power.smoothing]` (mitigations of training power swings: a GPU power floor, rack energy storage) into a
// PowerSmoothingConfig. Self-contained: whoever reads `[power]` calls read_power_smoothing with its reader, which
// marks `smoothing` as read and leaves every other key of [power] to that reader.
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// `power` reads the [power] table; its `smoothing` sub-table, if any, is read whole (unknown keys are errors).
PowerSmoothingConfig read_power_smoothing(TomlReader& power);

}  // namespace fleetsim

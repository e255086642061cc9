#pragma once
// Reads `[telemetry]`: the fine power window (`fine = { start, duration, interval }`).
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// Most rows a fine window may hold, samples x campuses (each row is a few doubles kept until the window ends).
constexpr long long kMaxFineRows = 4'000'000;

// The window must lie inside the horizon (simulation.duration_s) and hold a whole number of intervals.
TelemetryConfig read_telemetry(TomlReader& reader, const SimulationConfig& simulation, std::size_t campuses);

}  // namespace fleetsim

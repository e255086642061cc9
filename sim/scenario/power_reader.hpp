#pragma once
// Reading [power]: the controls that hold campus power budgets, demand-response events (a table or a CSV file)
// and rules on the hourly price and carbon signals.
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// Reads [power] of `scenario` (its campuses already read).
PowerConfig read_power(TomlReader& reader, const Scenario& scenario);

// Demand-response events from a CSV file with columns campus (a name, or empty / "*" for every campus), start,
// duration (durations such as "30d", "3h") and target_mw or fraction (one of them per row).
std::vector<DemandResponseEvent> read_demand_response_csv(const std::string& path, const Scenario& scenario);

}  // namespace fleetsim

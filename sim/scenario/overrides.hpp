#pragma once
// --set KEY=VALUE on a parsed scenario table. Dotted keys; elements of arrays of tables are addressed by
// their `name` (campus.paris.pue) or by their 0-based index (workload.0.jobs). VALUE is read as a TOML
// value (1.2, 3, true, "x", [1, 2]); anything that is not valid TOML is taken as a string (1d, fifo).
#include <string>
#include <toml++/toml.h>

#include "sim/core/toml_reader.hpp"

namespace fleetsim {

// Applies one override; records where it came from as "--set:<ordinal>". Throws InputError.
void apply_override(toml::table& root, const std::string& assignment, int ordinal, OverridePositions& positions);

}  // namespace fleetsim

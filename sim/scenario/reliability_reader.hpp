#pragma once
// Reading [reliability]: component failure rates (the Llama 3 preset, "none", or a table), repair times per
// class group, hot spares.
#include <vector>

#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// The failure classes of Llama 3 405B's pre-training (Grattafiori et al., "The Llama 3 Herd of Models", 2024,
// Table 5: 419 unexpected interruptions in 54 days on 16,384 H100 in 2,048 servers), as rates per component-hour,
// with the default repair times.
std::vector<FailureClass> llama3_failure_classes();

ReliabilityConfig read_reliability(TomlReader& reader);

}  // namespace fleetsim

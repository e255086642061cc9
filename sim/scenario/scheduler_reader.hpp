#pragma once
// Reads [scheduler] into a SchedulerConfig: the policy named by `policy` reads only its own keys; any other
// key, an unknown policy or placement is an input error naming file, line and key.
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scheduler_config.hpp"

namespace fleetsim {

SchedulerConfig read_scheduler(TomlReader& reader);

}  // namespace fleetsim

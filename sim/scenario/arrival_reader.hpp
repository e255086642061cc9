#pragma once
// How an arrival rate varies ([[service]] demand with a profile, synthetic [[workload]]s): `daily_profile`
// ("flat", "office", "consumer"), `weekly` (weekend days differ), `growth_per_year` (> -1: the rate x (1 + growth)
// each 365 days). Read from the table `reader` holds; the scenario's year_offset places t = 0 in the week.
#include "sim/core/arrival_profile.hpp"
#include "sim/core/toml_reader.hpp"

namespace fleetsim {

ArrivalProfile read_arrival_profile(TomlReader& reader, double year_offset_s);

}  // namespace fleetsim

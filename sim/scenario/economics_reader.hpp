#pragma once
// Reads `[economics]` (EconomicsConfig: discount rate, exchange rate, depreciation periods, facility capex and other
// opex per MW, node prices overriding the catalog's).
#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

EconomicsConfig read_economics(TomlReader& reader, const hw::Catalog& hardware);

}  // namespace fleetsim

#pragma once
// TOML → validated Scenario. Every problem is an InputError naming FILE:LINE: key.
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace fleetsim {

struct ScenarioRequest {
  std::string path;                       // scenario file
  std::vector<std::string> overrides;     // --set KEY=VALUE, in order
  std::optional<std::uint64_t> seed;      // --seed
};

// Reads, applies overrides, validates. Throws InputError.
Scenario load_scenario(const ScenarioRequest& request);
// The same from text already in memory (path used in messages).
Scenario load_scenario_text(const std::string& text, const ScenarioRequest& request);

}  // namespace fleetsim

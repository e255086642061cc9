// libFuzzer target: the scenario loader with --set overrides and --seed, from memory (load_scenario_text).
// Input: the scenario's TOML text, then optionally a separator line "#--" followed by one override per line,
// "--set KEY=VALUE" (or just KEY=VALUE) or "--seed N". The path the loader reports and resolves relative files
// against is tests/bad_inputs/fuzz.toml, so the corpus's CSV files and ../../data/... references resolve.
#include <cstdint>
#include <string>

#include "sim/core/input_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace {

// Splits the input at the first line that is exactly "#--".
fleetsim::ScenarioRequest request_from(const std::string& input, std::string& text) {
  fleetsim::ScenarioRequest request;
  request.path = FLEETSIM_SOURCE_DIR "/tests/bad_inputs/fuzz.toml";
  static const std::string separator = "\n#--\n";
  std::size_t at = input.rfind("#--\n", 0) == 0 ? 0 : input.find(separator);
  if (at == std::string::npos) {
    text = input;
    return request;
  }
  const std::size_t rest = at == 0 ? 4 : at + separator.size();
  text = input.substr(0, at);
  std::size_t begin = rest;
  while (begin < input.size()) {
    std::size_t end = input.find('\n', begin);
    if (end == std::string::npos) end = input.size();
    std::string line = input.substr(begin, end - begin);
    begin = end + 1;
    if (line.rfind("--seed ", 0) == 0) {
      try {
        request.seed = std::stoull(line.substr(7));
      } catch (const std::exception&) {  // not a number: what the command line refuses before the loader
      }
    } else if (line.rfind("--set ", 0) == 0) {
      request.overrides.push_back(line.substr(6));
    } else if (!line.empty()) {
      request.overrides.push_back(line);
    }
  }
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text;
  const fleetsim::ScenarioRequest request =
      request_from(std::string(reinterpret_cast<const char*>(data), size), text);
  try {
    fleetsim::load_scenario_text(text, request);
  } catch (const fleetsim::InputError&) {
  }
  return 0;
}

#pragma once
// Runs a scenario of tests/scenarios/ on the real engine into memory, for end-to-end tests. One per process
// (SimGrid allows one engine per process; catch_discover_tests runs every TEST_CASE in its own).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/engine/fleet_simulation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/telemetry/campus_description.hpp"
#include "sim/telemetry/memory_recorder.hpp"
#include "sim/workload/job_list.hpp"

namespace fleetsim::testing {

// Runs tests/scenarios/<name> with `extra` TOML appended and `overrides` applied; `options` may add components.
inline RunRecord run_scenario(const std::string& name, std::vector<std::string> overrides,
                              const std::string& extra = "", const EngineOptions& options = {}) {
  const std::string path = FLEETSIM_SOURCE_DIR "/tests/scenarios/" + name;
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf() << extra;
  Scenario scenario = load_scenario_text(text.str(), {path, std::move(overrides), {}});
  Fleet fleet = build_fleet(scenario);
  auto jobs = build_job_list(scenario);
  auto policy = make_scheduler(scenario.scheduler);
  MemoryRecorder recorder;
  recorder.begin({"", "", 1, "", "", "", scenario.simulation.duration_s, scenario.simulation.telemetry_interval_s,
                  jobs.size(), {}},
                 describe_campuses(scenario, fleet));
  run_simulation(scenario, fleet, jobs, *policy, recorder, options);
  return recorder.record();
}

}  // namespace fleetsim::testing

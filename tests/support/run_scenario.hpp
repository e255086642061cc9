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

// A [[job]] on campus "paris" (the golden scenarios' campus), with `more` TOML lines.
inline std::string job_toml(const std::string& name, int gpus, const std::string& submit, const std::string& duration,
                            const std::string& more = "") {
  return "\n[[job]]\nname = \"" + name + "\"\ncampus = \"paris\"\ngpus = " + std::to_string(gpus) + "\nsubmit = \"" +
         submit + "\"\nduration = \"" + duration + "\"\n" + more;
}

// The record of the job named `name` (the first job when there is none: the caller's checks then fail).
inline const JobRecord& named_job(const RunRecord& run, const std::string& name) {
  for (const JobRecord& record : run.jobs)
    if (record.name == name) return record;
  return run.jobs.front();
}

}  // namespace fleetsim::testing

#pragma once
// A toy campus for component tests: two nodes of 8 toy GPUs (idle 100 W, full 700 W) on 1000 W of base power,
// 4 nodes per rack with a 10 kW rack limit, PUE 1.0, no carbon. Components are fed lifecycle events by hand.
#include <string>

#include "sim/fleet/fleet.hpp"
#include "sim/fleet/lifecycle.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace fleetsim::testing {

// The toy GPU and node as scenario-local hardware (the [[hw.node]] table last, so a test may add keys to it).
inline const std::string kToyHardwareToml =
    "[[hw.gpu]]\nid = \"toy-gpu\"\nidle_w = 100.0\nmax_w = 700.0\n"
    "[[hw.node]]\nid = \"toy-node\"\ngpu = \"toy-gpu\"\ngpus = 8\nbase_w = 1000.0\n";

inline Scenario toy_scenario(int nodes = 2) {
  return load_scenario_text(
      "[simulation]\nduration = \"4h\"\n" + kToyHardwareToml +
      "[[campus]]\nname = \"paris\"\ngrid_connection_mw = 1.0\npue = 1.0\ncarbon_intensity_g_per_kwh = 0.0\n"
      "[[campus.cluster]]\nname = \"a\"\nnode = \"toy-node\"\nnodes = " +
          std::to_string(nodes) + "\nnodes_per_rack = 4\nrack_limit_kw = 10.0\n",
      {"toy.toml", {}, {}});
}

inline Job toy_job(std::uint64_t id, int gpus, double utilization = 1.0) {
  Job job;
  job.id = id;
  job.name = "job-" + std::to_string(id);
  job.gpus = gpus;
  job.duration_s = 3600;
  job.gpu_utilization = utilization;
  return job;
}

}  // namespace fleetsim::testing

#pragma once
// Small scenario texts for unit tests: one campus of catalog DGX H100 nodes per call.
#include <string>

namespace fleetsim::testing {

inline std::string campus_toml(const std::string& name, int nodes, const std::string& node = "dgx-h100",
                               const std::string& cluster = "a") {
  return "[[campus]]\nname = \"" + name +
         "\"\ngrid_connection_mw = 10.0\npue = 1.0\ncarbon_intensity_g_per_kwh = 0.0\n"
         "[[campus.cluster]]\nname = \"" + cluster + "\"\nnode = \"" + node + "\"\nnodes = " + std::to_string(nodes) +
         "\n";
}

}  // namespace fleetsim::testing

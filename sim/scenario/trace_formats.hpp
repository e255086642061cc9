#pragma once
// Names of the trace formats a [[workload]] kind = "trace" may give. The readers live above the scenario
// (sim/workload/trace/, open_trace); a unit test checks that every name here has a reader and back.
#include <string>
#include <vector>

namespace fleetsim {

inline std::vector<std::string> trace_formats() {
  return {"acme", "alibaba-openb-2023", "alibaba-pai-2020", "helios", "philly", "swf"};
}

}  // namespace fleetsim

#pragma once
// Node lists of Alibaba's 2023 GPU trace (openb_node_list_*.csv: sn,cpu_milli,memory_mib,gpu,model), read
// whole (1,523 rows at most) so that a scenario can instantiate the trace's own cluster (clusters_from).
#include <cstdint>
#include <string>
#include <vector>

namespace fleetsim {

struct OpenbNode {
  std::string name;             // sn, e.g. openb-node-0227
  std::int64_t cpu_milli = 0;   // CPU capacity in milli-cores (32000 = 32 cores)
  std::int64_t memory_mib = 0;  // main memory in MiB
  int gpus = 0;                 // GPUs on the node, 0 for CPU-only nodes
  std::string model;            // GPU model (P100, T4, V100M16, V100M32, A10, G2, G3), empty for CPU-only nodes
};

// All nodes of a node list, in file order. Throws InputError on the first malformed row.
std::vector<OpenbNode> read_openb_nodes(const std::string& path);

}  // namespace fleetsim

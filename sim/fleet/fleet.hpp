#pragma once
// The fleet as ids and capacity state: campuses, their clusters, and per-cluster free GPUs.
#include <string>
#include <vector>

#include "hw/hardware.hpp"
#include "sim/fleet/cluster_state.hpp"
#include "sim/fleet/shared_gpus.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/workload/job.hpp"

namespace fleetsim {

struct Cluster {
  std::string name;
  int campus = 0;
  int campus_position = 0;  // index among its campus's clusters (Campus::clusters, the scenario's order)
  const hw::NodeSpec* node = nullptr;
  const hw::GpuSpec* gpu = nullptr;
  double power_cap_w = 0;  // per GPU; 0 = none
  int gpu_type = 0;         // index in Scenario::gpu_types()
  ClusterState state;
  SharedGpus shared;                       // GPUs split between fractional jobs
  const hw::FabricSpec* fabric = nullptr;  // scale-out fabric, or none
  double nic_bytes_per_s = 0;              // per node, on the compute fabric
  double nic_latency_s = 0;                // node to leaf switch
  double uplink_bytes_per_s = 0;           // cluster to campus: nodes x NIC / oversubscription
  double uplink_latency_s = 0;
  int nodes_per_rack = 1;                  // a rack: an NVLink domain or leaf switch's nodes
  double rack_limit_w = 0;                 // rack power budget; 0 = none given
  double power_limit_w = 0;                // hall (cluster) IT power budget; 0 = none
  double commission_s = 0;                 // when its nodes join the pool (0: from the start)
};

// A fibre link between two campuses.
struct FleetLink {
  int from = 0, to = 0;  // campus indices
  double bytes_per_s = 0;
  double latency_s = 0;
};

struct Campus {
  std::string name;
  std::vector<int> clusters;  // indices into Fleet::clusters
  int gpus = 0;               // in all its clusters (some may be commissioned later)
  double idle_power_w = 0;    // every node installed at t = 0 powered, no job
};

struct Fleet {
  std::vector<Campus> campuses;
  std::vector<Cluster> clusters;
  std::vector<FleetLink> links;
  int total_gpus() const;
};

// Whether `job` may run on `cluster`'s GPUs (a trace job may name GPU models).
inline bool runs_on(const Job& job, const Cluster& cluster) {
  return (job.gpu_types == 0 || ((job.gpu_types >> cluster.gpu_type) & 1)) &&
         (!job.speeds || job.speeds[cluster.campus_position].allowed);
}

Fleet build_fleet(const Scenario& scenario);

}  // namespace fleetsim

#pragma once
// The SimGrid platform of a training job's nodes (step_fabric.hpp says what it models): a root star zone (the spine
// layer) holding one star zone per leaf switch and one per NVLink domain, with a host per GPU endpoint the simulated
// flows use: "gpu-R" on its NVLink switch, "nic-R" on its leaf (R the GPU's rank). Only the leaves and domains those
// flows touch are built: SimGrid 3.32's zone creation slows down with the number of zones.
#include <map>
#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/engine/step/collective_flows.hpp"

namespace fleetsim {

class StepPlatform {
 public:
  // Builds the platform into the current SimGrid engine for every endpoint of `flow_sets`.
  StepPlatform(const training::JobLayout& layout, const StepFabric& fabric, const std::vector<const FlowSet*>& flow_sets);

  // The host a flow leaves from (`source`) or arrives at: the GPU on its NVLink switch when both ends share a
  // domain, else its NIC.
  simgrid::s4u::Host* endpoint(const Flow& flow, bool source) const;
  // A host for the schedule's actors (no links).
  simgrid::s4u::Host* controller() const { return controller_; }
  std::size_t hosts() const { return nvlink_hosts_.size() + nic_hosts_.size(); }

 private:
  const training::JobLayout& layout_;
  std::map<long long, simgrid::s4u::Host*> nvlink_hosts_, nic_hosts_;
  simgrid::s4u::Host* controller_ = nullptr;
};

}  // namespace fleetsim

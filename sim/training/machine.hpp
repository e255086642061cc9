#pragma once
// The Machine a training run sees on a cluster: its GPU and node from the catalog, the kernel constants fitted
// for that GPU (or, for a GPU without measurements, the H100's scaled to its peak and NVLink: an ESTIMATE), its
// share of the node's NICs on the cluster's scale-out fabric, and the cluster's power cap.
#include <string>

#include "hw/catalog.hpp"
#include "sim/training/step_time.hpp"

namespace fleetsim::training {

// The GPU whose fitted constants stand in for GPUs without their own (hw/catalog/kernels.toml).
constexpr const char* kReferenceKernelGpu = "h100-sxm";

// The fabric's shape as the step-time models see it: oversubscription, rails, nodes under one leaf switch, switch
// latency.
void apply_fabric(ScaleOut& scale_out, const hw::NodeSpec& node, const hw::FabricSpec& fabric);

// `fabric` may be null (the node's NICs on a non-blocking fabric); `cap_w` <= 0 means no power cap.
Machine machine_for(const hw::Catalog& catalog, const hw::NodeSpec& node, const hw::FabricSpec* fabric, double cap_w);

}  // namespace fleetsim::training

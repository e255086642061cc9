#include "sim/training/machine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fleetsim::training {

namespace {

// Per-direction NVLink bandwidth in GB/s (the catalog quotes both directions added).
double nvlink_per_direction(const hw::GpuSpec& gpu) { return gpu.scale_up_bandwidth_gb_s / 2; }

// Kernel constants for `gpu`: its own fit, else the reference GPU's with the same efficiencies and overheads and
// the all-reduce bus bandwidth scaled by the ratio of NVLink bandwidths (ESTIMATE, stated in docs).
hw::KernelFit kernel_fit_for(const hw::Catalog& catalog, const hw::GpuSpec& gpu) {
  if (const hw::KernelFit* own = catalog.find_kernel_fit(gpu.id)) return *own;
  const hw::KernelFit* reference = catalog.find_kernel_fit(kReferenceKernelGpu);
  const hw::GpuSpec* reference_gpu = catalog.find_gpu(kReferenceKernelGpu);
  if (!reference || !reference_gpu) throw std::logic_error("the catalog has no kernel fit for h100-sxm");
  hw::KernelFit fit = *reference;
  fit.id = gpu.id;
  if (nvlink_per_direction(gpu) > 0 && nvlink_per_direction(*reference_gpu) > 0)
    fit.allreduce_bus_gb_s *= nvlink_per_direction(gpu) / nvlink_per_direction(*reference_gpu);
  return fit;
}

}  // namespace

void apply_fabric(ScaleOut& scale_out, const hw::NodeSpec& node, const hw::FabricSpec& fabric) {
  scale_out.oversubscription = std::max(1.0, fabric.oversubscription);
  scale_out.rail_optimized = fabric.topology == "rail-optimized";
  scale_out.switch_latency_s = fabric.switch_latency_us * 1e-6;
  // A leaf's ports: radix x o / (1 + o) down (32 of a 64-port NDR switch: NVIDIA's scalable unit of 32 nodes), the
  // rest up. A node puts one port on each rail's leaf, or all its NICs on one leaf.
  const double o = scale_out.oversubscription;
  const double down_ports = std::floor(fabric.switch_radix * o / (1 + o));
  const double ports_per_node = scale_out.rail_optimized ? 1.0 : std::max(1, node.nic_count);
  if (down_ports >= 1) scale_out.leaf_nodes = std::max(1LL, static_cast<long long>(down_ports / ports_per_node));
}

Machine machine_for(const hw::Catalog& catalog, const hw::NodeSpec& node, const hw::FabricSpec* fabric, double cap_w) {
  const hw::GpuSpec* gpu = catalog.find_gpu(node.gpu);
  if (!gpu) throw std::logic_error("node " + node.id + " names an unknown GPU");
  Machine machine;
  machine.gpu = *gpu;
  machine.node = node;
  machine.fit = kernel_fit_for(catalog, *gpu);
  // NIC bandwidth per GPU at the efficiency measured between two DGX H100s (Vidur send/recv: internode_gb_s of a
  // 400 Gb/s = 50 GB/s NIC), on the fabric's link rate when it is slower than the NIC.
  const hw::KernelFit& measured = *catalog.find_kernel_fit(kReferenceKernelGpu);
  const double efficiency = measured.internode_gb_s > 0 ? measured.internode_gb_s / 50.0 : 1.0;
  double nic_gbps = node.nic_gbps;
  if (fabric && fabric->link_gbps > 0 && (nic_gbps <= 0 || fabric->link_gbps < nic_gbps)) nic_gbps = fabric->link_gbps;
  const double nics_per_gpu = node.gpus > 0 && node.nic_count > 0 ? double(node.nic_count) / node.gpus : 1.0;
  machine.scale_out.gb_s_per_gpu = nic_gbps / 8 * nics_per_gpu * efficiency;
  machine.scale_out.latency_s = measured.internode_latency_us * 1e-6;
  if (fabric) apply_fabric(machine.scale_out, node, *fabric);
  machine.compute_rate = gpu->relative_throughput(1.0, cap_w);
  machine.power_cap_w = cap_w;
  return machine;
}

}  // namespace fleetsim::training

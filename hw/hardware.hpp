#pragma once
// Hardware specifications: plain data plus the pure functions of power. No SimGrid, no HDF5.
// Schema and units: hw/catalog/README.md.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "hw/curve.hpp"

namespace fleetsim::hw {

// The failure classes counted per GPU ([reliability]; sim/scenario/reliability_reader.cpp holds their rates).
inline const char* const kGpuFailureClasses[] = {"gpu", "hbm", "gpu_sram", "gpu_system_processor", "gpu_thermal", "sdc"};

struct GpuSpec {
  std::string id;
  std::string name;
  std::string vendor;
  std::string form_factor;
  double idle_w = 0;    // power at zero utilisation
  double max_w = 0;     // power at full utilisation (TDP)
  double memory_gb = 0;               // 0 = not given (same below)
  double memory_bandwidth_tb_s = 0;
  double bf16_dense_tflops = 0;
  double fp8_dense_tflops = 0;
  double fp4_dense_tflops = 0;
  double scale_up_bandwidth_gb_s = 0;  // bidirectional total (both directions added), as vendors quote NVLink
  int release_year = 0;
  Curve power_curve;     // utilisation -> W; empty = linear idle_w..max_w
  double power_cap_min_w = 0;
  double power_cap_max_w = 0;
  Curve cap_throughput;  // cap W -> throughput of a full-load job relative to uncapped; empty = not cappable
  // Failure rates of this GPU model per GPU-hour, by class (kGpuFailureClasses): they replace the scenario's rates
  // of those classes on clusters of this GPU ([reliability]); empty = the scenario's.
  std::map<std::string, double> failure_rates;
  std::vector<std::string> sources;
  std::string notes;

  // Scale-up bandwidth one way (what a ring collective's bus bandwidth is compared with): half the
  // bidirectional catalog figure, e.g. H100 NVLink 900 GB/s -> 450 GB/s.
  double scale_up_bandwidth_per_direction_gb_s() const { return scale_up_bandwidth_gb_s / 2; }

  // Uncapped power at `utilization` in [0, 1]: the measured curve if given, else linear.
  double power_w(double utilization) const {
    if (!power_curve.empty()) return power_curve.at(utilization);
    return idle_w + (max_w - idle_w) * utilization;
  }
  // Power under a cap (cap_w <= 0: no cap). A cap never lowers power below idle.
  double power_w(double utilization, double cap_w) const {
    const double uncapped = power_w(utilization);
    return cap_w > 0 ? std::max(idle_w, std::min(uncapped, cap_w)) : uncapped;
  }
  // Job progress rate under a cap, relative to uncapped (1 = full speed). A job drawing less than the cap is
  // not slowed; one that would draw P(u) > cap runs at throughput(cap) / throughput(P(u)) — the catalog
  // curve is measured at full load, and a partly utilised job is treated as a full-load job of power P(u).
  double relative_throughput(double utilization, double cap_w) const {
    const double uncapped = power_w(utilization);
    if (cap_w <= 0 || cap_w >= uncapped || cap_throughput.empty()) return 1.0;
    return cap_throughput.at(cap_w) / cap_throughput.at(uncapped);
  }
};

struct NodeSpec {
  std::string id;
  std::string name;
  std::string vendor;
  std::string gpu;      // GpuSpec id
  int gpus = 0;         // GPUs per node
  int nvlink_domain_gpus = 0;  // scale-up domain size (default gpus)
  std::string cpus;
  double base_w = 0;       // everything but the GPUs, idle
  double base_full_w = 0;  // everything but the GPUs, full load (default base_w)
  double max_w = 0;        // system maximum from the datasheet; 0 = not given
  std::string nics;
  int nic_count = 0;
  double nic_gbps = 0;
  std::string cooling;     // "air", "liquid" or empty
  int rack_units = 0;
  double capex_usd = 0;    // purchase price of one node (an ESTIMATE in the catalog: see its notes); 0 = not given
  std::vector<std::string> sources;
  std::string notes;

  // Nodes a job of `job_gpus` GPUs occupies: one node if it fits in one, else whole nodes.
  int nodes_for(int job_gpus) const { return job_gpus <= gpus ? 1 : (job_gpus + gpus - 1) / gpus; }
  // Non-GPU power a GPU at `utilization` adds above the node's idle base: the base rises from base_w to
  // base_full_w with the node's mean GPU utilisation.
  double base_extra_per_gpu_w(double utilization) const { return (base_full_w - base_w) / gpus * utilization; }
  // Power of a powered node with no job: base + idle GPUs.
  double idle_power_w(const GpuSpec& gpu_spec) const { return base_w + gpus * gpu_spec.idle_w; }
  // Power with every GPU at full utilisation, uncapped.
  double full_power_w(const GpuSpec& gpu_spec) const { return base_full_w + gpus * gpu_spec.max_w; }
};

struct FabricSpec {
  std::string id;
  std::string name;
  std::string kind;       // scale-up, scale-out, inter-campus
  std::string topology;
  double link_gbps = 0;
  int switch_radix = 0;
  double switch_latency_us = 0;
  int domain_gpus = 0;
  double oversubscription = 1;
  double fiber_latency_us_per_km = 0;
  std::vector<std::string> sources;
  std::string notes;
};

// Kernel constants of the training step-time model for one GPU, FITTED to measured timings (hw/catalog/kernels.toml,
// written by analysis/calibration/fit_kernels.py from data/vidur_profiling/). Keyed by GPU id.
struct KernelFit {
  std::string id;                      // GPU id
  std::string node;                    // the node the collectives were measured on
  double gemm_efficiency = 0;          // fraction of the dense peak a compute-bound GEMM reaches
  double gemm_overhead_us = 0;         // per-GEMM fixed time
  double memory_efficiency = 0;        // fraction of HBM bandwidth element-wise ops reach
  double elementwise_overhead_us = 0;  // per element-wise kernel fixed time
  double allreduce_latency_us = 0;     // 8-GPU NVLink all-reduce: t = latency + 2(n-1)/n * bytes / bus
  double allreduce_bus_gb_s = 0;
  double internode_latency_us = 0;     // GPU to GPU across nodes: t = latency + bytes / bandwidth (0 = not measured)
  double internode_gb_s = 0;
  // GEMMs of 1-16 tokens (decoding, sim/inference): t = gemm_overhead + bytes / (this * HBM); 0 = not fitted (then
  // memory_efficiency is used).
  double decode_memory_efficiency = 0;
  std::vector<std::string> sources;
};

// Facility overhead as a function of ambient temperature (hw/catalog/README.md, cooling.toml).
struct CoolingSpec {
  std::string id;
  std::string name;
  double free_cooling_max_c = 0;
  double cooling_free_fraction = 0;
  double cooling_fraction_per_c = 0;
  double cooling_max_fraction = 0;
  double other_fraction = 0;
  double ups_efficiency = 1;
  double transformer_efficiency = 1;
  double pdu_efficiency = 1;
  double max_rack_kw = 0;
  std::vector<std::string> sources;
  std::string notes;

  double distribution_loss_fraction() const {
    return 1.0 / (ups_efficiency * transformer_efficiency * pdu_efficiency) - 1.0;
  }
  double cooling_fraction(double ambient_c) const {
    if (ambient_c <= free_cooling_max_c) return cooling_free_fraction;
    return std::min(cooling_max_fraction,
                    cooling_free_fraction + cooling_fraction_per_c * (ambient_c - free_cooling_max_c));
  }
  // Facility power / IT power at this ambient temperature.
  double pue(double ambient_c) const {
    return 1.0 + distribution_loss_fraction() + cooling_fraction(ambient_c) + other_fraction;
  }
};

}  // namespace fleetsim::hw

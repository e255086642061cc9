#pragma once
// Hardware specifications: plain data plus the pure functions of power. No SimGrid, no HDF5.
#include <string>
#include <vector>

namespace fleetsim::hw {

struct GpuSpec {
  std::string id;
  std::string name;
  double idle_w = 0;    // power at zero utilisation
  double max_w = 0;     // power at full utilisation (TDP)
  double memory_gb = 0;           // 0 = not given
  double bf16_dense_tflops = 0;   // 0 = not given
  int release_year = 0;           // 0 = not given
  std::vector<std::string> sources;
  std::string notes;

  // Linear idle-to-max curve: idle_w + (max_w - idle_w) * utilization, utilization in [0, 1].
  double power_w(double utilization) const { return idle_w + (max_w - idle_w) * utilization; }
};

struct NodeSpec {
  std::string id;
  std::string name;
  std::string gpu;      // GpuSpec id
  int gpus = 0;         // GPUs per node
  double base_w = 0;    // everything but the GPUs, constant while powered
  double max_w = 0;     // system maximum from the datasheet; 0 = not given
  std::vector<std::string> sources;
  std::string notes;

  // Nodes a job of `job_gpus` GPUs occupies: one node if it fits in one, else whole nodes.
  int nodes_for(int job_gpus) const { return job_gpus <= gpus ? 1 : (job_gpus + gpus - 1) / gpus; }
  // Power of a powered node with no job: base + idle GPUs.
  double idle_power_w(const GpuSpec& gpu_spec) const { return base_w + gpus * gpu_spec.idle_w; }
  // Power with every GPU at full utilisation.
  double full_power_w(const GpuSpec& gpu_spec) const { return base_w + gpus * gpu_spec.max_w; }
};

}  // namespace fleetsim::hw

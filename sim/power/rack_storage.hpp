#pragma once
// Energy storage in a campus's racks (issue 15: NVIDIA's GB300 NVL72 power shelves store energy to smooth training
// power swings, "reduce peak grid demand by up to 30%", NVIDIA technical blog "How New GB300 NVL72 Features Provide
// Steady Power for AI", 2025; rack-level storage in arXiv 2508.14318). Modelled per campus as one store: the sum of
// its racks' capacity and power. Pure function of a sampled load.
//
// The control, per sample k of length dt (the load L_k being the sample's mean IT power):
//   target    m_k = m_{k-1} + a (L_k - m_{k-1}) for k > 0, a = min(1, dt / tau)  (exponential moving average);
//             m_0 = the mean of the first tau of samples (the whole series when shorter): the storage has been
//             running before the series starts, its target settled (a stand-in for a warm start)
//   wanted    p_k = L_k - m_k - (E/2 - s_{k-1}) / tau     (> 0 discharges; the last term steers the charge to half)
//   limits    |p_k| <= P; p_k <= s_{k-1} / dt; -p_k <= (E - s_{k-1}) / dt
//   charge    s_k = s_{k-1} - p_k dt, s_{-1} = E/2; the grid sees L_k - p_k
// Lossless (no round-trip efficiency): an ASSUMPTION, stated in the README.
#include <vector>

namespace fleetsim {

struct RackStorage {
  double capacity_j = 0;      // E: all racks'
  double power_w = 0;         // P: all racks'
  double time_constant_s = 30;  // tau
  bool present() const { return capacity_j > 0 && power_w > 0; }
};

struct StorageRun {
  std::vector<double> power_w;   // p_k, + discharging
  std::vector<double> energy_j;  // s_k, at the end of sample k
};

StorageRun run_rack_storage(const RackStorage& storage, const std::vector<double>& load_w, double interval_s);

}  // namespace fleetsim

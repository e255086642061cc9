#include "sim/power/rack_storage.hpp"

#include <algorithm>

namespace fleetsim {

StorageRun run_rack_storage(const RackStorage& storage, const std::vector<double>& load_w, double interval_s) {
  StorageRun run;
  run.power_w.assign(load_w.size(), 0.0);
  run.energy_j.assign(load_w.size(), 0.0);
  if (!storage.present() || load_w.empty()) return run;
  const double capacity = storage.capacity_j;
  const double a = std::min(1.0, interval_s / storage.time_constant_s);
  const std::size_t settle = std::clamp<std::size_t>(
      static_cast<std::size_t>(storage.time_constant_s / interval_s + 0.5), 1, load_w.size());
  double target = 0;
  for (std::size_t k = 0; k < settle; ++k) target += load_w[k];
  target /= double(settle);
  double charge = capacity / 2;
  for (std::size_t k = 0; k < load_w.size(); ++k) {
    if (k > 0) target += a * (load_w[k] - target);
    double power = load_w[k] - target - (capacity / 2 - charge) / storage.time_constant_s;
    power = std::clamp(power, -storage.power_w, storage.power_w);
    power = std::min(power, charge / interval_s);
    power = std::max(power, -(capacity - charge) / interval_s);
    charge = std::clamp(charge - power * interval_s, 0.0, capacity);
    run.power_w[k] = power;
    run.energy_j[k] = charge;
  }
  return run;
}

}  // namespace fleetsim

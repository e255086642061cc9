#include "sim/power/campus_power.hpp"

namespace fleetsim {

namespace {
constexpr double kJoulesPerKwh = 3.6e6;
}

CampusPower::CampusPower(double idle_power_w, double pue, double carbon_intensity_g_per_kwh)
    : pue_(pue), carbon_kg_per_j_(carbon_intensity_g_per_kwh / 1000.0 / kJoulesPerKwh), it_(idle_power_w) {}

void CampusPower::change(double time_s, double extra_power_w, int gpus_allocated) {
  it_.add(time_s, extra_power_w);
  gpus_.add(time_s, gpus_allocated);
}

CampusPowerSample CampusPower::sample(double time_s) {
  advance_to(time_s);
  const double span_s = time_s - last_sample_s_;
  const double it_energy_j = it_.integral() - it_energy_at_last_sample_j_;
  const double gpu_seconds = gpus_.integral() - gpu_seconds_at_last_sample_;
  CampusPowerSample result{};
  result.it_power_w = span_s > 0 ? it_energy_j / span_s : it_.value();
  result.facility_power_w = result.it_power_w * pue_;
  result.gpus_busy = span_s > 0 ? gpu_seconds / span_s : gpus_.value();
  result.carbon_kg = carbon_kg();
  last_sample_s_ = time_s;
  it_energy_at_last_sample_j_ = it_.integral();
  gpu_seconds_at_last_sample_ = gpus_.integral();
  return result;
}

}  // namespace fleetsim

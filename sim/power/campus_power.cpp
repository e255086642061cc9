#include "sim/power/campus_power.hpp"

#include <algorithm>

namespace fleetsim {

namespace {
constexpr double kJoulesPerKwh = 3.6e6;
}

CampusPower::CampusPower(double idle_power_w, const CampusFactors& initial) : factors_(initial), it_w_(idle_power_w) {
  note_peaks();
}

void CampusPower::advance_to(double time_s) {
  const double span_s = time_s - time_s_;
  const double facility_w = it_w_ * factors_.pue;
  it_j_ += it_w_ * span_s;
  facility_j_ += facility_w * span_s;
  carbon_kg_ += facility_w * span_s * factors_.carbon_kg_per_j;
  cost_eur_ += facility_w * span_s * factors_.price_eur_per_j;
  ambient_c_s_ += factors_.ambient_c * span_s;
  gpu_s_ += gpus_ * span_s;
  if (span_s > 0 && over_budget()) exceeded_s_ += span_s;
  time_s_ = time_s;
}

void CampusPower::note_peaks() {
  peak_it_w_ = std::max(peak_it_w_, it_w_);
  peak_facility_w_ = std::max(peak_facility_w_, it_w_ * factors_.pue);
}

void CampusPower::change(double time_s, double extra_power_w, int gpus_allocated) {
  advance_to(time_s);
  it_w_ += extra_power_w;
  gpus_ += gpus_allocated;
  note_peaks();
}

void CampusPower::set_factors(double time_s, const CampusFactors& factors) {
  advance_to(time_s);
  factors_ = factors;
  note_peaks();
}

void CampusPower::set_budget(double time_s, double budget_w) {
  advance_to(time_s);
  budget_w_ = budget_w;
}

CampusPowerSample CampusPower::sample(double time_s) {
  advance_to(time_s);
  const Integrals now = integrals();
  const Integrals& before = at_last_sample_;
  const double span_s = time_s - last_sample_s_;
  const double it_j = now.it_j - before.it_j;
  const double facility_j = now.facility_j - before.facility_j;
  CampusPowerSample result{};
  if (span_s > 0) {
    result.it_power_w = it_j / span_s;
    result.facility_power_w = facility_j / span_s;
    result.gpus_busy = (now.gpu_s - before.gpu_s) / span_s;
    result.ambient_c = (now.ambient_c_s - before.ambient_c_s) / span_s;
  } else {
    result.it_power_w = it_w_;
    result.facility_power_w = it_w_ * factors_.pue;
    result.gpus_busy = gpus_;
    result.ambient_c = factors_.ambient_c;
  }
  result.pue = it_j > 0 ? facility_j / it_j : factors_.pue;
  result.carbon_g_per_kwh = facility_j > 0 ? (now.carbon_kg - before.carbon_kg) * 1000 / (facility_j / kJoulesPerKwh)
                                           : factors_.carbon_kg_per_j * 1000 * kJoulesPerKwh;
  result.price_eur_per_mwh = facility_j > 0 ? (now.cost_eur - before.cost_eur) / (facility_j / (1000 * kJoulesPerKwh))
                                            : factors_.price_eur_per_j * 1000 * kJoulesPerKwh;
  result.carbon_kg = carbon_kg_;
  result.cost_eur = cost_eur_;
  last_sample_s_ = time_s;
  at_last_sample_ = now;
  return result;
}

}  // namespace fleetsim

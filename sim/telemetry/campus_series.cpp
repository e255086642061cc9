#include "sim/telemetry/campus_series.hpp"

namespace fleetsim {

CampusSeries::CampusSeries(const Fleet& fleet, PowerMeter& power, FragmentationMeter& fragmentation,
                           Recorder& recorder, Lifecycle& lifecycle)
    : fleet_(fleet), power_(power), fragmentation_(fragmentation), recorder_(recorder) {
  lifecycle.telemetry_tick.connect([this](double time_s) { on_tick(time_s); });
}

void CampusSeries::on_tick(double time_s) {
  for (std::size_t c = 0; c < fleet_.campuses.size(); ++c) {
    const int campus = static_cast<int>(c);
    const CampusPowerSample sample = power_.sample(campus, time_s);
    const double fragmented = fragmentation_.sample(campus, time_s);
    recorder_.sample(c, {last_tick_s_, sample.it_power_w, sample.facility_power_w, sample.gpus_busy, sample.carbon_kg,
                         sample.ambient_c, sample.pue, sample.carbon_g_per_kwh, sample.price_eur_per_mwh,
                         sample.cost_eur, fragmented});
  }
  last_tick_s_ = time_s;
}

std::vector<CampusTotals> CampusSeries::totals(double horizon_s) {
  power_.finish(horizon_s);
  fragmentation_.finish(horizon_s);
  std::vector<CampusTotals> totals;
  for (std::size_t c = 0; c < fleet_.campuses.size(); ++c) {
    const int campus = static_cast<int>(c);
    const CampusPower& power = power_.campus(campus);
    totals.push_back({power.it_energy_j(), power.facility_energy_j(), power.carbon_kg(), power.gpu_seconds_busy(),
                      power.cost_eur(), power.peak_it_power_w(), power.peak_facility_power_w(),
                      power_.peak_rack_ratio(campus), fragmentation_.gpu_seconds_fragmented(campus),
                      power_.gpu_seconds_installed(campus), PowerBudgetTotals{}});
    totals.back().power.budget_exceeded_s = power.budget_exceeded_s();
  }
  return totals;
}

}  // namespace fleetsim

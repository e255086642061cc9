#include <catch2/catch.hpp>

#include "sim/power/campus_power.hpp"

using namespace fleetsim;

namespace {
CampusFactors factors(double pue, double g_per_kwh, double eur_per_mwh, double ambient_c) {
  return {pue, g_per_kwh / 1000.0 / 3.6e6, eur_per_mwh / 3.6e9, ambient_c};
}
}  // namespace

TEST_CASE("campus samples are interval means and carbon and cost are cumulative from facility energy") {
  // 1 kW idle, PUE 1.5, 360 g/kWh, 100 EUR/MWh. A 2 kW job on 8 GPUs runs from 1800 s to 5400 s.
  CampusPower campus(1000.0, factors(1.5, 360.0, 100.0, 10.0));
  campus.change(1800.0, 2000.0, 8);
  auto first = campus.sample(3600.0);
  CHECK(first.it_power_w == Approx(1000.0 + 2000.0 * 0.5).epsilon(1e-12));
  CHECK(first.facility_power_w == Approx(first.it_power_w * 1.5).epsilon(1e-12));
  CHECK(first.gpus_busy == Approx(4.0).epsilon(1e-12));
  CHECK(first.pue == Approx(1.5).epsilon(1e-12));
  CHECK(first.carbon_g_per_kwh == Approx(360.0).epsilon(1e-12));
  CHECK(first.price_eur_per_mwh == Approx(100.0).epsilon(1e-12));
  CHECK(first.ambient_c == Approx(10.0).epsilon(1e-12));
  campus.change(5400.0, -2000.0, -8);
  auto second = campus.sample(7200.0);
  CHECK(second.it_power_w == Approx(2000.0).epsilon(1e-12));
  // Facility energy over 2 h: IT = 1 kW * 2 h + 2 kW * 1 h = 4 kWh; * 1.5 = 6 kWh; * 0.36 kg/kWh = 2.16 kg;
  // at 100 EUR/MWh: 0.6 EUR.
  CHECK(campus.facility_energy_j() == Approx(6 * 3.6e6).epsilon(1e-12));
  CHECK(second.carbon_kg == Approx(2.16).epsilon(1e-12));
  CHECK(second.cost_eur == Approx(0.6).epsilon(1e-12));
  CHECK(campus.gpu_seconds_busy() == Approx(8 * 3600.0).epsilon(1e-12));
  CHECK(campus.peak_it_power_w() == 3000.0);
  CHECK(campus.peak_facility_power_w() == 4500.0);
}

TEST_CASE("hourly factors change facility power, carbon and cost exactly at the hour") {
  // Constant 1 kW IT. Hour 0: PUE 1.2, 100 g/kWh, 50 EUR/MWh, 5 C. Hour 1: PUE 1.5, 300 g/kWh, 150 EUR/MWh, 25 C.
  CampusPower campus(1000.0, factors(1.2, 100.0, 50.0, 5.0));
  campus.set_factors(3600.0, factors(1.5, 300.0, 150.0, 25.0));
  auto two_hours = campus.sample(7200.0);
  // Facility: 1.2 kWh + 1.5 kWh = 2.7 kWh over 2 h; PUE = 2.7 / 2 = 1.35 (energy-weighted).
  CHECK(two_hours.facility_power_w == Approx(1350.0).epsilon(1e-12));
  CHECK(two_hours.pue == Approx(1.35).epsilon(1e-12));
  // Carbon: 1.2 kWh x 100 g + 1.5 kWh x 300 g = 570 g; intensity = 570 / 2.7 g/kWh.
  CHECK(two_hours.carbon_kg == Approx(0.57).epsilon(1e-12));
  CHECK(two_hours.carbon_g_per_kwh == Approx(570.0 / 2.7).epsilon(1e-12));
  // Cost: 1.2e-3 MWh x 50 + 1.5e-3 MWh x 150 = 0.285 EUR.
  CHECK(two_hours.cost_eur == Approx(0.285).epsilon(1e-12));
  CHECK(two_hours.ambient_c == Approx(15.0).epsilon(1e-12));
  CHECK(campus.peak_facility_power_w() == Approx(1500.0).epsilon(1e-12));
}

TEST_CASE("seconds above the facility budget are counted as PUE and the budget change") {
  // 1 kW idle, PUE 1.2, budget 2 kW facility. A 1 kW job from 100 s to 400 s: 2 kW IT x 1.2 = 2.4 kW > 2 kW.
  // At 200 s the PUE drops to 1.0 (2 kW: not above); at 300 s the budget falls to 1.5 kW (above again) until the
  // job ends at 400 s. At 500 s the budget is removed.
  CampusPower campus(1000.0, factors(1.2, 0.0, 0.0, 10.0));
  campus.set_budget(0.0, 2000.0);
  campus.change(100.0, 1000.0, 8);
  CHECK(campus.over_budget());
  campus.set_factors(200.0, factors(1.0, 0.0, 0.0, 10.0));
  CHECK_FALSE(campus.over_budget());  // exactly at the budget is within it
  campus.set_budget(300.0, 1500.0);
  campus.change(400.0, -1000.0, -8);
  campus.set_budget(500.0, 0.0);
  campus.advance_to(600.0);
  CHECK(campus.budget_exceeded_s() == 100.0 + 100.0);
  // Facility energy, cost and carbon up to a time after the last change, without advancing.
  CHECK(campus.facility_energy_at(700.0) == Approx(campus.facility_energy_j() + 1000.0 * 100).epsilon(1e-12));
}

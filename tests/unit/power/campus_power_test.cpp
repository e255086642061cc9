#include <catch2/catch.hpp>

#include "sim/power/campus_power.hpp"

using namespace fleetsim;

TEST_CASE("a piecewise-constant integral is exact at every change") {
  PiecewiseIntegral power(100.0);
  power.add(10.0, 50.0);   // 100 W for 10 s
  power.add(30.0, -120.0); // 150 W for 20 s
  power.advance_to(40.0);  // 30 W for 10 s
  CHECK(power.integral() == 100.0 * 10 + 150.0 * 20 + 30.0 * 10);
  CHECK(power.value() == 30.0);
}

TEST_CASE("campus samples are interval means and carbon is cumulative from facility energy") {
  // 1 kW idle, PUE 1.5, 360 g/kWh. A 2 kW job on 8 GPUs runs from 1800 s to 5400 s.
  CampusPower campus(1000.0, 1.5, 360.0);
  campus.change(1800.0, 2000.0, 8);
  auto first = campus.sample(3600.0);
  CHECK(first.it_power_w == Approx(1000.0 + 2000.0 * 0.5).epsilon(1e-12));
  CHECK(first.facility_power_w == Approx(first.it_power_w * 1.5).epsilon(1e-12));
  CHECK(first.gpus_busy == Approx(4.0).epsilon(1e-12));
  campus.change(5400.0, -2000.0, -8);
  auto second = campus.sample(7200.0);
  CHECK(second.it_power_w == Approx(2000.0).epsilon(1e-12));
  // Facility energy over 2 h: IT = 1 kW * 2 h + 2 kW * 1 h = 4 kWh; * 1.5 = 6 kWh; * 0.36 kg/kWh = 2.16 kg.
  CHECK(campus.facility_energy_j() == Approx(6 * 3.6e6).epsilon(1e-12));
  CHECK(second.carbon_kg == Approx(2.16).epsilon(1e-12));
  CHECK(campus.gpu_seconds_busy() == Approx(8 * 3600.0).epsilon(1e-12));
}

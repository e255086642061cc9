#include <catch2/catch.hpp>

#include "hw/hardware.hpp"
#include "sim/core/hourly_signal.hpp"

using namespace fleetsim;

namespace {
hw::GpuSpec capped_gpu() {
  hw::GpuSpec gpu;
  gpu.idle_w = 100;
  gpu.max_w = 700;
  gpu.power_curve = {{0.0, 0.5, 1.0}, {100.0, 500.0, 700.0}};  // concave, as measured GPUs are
  gpu.power_cap_min_w = 200;
  gpu.power_cap_max_w = 700;
  gpu.cap_throughput = {{200.0, 400.0, 700.0}, {0.4, 0.8, 1.0}};
  return gpu;
}
}  // namespace

TEST_CASE("a measured power curve replaces the linear one") {
  hw::GpuSpec gpu = capped_gpu();
  CHECK(gpu.power_w(0.0) == 100.0);
  CHECK(gpu.power_w(0.25) == 300.0);
  CHECK(gpu.power_w(0.75) == 600.0);
  CHECK(gpu.power_w(1.0) == 700.0);
}

TEST_CASE("a power cap clips power and slows only jobs that would exceed it") {
  hw::GpuSpec gpu = capped_gpu();
  CHECK(gpu.power_w(1.0, 400.0) == 400.0);
  CHECK(gpu.power_w(0.25, 400.0) == 300.0);  // draws less than the cap
  CHECK(gpu.relative_throughput(1.0, 400.0) == Approx(0.8));
  CHECK(gpu.relative_throughput(0.25, 400.0) == 1.0);
  // A job at 0.75 (600 W uncapped) under a 400 W cap: throughput(400) / throughput(600) = 0.8 / (0.8 + 0.2 * 2/3).
  CHECK(gpu.relative_throughput(0.75, 400.0) == Approx(0.8 / (0.8 + 0.2 * 200.0 / 300.0)));
  CHECK(gpu.relative_throughput(1.0, 0.0) == 1.0);  // no cap
}

TEST_CASE("node base power rises with GPU utilisation from base_w to base_full_w") {
  hw::NodeSpec node;
  node.gpus = 8;
  node.base_w = 2000;
  node.base_full_w = 2800;
  CHECK(node.base_extra_per_gpu_w(1.0) * 8 == Approx(800.0));
  CHECK(node.base_extra_per_gpu_w(0.5) == Approx(50.0));
}

TEST_CASE("PUE is free cooling below the threshold, then rises per degree up to the chiller ceiling") {
  hw::CoolingSpec cooling;
  cooling.free_cooling_max_c = 18;
  cooling.cooling_free_fraction = 0.05;
  cooling.cooling_fraction_per_c = 0.02;
  cooling.cooling_max_fraction = 0.35;
  cooling.other_fraction = 0.02;
  cooling.ups_efficiency = 0.96;
  cooling.transformer_efficiency = 0.99;
  cooling.pdu_efficiency = 0.99;
  const double losses = 1 / (0.96 * 0.99 * 0.99) - 1;
  CHECK(cooling.pue(-5) == Approx(1 + losses + 0.05 + 0.02));
  CHECK(cooling.pue(18) == Approx(1 + losses + 0.05 + 0.02));
  CHECK(cooling.pue(28) == Approx(1 + losses + 0.25 + 0.02));
  CHECK(cooling.pue(45) == Approx(1 + losses + 0.35 + 0.02));
}

TEST_CASE("hourly signals repeat over their year") {
  auto values = std::make_shared<const std::vector<double>>(std::vector<double>{1, 2, 3, 4});
  HourlySignal signal(values, "test");
  CHECK(signal.at_hour(0) == 1);
  CHECK(signal.at_hour(5) == 2);
  CHECK(signal.at_hour(-2) == 3);
  CHECK(signal.mean() == 2.5);
  CHECK(signal.max() == 4);
  CHECK(HourlySignal(7.0).at_hour(123) == 7.0);
}

#include <catch2/catch.hpp>

#include "sim/fleet/fleet.hpp"
#include "sim/scenario/scenario_loader.hpp"

using namespace fleetsim;

TEST_CASE("the fleet counts installed GPUs and idle power per campus") {
  const char* text = R"(
[simulation]
duration = "1h"
[[hw.gpu]]
id = "g"
idle_w = 100.0
max_w = 700.0
[[hw.node]]
id = "n"
gpu = "g"
gpus = 4
base_w = 500.0
[[campus]]
name = "x"
grid_connection_mw = 1.0
pue = 1.0
carbon_intensity_g_per_kwh = 0.0
[[campus.cluster]]
name = "a"
node = "n"
nodes = 3
[[campus.cluster]]
name = "b"
node = "dgx-h100"
nodes = 2
)";
  Scenario scenario = load_scenario_text(text, {"f.toml", {}, {}});
  Fleet fleet = build_fleet(scenario);
  REQUIRE(fleet.campuses.size() == 1);
  REQUIRE(fleet.clusters.size() == 2);
  CHECK(fleet.campuses[0].gpus == 3 * 4 + 2 * 8);
  const hw::NodeSpec& dgx = *scenario.hardware.find_node("dgx-h100");
  const double dgx_idle_w = dgx.base_w + 8 * scenario.hardware.find_gpu(dgx.gpu)->idle_w;
  CHECK(fleet.campuses[0].idle_power_w == Approx(3 * (500.0 + 4 * 100.0) + 2 * dgx_idle_w));
  CHECK(fleet.total_gpus() == 28);
}

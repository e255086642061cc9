#include <catch2/catch.hpp>

#include "sim/fleet/capacity_plan.hpp"
#include "sim/scenario/scenario_loader.hpp"

using namespace fleetsim;

namespace {
Scenario scenario_with(const std::string& extra) {
  return load_scenario_text(
      "[simulation]\nduration = \"30d\"\n"
      "[[campus]]\nname = \"paris\"\ngrid_connection_mw = 10.0\npue = 1.0\ncarbon_intensity_g_per_kwh = 0.0\n"
      "[[campus.cluster]]\nname = \"a\"\nnode = \"dgx-h100\"\nnodes = 10\n"
      "[[campus.cluster]]\nname = \"b\"\nnode = \"dgx-h100\"\nnodes = 4\ncommission = \"10d\"\ndecommission = \"40d\"\n" +
          extra,
      {"plan.toml", {}, {}});
}
}  // namespace

TEST_CASE("the capacity plan lists commissioning and maintenance in time order, repeats included") {
  const Scenario scenario = scenario_with(
      "[[maintenance]]\ncampus = \"paris\"\ncluster = \"a\"\nfraction = 0.25\nfirst_node = 2\nstart = \"5d\"\n"
      "duration = \"6h\"\nevery = \"10d\"\ndrain = true\n");
  const Fleet fleet = build_fleet(scenario);
  const auto plan = capacity_plan(scenario, fleet, scenario.simulation.duration_s);
  // Cluster b joins at 10 d (its decommissioning at 40 d is past the 30 d horizon); cluster a's window of
  // round(0.25 x 10) = 3 nodes from node 2 opens at 5, 15 and 25 d.
  REQUIRE(plan.size() == 4);
  CHECK(plan[0].kind == CapacityChange::Kind::maintenance);
  CHECK(plan[0].time_s == 5 * 86400.0);
  CHECK(plan[0].first_node == 2);
  CHECK(plan[0].nodes == 3);
  CHECK(plan[0].drain);
  CHECK(plan[0].duration_s == 6 * 3600.0);
  CHECK(plan[1].kind == CapacityChange::Kind::commission);
  CHECK(plan[1].time_s == 10 * 86400.0);
  CHECK(plan[1].cluster == 1);
  CHECK(plan[1].nodes == 4);
  CHECK(plan[2].time_s == 15 * 86400.0);
  CHECK(plan[3].time_s == 25 * 86400.0);
  // A cluster commissioned later starts out of the pool: no free GPU, no node available.
  CHECK(fleet.clusters[1].state.free_gpus() == 0);
  CHECK(fleet.clusters[1].state.available_nodes() == 0);
  // Its idle power is not counted until then.
  CHECK(fleet.campuses[0].idle_power_w == Approx(10 * fleet.clusters[0].node->idle_power_w(*fleet.clusters[0].gpu)));
}

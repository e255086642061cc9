#include <catch2/catch.hpp>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scheduling/fgd_placement.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

TEST_CASE("GPU-level fragmentation counts the free capacity each task size cannot use") {
  // Tasks: half a GPU (p = 0.5) or one whole GPU (p = 0.5). A node with no free whole GPU and shared GPUs
  // with 300 and 600 thousandths free: a half-GPU task fits (in the 600) but cannot use the 300; a whole-GPU
  // task fits nowhere and cannot use any of the 900.
  const TaskSizes sizes{{500, 0, 0, 0.5}, {1000, 0, 0, 0.5}};
  CHECK(node_gpu_fragmentation({0, {300, 600}}, sizes) == Approx(0.5 * 300 + 0.5 * 900));
  // One whole GPU free as well: both tasks fit; only the 300 stays useless to the half task, and both shared
  // remainders (900) to the whole-GPU task.
  CHECK(node_gpu_fragmentation({1, {300, 600}}, sizes) == Approx(0.5 * 300 + 0.5 * 900));
  CHECK(node_gpu_fragmentation({2, {}}, sizes) == 0.0);
}

TEST_CASE("a node without the CPU a task needs has all its free GPU capacity fragmented for that task") {
  // 2 GPUs free but only 4 cores left: a task needing 8 cores (p = 0.25) cannot use any of the 2,000.
  const TaskSizes sizes{{1000, 8000, 0, 0.25}, {1000, 2000, 0, 0.75}};
  CHECK(node_gpu_fragmentation({2, {}, 4000, 1 << 20}, sizes) == Approx(0.25 * 2000));
}

TEST_CASE("FGD puts a half-GPU task where fragmentation grows least") {
  Scenario scenario = load_scenario_text("[simulation]\nduration = \"1h\"\n" + testing::campus_toml("x", 2),
                                         {"f.toml", {}, {}});
  Fleet fleet = build_fleet(scenario);
  Cluster& cluster = fleet.clusters[0];
  // Node 0 already has a shared GPU with 500 free; node 1 is empty.
  cluster.state.take(Placement{0, {{0, 1}}});
  const int slot = cluster.shared.open(0, 500);
  const TaskSizes sizes{{500, 0, 0, 0.8}, {1000, 0, 0, 0.2}};
  // Joining the shared GPU leaves no fragment; opening a new one anywhere would leave a 500 that whole-GPU
  // tasks cannot use.
  auto placement = fgd_placement(cluster, 0, 1, 500, {}, sizes);
  REQUIRE(placement);
  CHECK(placement->shared_slot == slot);
  CHECK(placement->gpu_milli == 500);
  // A whole-GPU task takes a whole GPU.
  auto whole = fgd_placement(cluster, 0, 1, 0, {}, sizes);
  REQUIRE(whole);
  CHECK(whole->parts.size() == 1);
  CHECK(whole->parts[0].second == 1);
}

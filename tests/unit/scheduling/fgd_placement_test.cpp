#include <catch2/catch.hpp>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scheduling/fgd_placement.hpp"
#include "sim/scheduling/scheduler.hpp"
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

namespace {
// One campus, an 8-GPU node (cluster "big", listed first) and a 2-GPU node (cluster "small").
Scenario big_and_small() {
  return load_scenario_text("[simulation]\nduration = \"1h\"\n"
                            "[scheduler]\npolicy = \"greedy\"\nplacement = \"fragmentation-aware\"\ngpu_sharing = true\n"
                            "[[hw.node]]\nid = \"two-gpu\"\ngpu = \"h100-sxm\"\ngpus = 2\nbase_w = 500.0\n" +
                                testing::campus_toml("x", 1, "dgx-h100", "big") +
                                "[[campus.cluster]]\nname = \"small\"\nnode = \"two-gpu\"\nnodes = 1\n",
                            {"f.toml", {}, {}});
}
}  // namespace

TEST_CASE("FGD compares the nodes of every cluster of the campus, not the first cluster that fits") {
  Scenario scenario = big_and_small();
  Fleet fleet = build_fleet(scenario);
  // Tasks: one whole GPU (p = 0.5) or eight (p = 0.5). A 1-GPU job:
  //   on the 8-GPU node: before 0 (both fit); after, 7 free: the 8-GPU task cannot use them, 0.5 x 7,000 = 3,500.
  //   on the 2-GPU node: before 0.5 x 2,000 = 1,000 (8-GPU tasks never fit); after 0.5 x 1,000 = 500: -500.
  const TaskSizes sizes{{1000, 0, 0, 0.5}, {8000, 0, 0, 0.5}};
  // Idle: the 8-GPU node is not fragmented, the 2-GPU node is for 8-GPU tasks (0.5 x 2,000).
  CHECK(node_fragmentation_now(fleet.clusters[0], 0, sizes, nullptr) == 0.0);
  CHECK(node_fragmentation_now(fleet.clusters[1], 0, sizes, nullptr) == Approx(1000));
  auto big = fgd_choice(fleet.clusters[0], 0, 1, 0, {}, sizes);
  auto small = fgd_choice(fleet.clusters[1], 1, 1, 0, {}, sizes);
  REQUIRE(big);
  REQUIRE(small);
  CHECK(big->growth == Approx(3500));
  CHECK(small->growth == Approx(-500));

  // The scheduler takes the 2-GPU node although "big" comes first in the scenario.
  std::vector<PlacementContext> contexts(2);
  for (auto& context : contexts) {
    context.task_sizes = sizes;
    context.fgd_memo = std::make_shared<FgdMemo>();
  }
  Job job;
  job.gpus = 1;
  std::vector<Job> jobs{job};
  std::deque<std::uint64_t> queue{0};
  CampusQueueView view{fleet, 0, queue, jobs};
  view.placement = &contexts;
  auto decision = make_scheduler(scenario.scheduler)->decide(view);
  REQUIRE(decision);
  CHECK(decision->placement.cluster == 1);
}

TEST_CASE("FGD's memo of node fragmentation follows every change of the node") {
  Scenario scenario = load_scenario_text("[simulation]\nduration = \"1h\"\n" + testing::campus_toml("x", 3),
                                         {"f.toml", {}, {}});
  Fleet fleet = build_fleet(scenario);
  Cluster& cluster = fleet.clusters[0];
  const TaskSizes sizes{{500, 0, 0, 0.4}, {1000, 0, 0, 0.3}, {4000, 0, 0, 0.3}};
  FgdMemo memo;
  auto same = [&](int gpus, int milli) {
    auto cached = fgd_choice(cluster, 0, gpus, milli, {}, sizes, &memo);
    auto fresh = fgd_choice(cluster, 0, gpus, milli, {}, sizes);
    REQUIRE(cached);
    REQUIRE(fresh);
    CHECK(cached->growth == fresh->growth);
    CHECK(cached->placement.parts == fresh->placement.parts);
    CHECK(cached->placement.shared_slot == fresh->placement.shared_slot);
  };
  same(1, 0);
  // Node 0: 3 GPUs taken, one of them shared with 700 free; node 1: 8 taken.
  cluster.state.take(Placement{0, {{0, 3}}});
  const int slot = cluster.shared.open(0, 300);
  cluster.state.take(Placement{0, {{1, 8}}});
  same(1, 0);
  same(1, 500);
  // A tenant joins the shared GPU (it takes CPU and memory on the node, which bumps its version): 200 free.
  cluster.shared.take(slot, 500);
  cluster.state.take_host(0, 0, 0);
  same(1, 500);
  same(4, 0);
  // And leaves.
  cluster.state.give_back_host(0, 0, 0);
  cluster.shared.release(slot, 500);
  same(1, 200);
}

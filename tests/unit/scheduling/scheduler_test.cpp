#include <catch2/catch.hpp>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scheduling/scheduler.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

namespace {
Fleet two_node_fleet(Scenario& scenario) {
  scenario = load_scenario_text("[simulation]\nduration = \"1h\"\n" + testing::campus_toml("x", 2), {"f.toml", {}, {}});
  return build_fleet(scenario);
}
Job job(std::uint64_t id, int gpus) {
  Job j;
  j.id = id;
  j.gpus = gpus;
  return j;
}
}  // namespace

TEST_CASE("strict FIFO starts the head when it fits") {
  Scenario scenario;
  Fleet fleet = two_node_fleet(scenario);
  std::vector<Job> jobs{job(0, 8), job(1, 1)};
  std::deque<std::uint64_t> queue{0, 1};
  auto decision = FifoPolicy(SchedulerConfig{}).decide({fleet, 0, queue, jobs});
  REQUIRE(decision);
  CHECK(decision->queue_position == 0);
  CHECK(decision->placement.gpus() == 8);
}

TEST_CASE("strict FIFO: a head that does not fit blocks smaller jobs behind it") {
  Scenario scenario;
  Fleet fleet = two_node_fleet(scenario);
  fleet.clusters[0].state.take({0, {{0, 1}}});  // 15 GPUs free, one whole node
  std::vector<Job> jobs{job(0, 16), job(1, 1)};
  std::deque<std::uint64_t> queue{0, 1};
  CHECK_FALSE(FifoPolicy(SchedulerConfig{}).decide({fleet, 0, queue, jobs}));
}

TEST_CASE("the scheduler factory knows fifo and rejects unknown names, listing the known ones") {
  CHECK(make_scheduler(SchedulerConfig{"fifo"}));
  CHECK(is_known_policy("fifo"));
  CHECK_FALSE(is_known_policy("lifo"));
  CHECK_THROWS_WITH(make_scheduler(SchedulerConfig{"lifo"}), Catch::Contains("known: conservative-backfill, easy-backfill, fifo"));
}

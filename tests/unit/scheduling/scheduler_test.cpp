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
  auto decision = FifoPolicy(FifoSettings{}, PlacementStrategy::best_fit, false).decide({fleet, 0, queue, jobs});
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
  CHECK_FALSE(FifoPolicy(FifoSettings{}, PlacementStrategy::best_fit, false).decide({fleet, 0, queue, jobs}));
}

TEST_CASE("the scheduler factory makes the policy the settings name") {
  CHECK(dynamic_cast<FifoPolicy*>(make_scheduler(SchedulerConfig{}).get()));
  CHECK(dynamic_cast<EasyBackfillPolicy*>(make_scheduler(SchedulerConfig{EasyBackfillSettings{}}).get()));
  CHECK(dynamic_cast<ConservativeBackfillPolicy*>(make_scheduler(SchedulerConfig{ConservativeBackfillSettings{}}).get()));
  CHECK(dynamic_cast<GreedyPolicy*>(make_scheduler(SchedulerConfig{GreedySettings{}}).get()));
  CHECK(dynamic_cast<PriorityPolicy*>(make_scheduler(SchedulerConfig{PrioritySettings{}}).get()));
  CHECK(policy_name(GreedySettings{}) == "greedy");
}

TEST_CASE("greedy starts the first queued job that fits, skipping jobs known not to fit") {
  Scenario scenario;
  Fleet fleet = two_node_fleet(scenario);
  fleet.clusters[0].state.take({0, {{0, 4}, {1, 4}}});  // 4 GPUs free on each node
  const GreedyPolicy greedy(GreedySettings{1}, PlacementStrategy::best_fit, false);  // at most 2 jobs tried per decision
  std::vector<Job> jobs{job(0, 8), job(1, 6), job(2, 2), job(3, 1)};
  std::deque<std::uint64_t> queue{0, 1, 2, 3};
  // Tries jobs 0 (8 GPUs) and 1 (6): neither fits; job 2 is beyond the depth.
  CampusQueueView view{fleet, 0, queue, jobs};
  CHECK_FALSE(greedy.decide(view));
  // So the first 2 are known not to fit until GPUs are released; the next decision starts after them.
  CHECK(greedy.unplaceable_prefix_after(view) == 2);
  view.unplaceable_prefix = 2;
  auto decision = greedy.decide(view);
  REQUIRE(decision);
  CHECK(decision->queue_position == 2);
  CHECK(decision->placement.gpus() == 2);
  // The prefix never passes the queue's end.
  view.unplaceable_prefix = 3;
  CHECK(greedy.unplaceable_prefix_after(view) == 4);
  // Other policies do not say: 0.
  CHECK(FifoPolicy(FifoSettings{}, PlacementStrategy::best_fit, false).unplaceable_prefix_after(view) == 0);
}

// The cluster scheduling policies' decisions on small hand-built states: EASY and conservative backfilling,
// priority with preemption, and how backfill_depth bounds the look-ahead. Every expected decision is worked
// out by hand in the comment next to it.
#include <catch2/catch.hpp>

#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scheduling/scheduler.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

namespace {

// The one place these tests build a SchedulerConfig (its shape may change): a policy name and how many
// queued jobs behind the head a decision may look at. Placement is best fit (the default).
SchedulerConfig config_for(const std::string& policy, int backfill_depth = 256) {
  SchedulerConfig config;
  if (policy == "fifo") config.policy = FifoSettings{};
  if (policy == "greedy") config.policy = GreedySettings{backfill_depth};
  if (policy == "easy-backfill") config.policy = EasyBackfillSettings{backfill_depth};
  if (policy == "conservative-backfill") config.policy = ConservativeBackfillSettings{backfill_depth};
  if (policy == "priority") config.policy = PrioritySettings{};
  REQUIRE(policy_name(config.policy) == policy);
  return config;
}

std::unique_ptr<SchedulerPolicy> policy(const std::string& name, int backfill_depth = 256) {
  return make_scheduler(config_for(name, backfill_depth));
}

Scenario one_cluster_scenario(int nodes) {
  return load_scenario_text("[simulation]\nduration = \"1h\"\n" + testing::campus_toml("x", nodes), {"f.toml", {}, {}});
}

// One campus with one cluster of DGX H100 nodes (8 GPUs each), the jobs running on it (with their start and
// estimated end) and a queue. Jobs are indexed by id, running and queued alike, as the engine's job table is.
class Scene {
 public:
  Scene(int nodes, double now_s)
      : scenario_(one_cluster_scenario(nodes)), fleet_(build_fleet(scenario_)), now_s_(now_s) {
    REQUIRE(fleet_.clusters.size() == 1);
    REQUIRE(fleet_.clusters[0].state.gpus_per_node() == 8);
  }
  Scene(const Scene&) = delete;
  Scene& operator=(const Scene&) = delete;

  // A job holding `gpus` GPUs of `node` since start_s, expected to end at end_s.
  std::uint64_t run(int node, int gpus, double start_s, double end_s, int priority = 0) {
    Job job = new_job(gpus, priority);
    job.estimate_s = end_s - start_s;
    job.duration_s = job.estimate_s;
    placements_.push_back(Placement{0, {{node, gpus}}});
    fleet_.clusters[0].state.take(placements_.back());
    RunningJob running;
    running.gpus = gpus;
    running.id = job.id;
    running.start_s = start_s;
    running.placement = &placements_.back();  // a deque keeps addresses as it grows
    running_[0].emplace(end_s, running);
    jobs_.push_back(job);
    return job.id;
  }

  // A job that could be queued: `gpus` GPUs, run time estimate_s as the scheduler knows it (duration_s, the
  // true run time, may differ; NaN = same as the estimate).
  std::uint64_t job(int gpus, double estimate_s, int priority = 0, double duration_s = std::nan("")) {
    Job job = new_job(gpus, priority);
    job.estimate_s = estimate_s;
    job.duration_s = std::isnan(duration_s) ? estimate_s : duration_s;
    jobs_.push_back(job);
    return job.id;
  }

  // The policy's decision with `queue` (job ids, arrival order) waiting.
  std::optional<StartDecision> decide(const SchedulerPolicy& policy, std::deque<std::uint64_t> queue) {
    queue_ = std::move(queue);
    CampusQueueView view{fleet_, 0, queue_, jobs_};
    view.now_s = now_s_;
    view.running = &running_;
    return policy.decide(view);
  }

  int free_gpus() const { return fleet_.clusters[0].state.free_gpus(); }
  int free_gpus_on(int node) const { return fleet_.clusters[0].state.free_gpus_on(node); }

 private:
  Job new_job(int gpus, int priority) {
    Job job;
    job.id = jobs_.size();
    job.gpus = gpus;
    job.priority = priority;
    return job;
  }
  Scenario scenario_;
  Fleet fleet_;
  double now_s_;
  std::vector<Job> jobs_;
  std::vector<RunningJobs> running_ = std::vector<RunningJobs>(1);
  std::deque<Placement> placements_;
  std::deque<std::uint64_t> queue_;
};

// The state the backfilling tests share: 4 nodes (32 GPUs), now = 1000 s.
//   node 0: R1, 8 GPUs, estimated end 2000
//   node 1: R2, 8 GPUs, estimated end 3000
//   node 2: R3, 4 GPUs, estimated end 4000 (4 GPUs free)
//   node 3: free (8 GPUs)
// 12 GPUs free now, one whole node. A head of 24 GPUs (3 whole nodes) does not fit now. Its shadow time, the
// first estimated end at which enough GPUs are free: 12 free, + 8 at 2000 = 20 < 24, + 8 at 3000 = 28 >= 24,
// so shadow = 3000 and extra = 28 - 24 = 4 GPUs the head will not need then.
void run_backfill_state(Scene& scene) {
  scene.run(0, 8, 0, 2000);
  scene.run(1, 8, 0, 3000);
  scene.run(2, 4, 0, 4000);
  REQUIRE(scene.free_gpus() == 12);
  REQUIRE(scene.free_gpus_on(2) == 4);
  REQUIRE(scene.free_gpus_on(3) == 8);
}

}  // namespace

TEST_CASE("EASY backfilling starts a job that ends by the blocked head's shadow time, not one that ends later") {
  Scene scene(4, 1000);
  run_backfill_state(scene);  // head of 24 GPUs: shadow 3000, extra 4 (see run_backfill_state)
  const auto easy = policy("easy-backfill");
  const auto head = scene.job(24, 1000);

  // 8 GPUs for an estimated 1500 s: ends at 2500 <= 3000, so it starts now on the only node with 8 free (3).
  const auto short_job = scene.job(8, 1500);
  auto decision = scene.decide(*easy, {head, short_job});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  CHECK(decision->placement.gpus() == 8);
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{3, 8}});
  CHECK(decision->preempt.empty());

  // Ending exactly at the shadow time (1000 + 2000 = 3000) still frees node 3 in time for the head: starts.
  const auto until_shadow = scene.job(8, 2000);
  decision = scene.decide(*easy, {head, until_shadow});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);

  // One second longer (ends 3001 > 3000) and 8 GPUs > 4 extra: it would hold node 3 when the head needs it.
  // This also pins the shadow time at 3000, the second estimated end, not the first (2000) or the last (4000).
  const auto past_shadow = scene.job(8, 2001);
  CHECK_FALSE(scene.decide(*easy, {head, past_shadow}));

  // The scheduler goes by the estimate, not the true duration: estimated 5000 s (truly 1500) does not start,
  // estimated 1500 s (truly 5000, it will overrun) does.
  const auto overestimated = scene.job(8, 5000, 0, 1500);
  const auto underestimated = scene.job(8, 1500, 0, 5000);
  CHECK_FALSE(scene.decide(*easy, {head, overestimated}));
  decision = scene.decide(*easy, {head, underestimated});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
}

TEST_CASE("EASY backfilling skips a job that would delay the head and starts the next one that does not") {
  Scene scene(4, 1000);
  run_backfill_state(scene);  // head of 24 GPUs: shadow 3000, extra 4
  const auto easy = policy("easy-backfill");
  const auto head = scene.job(24, 1000);
  // 8 GPUs until 6000: ends after the shadow and needs more than the 4 extra GPUs, so it would delay the head.
  const auto long_job = scene.job(8, 5000);
  const auto short_job = scene.job(8, 1500);  // ends 2500 <= 3000

  CHECK_FALSE(scene.decide(*easy, {head, long_job}));
  // The long job is passed over, not a barrier: the short job behind it starts.
  auto decision = scene.decide(*easy, {head, long_job, short_job});
  REQUIRE(decision);
  CHECK(decision->queue_position == 2);

  // Contrast: strict FIFO starts nothing while the head waits; greedy starts the long job, delaying the head.
  CHECK_FALSE(scene.decide(*policy("fifo"), {head, long_job}));
  decision = scene.decide(*policy("greedy"), {head, long_job});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
}

TEST_CASE("EASY backfilling starts a job within the head's extra GPUs even though it ends after the shadow time") {
  Scene scene(4, 1000);
  run_backfill_state(scene);  // head of 24 GPUs: shadow 3000, extra 4
  const auto easy = policy("easy-backfill");
  const auto head = scene.job(24, 1000);

  // 4 GPUs until 6000 (> 3000), but 4 <= 4 extra. Best fit puts it on node 2 (exactly 4 free); at 3000 nodes
  // 0, 1 and 3 are whole and free for the head.
  const auto four_gpus = scene.job(4, 5000);
  auto decision = scene.decide(*easy, {head, four_gpus});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{2, 4}});

  // 5 GPUs until 6000: 5 > 4 extra (best fit puts it on node 3, which the head needs): waits. Together with
  // the 4-GPU job this pins extra = 4.
  const auto five_gpus = scene.job(5, 5000);
  CHECK_FALSE(scene.decide(*easy, {head, five_gpus}));
  // Queued behind the 5-GPU job, the 4-GPU job still starts.
  decision = scene.decide(*easy, {head, five_gpus, four_gpus});
  REQUIRE(decision);
  CHECK(decision->queue_position == 2);
}

TEST_CASE("EASY backfilling counts every job ending at the shadow time in the head's extra GPUs") {
  // scheduler.hpp: a later job may start if it "uses only GPUs the head will not need then" (at the shadow).
  // Two running jobs end at the same estimated time; the GPUs of both are free at the shadow time.
  //   node 0: 8 GPUs until 2000; node 1: two jobs of 4 GPUs, both until 3000; node 2: 4 GPUs until 4000
  //   (4 free); node 3: free. 12 free now.
  // Head of 24: 12, + 8 at 2000 = 20, + 4 + 4 at 3000 = 28 >= 24: shadow 3000, extra 28 - 24 = 4.
  // A 4-GPU job estimated to 6000 on node 2 (best fit) uses only those 4 extra GPUs: at 3000 nodes 0, 1, 3 are
  // whole and free for the head, so it should start.
  // The implementation stops adding releases as soon as the head's need is met (after the first job ending at
  // 3000), so it computes extra = 24 - 24 = 0 and refuses the job.
  Scene scene(4, 1000);
  scene.run(0, 8, 0, 2000);
  scene.run(1, 4, 0, 3000);
  scene.run(1, 4, 0, 3000);
  scene.run(2, 4, 0, 4000);
  REQUIRE(scene.free_gpus() == 12);
  const auto head = scene.job(24, 1000);
  const auto easy = policy("easy-backfill");
  // The shadow time itself is right: a 4-GPU job ending at 1000 + 2000 = 3000 starts.
  const auto until_shadow = scene.job(4, 2000);
  auto decision = scene.decide(*easy, {head, until_shadow});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  // So are the extra GPUs: both jobs ending at 3000 free theirs (28 free, 24 needed, 4 extra): a 4-GPU job that
  // ends after the shadow starts on node 2, whose 4 free GPUs the head does not need.
  const auto four_gpus = scene.job(4, 5000);
  decision = scene.decide(*easy, {head, four_gpus});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{2, 4}});
}

TEST_CASE("conservative backfilling reserves for every queued job, so it refuses a job EASY backfills") {
  Scene scene(4, 1000);
  run_backfill_state(scene);
  const auto easy = policy("easy-backfill");
  const auto conservative = policy("conservative-backfill");
  const auto a = scene.job(24, 1000);  // the head: 3 whole nodes
  const auto b = scene.job(16, 1000);  // 2 whole nodes: only node 3 is whole now, so B does not fit now
  const auto c = scene.job(8, 1500);   // fits node 3 now, ends 2500
  const auto d = scene.job(4, 5000);   // fits node 2 now, ends 6000

  // Free GPUs over time (conservative's profile from the running jobs' estimated ends):
  //   [1000, 2000) 12   [2000, 3000) 20   [3000, 4000) 28   [4000, ...) 32
  SECTION("with only the head ahead of it, C starts under both policies") {
    // EASY: C ends 2500 <= shadow 3000. Conservative: A's earliest start is 3000 (28 >= 24), reserved for
    // [3000, 4000): profile 12 / 20 / 4 / 32. C needs 8 over [1000, 2500): 12 then 20, enough: starts now.
    for (const auto* scheduler : {easy.get(), conservative.get()}) {
      auto decision = scene.decide(*scheduler, {a, c});
      REQUIRE(decision);
      CHECK(decision->queue_position == 1);
      CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{3, 8}});
    }
  }
  SECTION("with B between them, EASY starts C and conservative does not, because C would delay B") {
    // EASY protects only the head: B does not fit now and is skipped; C ends 2500 <= 3000: starts (position 2).
    auto decision = scene.decide(*easy, {a, b, c, d});
    REQUIRE(decision);
    CHECK(decision->queue_position == 2);
    CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{3, 8}});

    // Conservative, in queue order:
    //   A (24 for 1000): 12, 20 < 24; at 3000 28 >= 24, until 4000: reserved [3000, 4000)
    //       -> 12 / 20 / 4 / 32 at 1000 / 2000 / 3000 / 4000
    //   B (16 for 1000): at 1000 12 < 16; at 2000 20 >= 16, until 3000: reserved [2000, 3000)
    //       -> 12 / 4 / 4 / 32
    //   C (8 for 1500): at 1000 12, but 4 from 2000 < 8; 4 at 2000 and at 3000; at 4000 32: reserved
    //       [4000, 5500), not now. (EASY's C would hold node 3 until 2500 and push B from 2000 to 2500.)
    //       -> 12 / 4 / 4 / 24 / 32 at 1000 / 2000 / 3000 / 4000 / 5500
    //   D (4 for 5000): 12, 4, 4, 24, 32 over [1000, 6000) are all >= 4: starts now, on node 2 (best fit).
    decision = scene.decide(*conservative, {a, b, c, d});
    REQUIRE(decision);
    CHECK(decision->queue_position == 3);
    CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{2, 4}});

    // Without D, conservative starts nothing.
    CHECK_FALSE(scene.decide(*conservative, {a, b, c}));
  }
}

TEST_CASE("conservative backfilling counts every job ending at the same estimated time") {
  // The state of the EASY case above: two 4-GPU jobs end at 3000. The profile adds both:
  //   [1000, 2000) 12   [2000, 3000) 20   [3000, 4000) 28   [4000, ...) 32
  // Head of 24 reserved [3000, 4000) -> 12 / 20 / 4 / 32. A 4-GPU job for 5000 s: 12, 20, 4, 32 >= 4 over
  // [1000, 6000): starts now on node 2.
  Scene scene(4, 1000);
  scene.run(0, 8, 0, 2000);
  scene.run(1, 4, 0, 3000);
  scene.run(1, 4, 0, 3000);
  scene.run(2, 4, 0, 4000);
  const auto head = scene.job(24, 1000);
  const auto four_gpus = scene.job(4, 5000);
  auto decision = scene.decide(*policy("conservative-backfill"), {head, four_gpus});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{2, 4}});
}

TEST_CASE("backfill_depth bounds how many queued jobs behind the head a backfilling decision looks at") {
  Scene scene(4, 1000);
  run_backfill_state(scene);  // head of 24 GPUs: shadow 3000, extra 4
  const auto head = scene.job(24, 1000);
  const auto long_job = scene.job(8, 5000);   // EASY: would delay the head
  const auto short_job = scene.job(8, 1500);  // EASY: ends 2500 <= 3000, may start

  SECTION("EASY") {
    // The short job is second behind the head: depth 0 and 1 do not reach it, depth 2 does.
    CHECK_FALSE(scene.decide(*policy("easy-backfill", 0), {head, short_job}));
    CHECK_FALSE(scene.decide(*policy("easy-backfill", 1), {head, long_job, short_job}));
    auto decision = scene.decide(*policy("easy-backfill", 2), {head, long_job, short_job});
    REQUIRE(decision);
    CHECK(decision->queue_position == 2);
    // A head that fits starts whatever the depth.
    Scene empty(4, 1000);
    const auto fits = empty.job(24, 1000);
    decision = empty.decide(*policy("easy-backfill", 0), {fits});
    REQUIRE(decision);
    CHECK(decision->queue_position == 0);
  }
  SECTION("conservative") {
    // Queue [A, B, C, D] of the conservative test: only D (third behind the head) starts. Depth 2 looks at
    // A, B and C (C is reserved for 4000): nothing; depth 3 reaches D.
    const auto b = scene.job(16, 1000);
    const auto c = scene.job(8, 1500);
    const auto d = scene.job(4, 5000);
    CHECK_FALSE(scene.decide(*policy("conservative-backfill", 2), {head, b, c, d}));
    auto decision = scene.decide(*policy("conservative-backfill", 3), {head, b, c, d});
    REQUIRE(decision);
    CHECK(decision->queue_position == 3);
  }
  SECTION("greedy") {
    // Greedy tries the head and backfill_depth jobs behind it: depth 0 tries only the head (24 GPUs, does not
    // fit now); depth 1 reaches the long job, which fits and starts (greedy makes no reservation).
    CHECK_FALSE(scene.decide(*policy("greedy", 0), {head, long_job}));
    auto decision = scene.decide(*policy("greedy", 1), {head, long_job});
    REQUIRE(decision);
    CHECK(decision->queue_position == 1);
  }
}

TEST_CASE("priority scheduling starts the highest-priority queued job first, the earliest among equals") {
  Scene scene(2, 1000);
  const auto low = scene.job(1, 100, 0);
  const auto high = scene.job(1, 100, 3);
  const auto high_later = scene.job(1, 100, 3);
  auto decision = scene.decide(*policy("priority"), {low, high, high_later});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  CHECK(decision->preempt.empty());
}

TEST_CASE("priority scheduling preempts lower-priority jobs, the latest started first, until the job fits") {
  // 2 nodes, all 16 GPUs busy, now = 1000:
  //   node 1: H  priority 5, 8 GPUs
  //   node 0: L1 priority 0, 2 GPUs, started 100 (estimated end 4000)
  //           L3 priority 1, 2 GPUs, started 200 (end 4500)
  //           L2 priority 0, 2 GPUs, started 300 (end 3000, first in the running map)
  //           E  priority 2, 2 GPUs, started 400 (the youngest, but not lower than P's priority)
  // P (priority 2, 4 GPUs) is queued behind Q (priority 0): P goes first. It does not fit; the candidates are
  // the jobs of priority < 2: L1, L3, L2, youngest first: L2 (300), L3 (200), L1 (100). Giving back L2 frees
  // 2 GPUs on node 0 (< 4); then L3: 4 free, P fits on node 0. Victims: exactly L2 then L3; L1 keeps running,
  // E (equal priority) and H (higher) are never candidates.
  Scene scene(2, 1000);
  const auto h = scene.run(1, 8, 0, 5000, 5);
  const auto l1 = scene.run(0, 2, 100, 4000, 0);
  const auto l3 = scene.run(0, 2, 200, 4500, 1);
  const auto l2 = scene.run(0, 2, 300, 3000, 0);
  const auto e = scene.run(0, 2, 400, 3500, 2);
  REQUIRE(scene.free_gpus() == 0);
  const auto q = scene.job(1, 100, 0);
  const auto p = scene.job(4, 100, 2);
  auto decision = scene.decide(*policy("priority"), {q, p});
  REQUIRE(decision);
  CHECK(decision->queue_position == 1);
  CHECK(decision->preempt == std::vector<std::uint64_t>{l2, l3});
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{0, 4}});
  (void)h, (void)l1, (void)e;
}

TEST_CASE("priority scheduling preempts youngest first without look-ahead, even a victim whose GPUs do not help") {
  // 2 nodes, full. node 0: O priority 0, 8 GPUs, started 100. node 1: H priority 5, 4 GPUs, started 0, and Y
  // priority 0, 4 GPUs, started 900. P (priority 1, 8 GPUs) needs a whole node. Youngest first: Y frees 4
  // GPUs on node 1 (H keeps the other 4): no node has 8; then O frees node 0: P fits there. The rule in
  // scheduler.hpp ("the most recently started first ... until it fits") lists both, though stopping O alone
  // would have been enough.
  Scene scene(2, 1000);
  const auto o = scene.run(0, 8, 100, 5000, 0);
  scene.run(1, 4, 0, 5000, 5);
  const auto y = scene.run(1, 4, 900, 5000, 0);
  const auto p = scene.job(8, 100, 1);
  auto decision = scene.decide(*policy("priority"), {p});
  REQUIRE(decision);
  CHECK(decision->queue_position == 0);
  CHECK(decision->preempt == std::vector<std::uint64_t>{y, o});
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{0, 8}});
}

TEST_CASE("priority scheduling: without enough preemptible GPUs the job waits and blocks lower priorities") {
  // 2 nodes. node 1: H priority 5, 8 GPUs. node 0: L priority 0, 4 GPUs; E priority 2, 2 GPUs; 2 GPUs free.
  // P (priority 2, 8 GPUs) does not fit; preempting L (the only job of lower priority) leaves 6 free on node
  // 0, still < 8. E (equal) and H (higher) are not preempted, so P waits. Q (priority 0, 1 GPU) would fit in
  // the 2 free GPUs, but strict priority keeps it behind P.
  Scene scene(2, 1000);
  scene.run(1, 8, 0, 5000, 5);
  scene.run(0, 4, 100, 5000, 0);
  scene.run(0, 2, 200, 5000, 2);
  REQUIRE(scene.free_gpus() == 2);
  const auto p = scene.job(8, 100, 2);
  const auto q = scene.job(1, 100, 0);
  const auto priority = policy("priority");
  CHECK_FALSE(scene.decide(*priority, {p, q}));
  CHECK_FALSE(scene.decide(*priority, {q, p}));  // queue order does not matter: P still comes first
  // Without P, Q starts in the free GPUs of node 0.
  auto decision = scene.decide(*priority, {q});
  REQUIRE(decision);
  CHECK(decision->queue_position == 0);
  CHECK(decision->placement.parts == std::vector<std::pair<int, int>>{{0, 1}});
}

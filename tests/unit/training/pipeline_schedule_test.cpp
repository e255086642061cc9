// The pipeline orders the detailed mode runs (sim/training/pipeline_schedule.hpp) and the job's rank layout
// (sim/training/job_layout.hpp), against orders and positions written out by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "sim/training/job_layout.hpp"
#include "sim/training/pipeline_schedule.hpp"

using namespace fleetsim::training;

namespace {

std::string text(const std::vector<PipelineOp>& ops) {
  std::string out;
  for (const PipelineOp& op : ops)
    out += (op.pass == Pass::forward ? "F" : "B") + std::to_string(op.microbatch) +
           (op.chunk > 0 ? "." + std::to_string(op.chunk) : "") + " ";
  return out;
}

// Runs every stage's order with real dependencies (a forward needs the previous virtual stage's forward of the
// same micro-batch, a backward the next one's backward) and no communication time; forward `f` and backward `b`
// per chunk. Returns the makespan, or -1 when the orders deadlock.
double makespan(int pp, int vp, long long m, double f, double b) {
  using Key = std::tuple<int, long long, int>;  // pass, micro-batch, virtual stage
  std::map<Key, double> done;
  std::vector<std::vector<PipelineOp>> orders;
  for (int s = 0; s < pp; ++s) orders.push_back(stage_schedule(pp, vp, m, s));
  std::vector<std::size_t> next(pp, 0);
  std::vector<double> free_at(pp, 0);
  const int last = pp * vp - 1;
  for (bool progress = true; progress;) {
    progress = false;
    for (int s = 0; s < pp; ++s) {
      while (next[s] < orders[s].size()) {
        const PipelineOp& op = orders[s][next[s]];
        const int v = op.chunk * pp + s;
        double ready = free_at[s];
        if (op.pass == Pass::forward && v > 0) {
          auto it = done.find({0, op.microbatch, v - 1});
          if (it == done.end()) break;
          ready = std::max(ready, it->second);
        }
        if (op.pass == Pass::backward) {
          auto it = done.find(v < last ? Key{1, op.microbatch, v + 1} : Key{0, op.microbatch, v});
          if (it == done.end()) break;
          ready = std::max(ready, it->second);
        }
        free_at[s] = ready + (op.pass == Pass::forward ? f : b);
        done[{op.pass == Pass::forward ? 0 : 1, op.microbatch, v}] = free_at[s];
        ++next[s];
        progress = true;
      }
    }
  }
  for (int s = 0; s < pp; ++s)
    if (next[s] < orders[s].size()) return -1;
  return *std::max_element(free_at.begin(), free_at.end());
}

}  // namespace

TEST_CASE("1F1B: warm-up forwards, one forward one backward, then the remaining backwards") {
  // 4 stages, 6 micro-batches: stage 0 warms up with 3 forwards, the last stage with none.
  CHECK(text(stage_schedule(4, 1, 6, 0)) == "F0 F1 F2 F3 B0 F4 B1 F5 B2 B3 B4 B5 ");
  CHECK(text(stage_schedule(4, 1, 6, 3)) == "F0 B0 F1 B1 F2 B2 F3 B3 F4 B4 F5 B5 ");
  // Fewer micro-batches than stages: all forwards, then all backwards.
  CHECK(text(stage_schedule(4, 1, 2, 0)) == "F0 F1 B0 B1 ");
}

TEST_CASE("interleaved 1F1B: groups of pp micro-batches through each chunk, backwards in reverse chunk order") {
  // 2 stages, 2 chunks each, 4 micro-batches (Megatron-LM's order): stage 0 warms up with (2-0-1) x 2 + (2-1) x 2 = 4
  // forwards: micro-batches 0, 1 on chunk 0, then 0, 1 on chunk 1.
  CHECK(text(stage_schedule(2, 2, 4, 0)) == "F0 F1 F0.1 F1.1 F2 B0.1 F3 B1.1 F2.1 B0 F3.1 B1 B2.1 B3.1 B2 B3 ");
  CHECK(text(stage_schedule(2, 2, 4, 1)) == "F0 F1 F0.1 B0.1 F1.1 B1.1 F2 B0 F3 B1 F2.1 B2.1 F3.1 B3.1 B2 B3 ");
  // A single group (micro-batches = stages): all forwards first.
  CHECK(text(stage_schedule(2, 2, 2, 1)) == "F0 F1 F0.1 F1.1 B0.1 B1.1 B0 B1 ");
}

TEST_CASE("every micro-batch runs forward and backward once on every chunk of every stage") {
  for (int pp : {1, 2, 3, 4, 8})
    for (int vp : {1, 2, 3})
      for (long long m : {1LL, 2LL, 3LL, 4LL, 5LL, 8LL, 12LL, 17LL, 24LL})
        for (int s = 0; s < pp; ++s) {
          if (vp > 1 && m % pp != 0) continue;  // refused by plan_problem
          std::set<std::tuple<int, long long, int>> seen;
          for (const PipelineOp& op : stage_schedule(pp, vp, m, s))
            seen.insert({op.pass == Pass::forward ? 0 : 1, op.microbatch, op.chunk});
          CHECK(seen.size() == static_cast<std::size_t>(2 * m * vp));
        }
}

TEST_CASE("the orders never deadlock, and their bubble is (pp - 1) chunk times: (pp - 1)/vp of a stage's work") {
  for (int pp : {1, 2, 3, 4, 8})
    for (int vp : {1, 2, 3})
      for (long long m : {1LL, 2LL, 3LL, 4LL, 5LL, 8LL, 12LL, 17LL, 24LL}) {
        if (vp > 1 && m % pp != 0) continue;  // refused by plan_problem
        INFO("pp " << pp << " vp " << vp << " m " << m);
        const double f = 1.0 / vp, b = 2.0 / vp;  // a stage's forward 1 and backward 2 split over its chunks
        const double span = makespan(pp, vp, m, f, b);
        REQUIRE(span > 0);
        // 1F1B: (m + pp - 1) x (f + b); interleaved with whole groups: m x 3 + (pp - 1) x 3 / vp (Narayanan et al.
        // SC'21, section 2.2.2: the bubble shrinks by vp).
        CHECK(span == Approx(m * 3.0 + (pp - 1) * 3.0 / vp));
      }
}

TEST_CASE("Megatron rank order: tensor rank fastest, then context, data and pipeline, and consecutive ranks fill a node") {
  TrainingPlan plan;
  plan.gpus = 64;
  plan.parallelism = {2, 2, 2, 1, 1};  // tp 2, pp 2, cp 2: dp = 64 / 8 = 8
  const JobLayout layout(plan, 8, 8);
  CHECK(layout.data_parallel() == 8);
  CHECK(layout.rank(1, 0, 0, 0) == 1);
  CHECK(layout.rank(0, 1, 0, 0) == 2);
  CHECK(layout.rank(0, 0, 1, 0) == 4);
  CHECK(layout.rank(0, 0, 0, 1) == 32);
  CHECK(layout.node(layout.rank(1, 1, 3, 1)) == (1 + 2 + 12 + 32) / 8);
  CHECK(layout.local(layout.rank(1, 1, 3, 1)) == (1 + 2 + 12 + 32) % 8);
  CHECK(layout.local_data_parallel() == 2);  // 8 GPUs / (tp 2 x cp 2)
  CHECK(layout.same_domain(0, 7));
  CHECK_FALSE(layout.same_domain(7, 8));
  CHECK(layout.nodes() == 8);
}

#include <catch2/catch.hpp>

#include <cmath>

#include "sim/inference/replica_pool.hpp"
#include "sim/inference/serving_stats.hpp"
#include "tests/support/toy_inference.hpp"

using namespace fleetsim;
using namespace fleetsim::inference;
using fleetsim::testing::toy_serving_machine;
using fleetsim::testing::toy_serving_model;

namespace {

// Runs `requests` through a pool of `replicas` on a heap clock.
RequestLog run(const ReplicaModel& model, const std::vector<Request>& requests, int replicas = 1) {
  RequestLog log(requests);
  HeapClock clock;
  ReplicaPool pool(model, replicas, log, clock);
  pool.start();
  clock.run();
  return log;
}

}  // namespace

TEST_CASE("a lone request: its prompt in one iteration gives the first token, then one token per iteration") {
  ReplicaPlan plan;
  const ReplicaModel model(toy_serving_model(), toy_serving_machine(), plan);
  const std::vector<Request> requests{{1.0, 100, 4}};
  const RequestLog log = run(model, requests);
  const RequestOutcome& outcome = log.outcomes[0];
  CHECK(outcome.start_s == 1.0);
  CHECK(outcome.first_token_s == Approx(1.0 + model.prefill_s(100)));
  // Three decoding iterations, at contexts 101, 102 and 103 (the prompt and the tokens so far).
  double decode = 0;
  for (int k = 1; k <= 3; ++k) decode += model.decode_step_s(1, 100 + k);
  CHECK(outcome.end_s == Approx(outcome.first_token_s + decode).epsilon(1e-12));
}

TEST_CASE("a one-token request ends with its first token") {
  ReplicaPlan plan;
  const ReplicaModel model(toy_serving_model(), toy_serving_machine(), plan);
  const RequestLog log = run(model, {{0.0, 50, 1}});
  CHECK(log.outcomes[0].end_s == log.outcomes[0].first_token_s);
}

TEST_CASE("prompts are chunked to the token budget, first come first served") {
  ReplicaPlan plan;
  plan.max_batch_tokens = 100;
  const ReplicaModel model(toy_serving_model(), toy_serving_machine(), plan);
  // Two 150-token prompts at once: iteration 1 = 100 tokens of A; 2 = A's last 50 and B's first 50; 3 = B's last
  // 100 with A's first decoding token.
  const RequestLog log = run(model, {{0.0, 150, 2}, {0.0, 150, 2}});
  const RequestOutcome& a = log.outcomes[0];
  const RequestOutcome& b = log.outcomes[1];
  CHECK(a.start_s == 0.0);
  CHECK(b.start_s > 0.0);  // admitted in the second iteration, when the budget had room
  CHECK(a.first_token_s < b.first_token_s);
  CHECK(a.end_s <= b.first_token_s + 1e-12);  // A's one decoding token runs with B's last chunk
}

TEST_CASE("admission reserves the KV cache for prompt and output: a full cache makes requests wait") {
  ReplicaPlan plan;
  // HBM for weights, activations and runtime plus room for a few thousand tokens of KV cache.
  plan.max_batch_tokens = 100;
  plan.max_batch_requests = 4;
  const ReplicaModel probe(toy_serving_model(), toy_serving_machine(), plan);
  const double spare_gb = 2 * 4000.0 * probe.kv_bytes_per_token_per_gpu() / kUsableHbmBytesPerGb;
  const double needed_gb = (probe.weight_bytes_per_gpu() + probe.activation_bytes_per_gpu() + kRuntimeBytesPerGpu) /
                           kUsableHbmBytesPerGb;
  plan.kv_cache_fraction = 0.5;  // of the spare room: 4,000 tokens
  const ReplicaModel model(toy_serving_model(), toy_serving_machine(needed_gb + spare_gb), plan);
  REQUIRE(model.kv_capacity_tokens() == Approx(4000).margin(1));
  // Three requests of 1,000 + 1,000 tokens: two fit at once, the third waits for one to end.
  const RequestLog log = run(model, {{0.0, 1000, 1000}, {0.0, 1000, 1000}, {0.0, 1000, 1000}});
  CHECK(log.outcomes[2].start_s >= std::min(log.outcomes[0].end_s, log.outcomes[1].end_s));
  // A request larger than the whole cache is rejected, never served.
  const RequestLog too_big = run(model, {{0.0, 3000, 1001}});
  CHECK(too_big.outcomes[0].rejected);
  CHECK(std::isnan(too_big.outcomes[0].end_s));
}

TEST_CASE("the router sends each request to the replica with the fewest outstanding requests") {
  ReplicaPlan plan;
  const ReplicaModel model(toy_serving_model(), toy_serving_machine(), plan);
  // Two simultaneous identical requests on two replicas run in parallel: same times.
  const RequestLog log = run(model, {{0.0, 500, 10}, {0.0, 500, 10}}, 2);
  CHECK(log.outcomes[0].end_s == Approx(log.outcomes[1].end_s));
  CHECK(log.outcomes[0].first_token_s == Approx(model.prefill_s(500)));
}

TEST_CASE("serving statistics: TTFT, TPOT, attainment and goodput by their definitions") {
  const std::vector<Request> requests{{0.0, 10, 3}, {1.0, 10, 1}, {2.0, 10, 5}};
  RequestLog log(requests);
  log.outcomes[0] = {0.0, 0.2, 0.4, false};  // TTFT 0.2, TPOT 0.1
  log.outcomes[1] = {1.0, 1.5, 1.5, false};  // TTFT 0.5 (too slow), no TPOT
  log.outcomes[2] = {2.0, 2.1, 2.9, false};  // TTFT 0.1, TPOT 0.2 (too slow)
  const Slo slo{0.3, 0.15, 0.5};
  const ServingStats stats = summarize(log, slo, 10.0);
  CHECK(stats.completed == 3);
  CHECK(stats.ttft_s.p50 == Approx(0.2));
  CHECK(stats.ttft_s.p99 == Approx(0.5));
  CHECK(stats.tpot_s.mean == Approx(0.15));
  CHECK(stats.attainment == Approx(1.0 / 3));
  CHECK_FALSE(stats.meets_slo);
  CHECK(stats.goodput_rps == Approx(0.1));
  CHECK(stats.output_tokens_per_s == Approx(0.9));
}

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <memory>

#include "sim/core/input_error.hpp"
#include "sim/inference/capacity.hpp"
#include "sim/inference/demand.hpp"

using namespace fleetsim;
using namespace fleetsim::inference;

namespace {

std::string write_trace(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/fleetsim_demand_test_" + name + ".csv";
  std::ofstream(path) << text;
  return path;
}

DemandConfig trace_demand(const std::string& path, double scale) {
  DemandConfig demand;
  demand.kind = DemandConfig::Kind::trace;
  demand.trace = std::make_shared<const RequestTrace>(read_azure_llm_trace(path));
  demand.scale = scale;
  return demand;
}

}  // namespace

TEST_CASE("an Azure LLM 2023 trace reads as times from its first request, with its period") {
  const std::string path = write_trace("three", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                                                "2023-11-16 18:15:46.5000000,374,44\n"
                                                "2023-11-16 18:15:47.2500000,396,109\n"
                                                "2023-11-16 18:15:48.5,879,55\n");
  const RequestTrace trace = read_azure_llm_trace(path);
  REQUIRE(trace.entries.size() == 3);
  CHECK(trace.entries[0].time_s == 0.0);
  CHECK(trace.entries[1].time_s == Approx(0.75));
  CHECK(trace.entries[2].time_s == Approx(2.0));
  CHECK(trace.entries[1].prompt_tokens == 396);
  CHECK(trace.entries[2].output_tokens == 55);
  // Span 2 s plus the mean gap (1 s): the next replay starts 3 s after the first request.
  CHECK(trace.period_s == Approx(3.0));
}

TEST_CASE("a bad trace row is an input error naming the file, line and column") {
  const std::string path = write_trace("bad", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                                              "2023-11-16 18:15:46,374,44\n"
                                              "2023-11-16 18:15:45,396,0\n");
  try {
    read_azure_llm_trace(path);
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()) == path + ":3: GeneratedTokens: must be at least 1 token (got 0)");
  }
}

TEST_CASE("a trace replayed at scale 2 runs twice as fast and repeats") {
  const std::string path = write_trace("replay", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                                                 "2023-11-16 00:00:00,10,1\n"
                                                 "2023-11-16 00:00:01,20,2\n"
                                                 "2023-11-16 00:00:02,30,3\n");
  const DemandConfig demand = trace_demand(path, 2.0);
  // Period 3 s in trace time = 1.5 s replayed: arrivals at 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5 before 4 s.
  const std::vector<Request> requests = generate_requests(demand, 4.0, 1, "test");
  REQUIRE(requests.size() == 8);
  CHECK(requests[3].arrival_s == Approx(1.5));
  CHECK(requests[3].prompt_tokens == 10);
  CHECK(requests[7].arrival_s == Approx(3.5));
  CHECK(requests[7].prompt_tokens == 20);
  // Mean rate: 2 arrivals per second on average (3 per 1.5 s).
  CHECK(mean_rate(demand, 0, 3.0) == Approx(2.0));
  CHECK(mean_rate(demand, 0.25, 0.75) == Approx(2.0));  // one arrival (0.5) in half a second
  CHECK(mean_prompt_tokens(demand) == Approx(20));
}

TEST_CASE("daily profiles average 1 over a day, and over a week with weekends") {
  for (DailyProfile profile : {DailyProfile::flat, DailyProfile::office, DailyProfile::consumer})
    for (bool weekly : {false, true}) {
      DemandConfig demand;
      demand.daily_profile = profile;
      demand.weekly = weekly;
      double sum = 0;
      for (int hour = 0; hour < 7 * 24; ++hour) sum += profile_factor(demand, hour * 3600.0 + 1800);
      CHECK(sum / (7 * 24) == Approx(1.0));
    }
  DemandConfig office;
  office.daily_profile = DailyProfile::office;
  office.weekly = true;
  // Day 0 is a Sunday (1 January 2023): its noon is quieter than Monday's (day 1).
  CHECK(profile_factor(office, 12 * 3600.0) < 0.5 * profile_factor(office, 86400 + 12 * 3600.0));
  CHECK(profile_factor(office, 3 * 3600.0) < profile_factor(office, 11 * 3600.0));
}

TEST_CASE("a profile demand grows by growth_per_year") {
  DemandConfig demand;
  demand.subscribers = 86400;  // x 1 request a day = 1 request/s at t = 0
  demand.requests_per_day = 1;
  demand.growth_per_year = 0.2;
  const double year = 365 * 86400.0;
  // Constant within each hour at the hour's start: the mean over year 2 is 1.2 times year 1's, which is
  // 0.2 / ln 1.2 = 1.09696 requests/s (to the hourly steps' 1e-5).
  CHECK(mean_rate(demand, 0, year) == Approx(0.2 / std::log(1.2)).epsilon(1e-4));
  CHECK(mean_rate(demand, year, 2 * year) / mean_rate(demand, 0, year) == Approx(1.2).epsilon(1e-9));
  CHECK(profile_factor(demand, 2 * year) == Approx(1.44).epsilon(1e-12));
}

TEST_CASE("a profile demand draws Poisson arrivals at its rate and lengths from its distributions") {
  DemandConfig demand;
  demand.subscribers = 86400;  // x 10 requests a day = 10 requests/s
  demand.requests_per_day = 10;
  demand.prompt_tokens = {1000, 0.0, 1, 100000};
  demand.output_tokens = {100, 0.5, 7, 1000};
  CHECK(mean_rate(demand, 0, 3600) == Approx(10.0));
  const std::vector<Request> requests = generate_requests(demand, 3600, 7, "test");
  CHECK(double(requests.size()) == Approx(36000).epsilon(0.02));
  for (const Request& r : requests) {
    CHECK(r.prompt_tokens == 1000);
    CHECK(r.output_tokens >= 7);
    CHECK(r.output_tokens <= 1000);
  }
  // Same seed, same requests.
  const std::vector<Request> again = generate_requests(demand, 3600, 7, "test");
  REQUIRE(again.size() == requests.size());
  CHECK(again.back().arrival_s == requests.back().arrival_s);
}

TEST_CASE("a pool's capacity per replica runs from one replica's to the pooled value in log n") {
  CapacityCurve curve;
  curve.max_rate_rps = 4.0;
  curve.pool_replicas = 16;
  curve.pool_max_rate_rps = 5.0;
  CHECK(curve.capacity_per_replica(1) == 4.0);
  CHECK(curve.capacity_per_replica(4) == Approx(4.5));  // log 4 / log 16 = 1/2
  CHECK(curve.capacity_per_replica(64) == 5.0);
  CHECK(curve.replicas_for(0) == 0);
  CHECK(curve.replicas_for(4.0) == 1);
  CHECK(curve.replicas_for(4.1) == 2);     // 2 x 4.25 = 8.5
  CHECK(curve.replicas_for(100.0) == 20);  // beyond 16 replicas: 100 / 5
}

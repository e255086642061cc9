// The dispatch policies (sim/scheduling/dispatch.hpp) on hand-made campus outlooks: which candidate each chooses.
#include <catch2/catch.hpp>

#include "sim/scheduling/dispatch.hpp"

using namespace fleetsim;

namespace {
CampusOutlook campus(int index, bool starts_now, double wait_s, double carbon, double price, double headroom_w) {
  return {index, starts_now, wait_s, carbon, price, headroom_w};
}
DispatchConfig single(const char* name, int measure) {
  DispatchConfig config;
  config.policy = name;
  std::fill(std::begin(config.weights), std::end(config.weights), 0.0);
  config.weights[measure] = 1;
  return config;
}
DispatchConfig mix(double wait, double carbon, double price, double headroom) {
  DispatchConfig config;
  config.policy = "weights";
  config.mix = true;
  config.weights[DispatchConfig::wait] = wait;
  config.weights[DispatchConfig::carbon] = carbon;
  config.weights[DispatchConfig::price] = price;
  config.weights[DispatchConfig::headroom] = headroom;
  return config;
}
// Paris (clean, dear, full), Warsaw (dirty, cheap, free), Oslo (cleanest, full, long wait).
const std::vector<CampusOutlook> kThree{campus(0, false, 1800, 66, 90, 2e6), campus(1, true, 0, 792, 60, 5e6),
                                        campus(2, false, 7200, 35, 40, 1e6)};
}  // namespace

TEST_CASE("dispatch: lowest-carbon prefers the campuses starting the job at once, then the cleanest") {
  const Dispatcher dispatcher(single("lowest-carbon", DispatchConfig::carbon));
  CHECK(dispatcher.choose(kThree) == 1u);  // only Warsaw starts it now
  std::vector<CampusOutlook> none_now = kThree;
  none_now[1].starts_now = false;
  CHECK(dispatcher.choose(none_now) == 2u);  // none starts it now: Oslo, 35 g/kWh
  std::vector<CampusOutlook> all_now = kThree;
  for (CampusOutlook& c : all_now) c.starts_now = true;
  CHECK(dispatcher.choose(all_now) == 2u);
}

TEST_CASE("dispatch: least-wait, lowest-price and most-headroom each rank by their measure") {
  std::vector<CampusOutlook> none_now = kThree;
  none_now[1].starts_now = false;
  none_now[1].wait_s = 3600;
  CHECK(Dispatcher(single("least-wait", DispatchConfig::wait)).choose(none_now) == 0u);       // 1800 s
  CHECK(Dispatcher(single("lowest-price", DispatchConfig::price)).choose(none_now) == 2u);    // 40 EUR/MWh
  CHECK(Dispatcher(single("most-headroom", DispatchConfig::headroom)).choose(none_now) == 1u);  // 5 MW
}

TEST_CASE("dispatch: ties go to the first candidate in campus order") {
  const std::vector<CampusOutlook> equal{campus(3, true, 0, 100, 50, 1e6), campus(5, true, 0, 100, 50, 1e6)};
  for (int m = 0; m < DispatchConfig::kMeasures; ++m) CHECK(Dispatcher(single("x", m)).choose(equal) == 0u);
  CHECK(Dispatcher(mix(1, 1, 1, 1)).choose(equal) == 0u);
}

TEST_CASE("dispatch: a weighted mix sums measures normalised over the candidates") {
  // Normalised (0 best, 1 worst): wait 1800/7200 = 0.25, 0, 1; carbon (66-35)/(792-35) = 0.04095, 1, 0.
  // carbon 0.7, wait 0.3: Paris 0.7 x 0.04095 + 0.3 x 0.25 = 0.10367; Warsaw 0.7; Oslo 0.3 -> Paris.
  CHECK(Dispatcher(mix(0.3, 0.7, 0, 0)).choose(kThree) == 0u);
  // wait 0.9, carbon 0.1: Paris 0.2291, Warsaw 0.1, Oslo 0.9 -> Warsaw (the mix ignores starts_now).
  CHECK(Dispatcher(mix(0.9, 0.1, 0, 0)).choose(kThree) == 1u);
  // headroom 1: Warsaw has the most (5 MW).
  CHECK(Dispatcher(mix(0, 0, 0, 1)).choose(kThree) == 1u);
}

TEST_CASE("dispatch: a queued job moves only to a campus where it starts at once") {
  const Dispatcher dispatcher(single("lowest-carbon", DispatchConfig::carbon));
  std::vector<CampusOutlook> none_now = kThree;
  none_now[1].starts_now = false;
  CHECK_FALSE(dispatcher.choose_move(none_now));
  CHECK(dispatcher.choose_move(kThree) == 1u);
  CHECK_FALSE(dispatcher.choose({}));
}

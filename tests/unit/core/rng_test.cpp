#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/rng.hpp"

using fleetsim::RandomStream;

TEST_CASE("a named stream is reproducible and independent of other names") {
  RandomStream a(42, "workload/0"), b(42, "workload/0"), c(42, "workload/1"), d(43, "workload/0");
  bool differs_by_name = false, differs_by_seed = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    CHECK(x == b.next_u64());
    differs_by_name |= x != c.next_u64();
    differs_by_seed |= x != d.next_u64();
  }
  CHECK(differs_by_name);
  CHECK(differs_by_seed);
}

TEST_CASE("distributions have the moments they promise") {
  RandomStream rng(7, "moments");
  const int n = 200000;
  double sum_u = 0, sum_e = 0, sum_n = 0, sum_n2 = 0, log_sum = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum_u += u;
    sum_e += rng.exponential(3.0);
    const double z = rng.standard_normal();
    sum_n += z;
    sum_n2 += z * z;
    log_sum += std::log(rng.lognormal(10.0, 0.5));
  }
  CHECK(sum_u / n == Approx(0.5).margin(0.005));
  CHECK(sum_e / n == Approx(3.0).epsilon(0.02));
  CHECK(sum_n / n == Approx(0.0).margin(0.01));
  CHECK(sum_n2 / n == Approx(1.0).epsilon(0.02));
  CHECK(log_sum / n == Approx(std::log(10.0)).epsilon(0.01));  // median of the lognormal
}

TEST_CASE("weighted choice follows the weights and never picks a zero weight") {
  RandomStream rng(1, "choice");
  std::vector<double> weights{0.7, 0.0, 0.25, 0.05};
  std::vector<int> counts(4, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[rng.weighted_index(weights)];
  CHECK(counts[1] == 0);
  CHECK(counts[0] / double(n) == Approx(0.7).margin(0.01));
  CHECK(counts[2] / double(n) == Approx(0.25).margin(0.01));
  CHECK(counts[3] / double(n) == Approx(0.05).margin(0.005));
}

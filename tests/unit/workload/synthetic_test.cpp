#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/workload/job_list.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

namespace {
const std::string kTwoCampuses = "[simulation]\nduration = \"1000d\"\nseed = 5\n" + testing::campus_toml("big", 30) +
                                  testing::campus_toml("small", 10) + R"(
[[job]]
name = "first"
campus = "small"
gpus = 8
submit = "0s"
duration = "1h"
[[workload]]
kind = "synthetic"
jobs = 20000
rate_per_h = 10.0
gpus = { values = [8, 160], weights = [0.8, 0.2] }
duration = { distribution = "exponential", mean = "2h" }
gpu_utilization = { min = 0.2, max = 0.6 }
)";

std::vector<Job> jobs_for(std::vector<std::string> overrides = {}) {
  static Scenario scenario;  // jobs keep no pointers into it
  scenario = load_scenario_text(kTwoCampuses, {"w.toml", std::move(overrides), {}});
  return build_job_list(scenario);
}
}  // namespace

TEST_CASE("jobs are in submission order with ids equal to their position") {
  auto jobs = jobs_for();
  REQUIRE(jobs.size() == 20001);
  CHECK(jobs[0].name == "first");
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    CHECK(jobs[i].id == i);
    if (i) CHECK(jobs[i - 1].submit_s <= jobs[i].submit_s);
  }
}

TEST_CASE("synthetic jobs follow the configured rate, sizes, durations and utilisation") {
  auto jobs = jobs_for();
  const double span_h = jobs.back().submit_s / 3600.0;
  CHECK(20000 / span_h == Approx(10.0).epsilon(0.03));
  double duration_sum = 0;
  int large = 0;
  for (std::size_t i = 1; i < jobs.size(); ++i) {
    duration_sum += jobs[i].duration_s;
    large += jobs[i].gpus == 160;
    CHECK(jobs[i].gpu_utilization >= 0.2);
    CHECK(jobs[i].gpu_utilization < 0.6);
    CHECK(jobs[i].duration_s == std::round(jobs[i].duration_s));
  }
  CHECK(duration_sum / 20000 == Approx(7200.0).epsilon(0.03));
  CHECK(large / 20000.0 == Approx(0.2).margin(0.01));
}

TEST_CASE("jobs go only to campuses they fit, in proportion to installed GPUs") {
  auto jobs = jobs_for();
  int small_jobs_on_big = 0, small_jobs = 0;
  for (std::size_t i = 1; i < jobs.size(); ++i) {
    if (jobs[i].gpus == 160) CHECK(jobs[i].campus == 0);  // 160 GPUs > the small campus's 80
    if (jobs[i].gpus == 8) {
      ++small_jobs;
      small_jobs_on_big += jobs[i].campus == 0;
    }
  }
  CHECK(small_jobs_on_big / double(small_jobs) == Approx(0.75).margin(0.015));  // 240 of 320 GPUs
}

TEST_CASE("the same seed gives the same jobs and a shorter horizon gives a prefix of them") {
  auto a = jobs_for();
  auto b = jobs_for({"simulation.duration=30d"});
  REQUIRE(b.size() < a.size());
  for (std::size_t i = 0; i < b.size(); ++i) {
    CHECK(a[i].submit_s == b[i].submit_s);
    CHECK(a[i].gpus == b[i].gpus);
    CHECK(a[i].duration_s == b[i].duration_s);
  }
  auto c = jobs_for({"simulation.seed=6"});
  CHECK(c[1].submit_s != a[1].submit_s);
}

namespace {
std::vector<Job> profiled_jobs(const std::string& profile_keys, int jobs, const std::string& horizon) {
  static Scenario scenario;
  scenario = load_scenario_text("[simulation]\nduration = \"" + horizon + "\"\nseed = 5\n" + testing::campus_toml("big", 30) +
                                    "[[workload]]\nkind = \"synthetic\"\njobs = " + std::to_string(jobs) +
                                    "\nrate_per_h = 10.0\ngpus = 8\nduration = \"1h\"\n" + profile_keys,
                                {"w.toml", {}, {}});
  return build_job_list(scenario);
}
}  // namespace

TEST_CASE("a synthetic workload's arrivals follow its daily and weekly profile") {
  // Office hours: hour 10 (1.9 x 24/23 of the mean) against hour 2 (0.2 x 24/23): 9.5 times as many arrivals;
  // Saturdays and Sundays 0.3 of a weekday. 20 weeks at a mean of 10 an hour: 33,600 arrivals.
  const auto jobs = profiled_jobs("daily_profile = \"office\"\nweekly = true\n", 40000, "140d");
  double at10 = 0, at2 = 0, weekend = 0, weekday = 0;
  for (const Job& job : jobs) {
    const long long day = static_cast<long long>(job.submit_s / 86400);
    const int hour = static_cast<int>(job.submit_s / 3600) % 24;
    at10 += hour == 10;
    at2 += hour == 2;
    ((day % 7 == 0 || day % 7 == 6) ? weekend : weekday) += 1;  // day 0: Sunday 1 January 2023
  }
  CHECK(double(jobs.size()) == Approx(33600).epsilon(0.02));
  CHECK(at10 / at2 == Approx(9.5).epsilon(0.1));
  CHECK((weekend / 2) / (weekday / 5) == Approx(0.3).epsilon(0.05));
}

TEST_CASE("a synthetic workload's rate grows by growth_per_year") {
  // 10 an hour growing 50% a year: the second year has 1.5 times the first's arrivals; the first has
  // 87,600 x 0.5 / ln 1.5 = 108,025.
  const auto jobs = profiled_jobs("growth_per_year = 0.5\n", 400000, "730d");
  const double year = 365 * 86400.0;
  double first = 0, second = 0;
  for (const Job& job : jobs) (job.submit_s < year ? first : second) += 1;
  CHECK(first == Approx(87600 * 0.5 / std::log(1.5)).epsilon(0.01));
  CHECK(second / first == Approx(1.5).epsilon(0.01));
}

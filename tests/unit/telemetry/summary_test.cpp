#include <catch2/catch.hpp>

#include <cmath>

#include "sim/telemetry/summary.hpp"

using namespace fleetsim;

namespace {
JobRecord job(JobState state, double submit_s, double start_s) {
  JobRecord record;
  record.state = state;
  record.submit_s = submit_s;
  record.start_s = start_s;
  return record;
}
}  // namespace

TEST_CASE("waits count started jobs and p95 is the nearest rank") {
  std::vector<JobRecord> jobs;
  for (int i = 1; i <= 20; ++i) jobs.push_back(job(JobState::completed, 0, i * 10.0));
  jobs.push_back(job(JobState::queued, 0, NAN));
  CampusTotals totals{100, 150, 1, 7200};
  totals.gpu_seconds_installed = 4 * 3600.0;  // 4 GPUs for an hour
  Summary summary = summarize(jobs, {totals}, 3600);
  CHECK(summary.jobs_submitted == 21);
  CHECK(summary.jobs_completed == 20);
  CHECK(summary.jobs_queued == 1);
  CHECK(summary.mean_wait_s == Approx(105.0));
  CHECK(summary.p95_wait_s == 190.0);  // rank ceil(0.95 * 20) = 19
  CHECK(summary.gpu_hours_busy == 2.0);
  CHECK(summary.gpu_utilization == 0.5);
  CHECK(summary.facility_energy_j == 150);
}

TEST_CASE("no started job gives NaN waits, not zero") {
  Summary summary = summarize({job(JobState::queued, 0, NAN)}, {}, 10);
  CHECK(std::isnan(summary.mean_wait_s));
  CHECK(std::isnan(summary.p95_wait_s));
}

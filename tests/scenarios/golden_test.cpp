// End-to-end runs of tests/scenarios/toy.toml on the real engine, against numbers computed by hand here.
// Each TEST_CASE runs in its own process (SimGrid allows one engine per process).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "tests/support/run_scenario.hpp"

using namespace fleetsim;

namespace {
using testing::run_scenario;

RunRecord run_toy(std::vector<std::string> overrides, const std::string& extra = "") {
  return run_scenario("toy.toml", std::move(overrides), extra);
}

constexpr double kRel = 1e-9;
}  // namespace

TEST_CASE("golden: two toy nodes, a two-node job then a one-node job that waits for it") {
  // Two nodes of 8 toy GPUs: node idle = 1000 W base + 8 x 100 W = 1800 W; campus idle = 3600 W.
  // train-a: 16 GPUs (both nodes), util 1.0, 0 h -> 2 h: adds 16 x (700 - 100) = 9600 W.
  // train-b: 8 GPUs, submitted 0.5 h, blocked until train-a ends at 2 h, runs 2 h -> 3 h at util 0.5:
  //   GPU power 100 + 600 x 0.5 = 400 W, adds 8 x 300 = 2400 W.
  const RunRecord run = run_toy({});
  REQUIRE(run.jobs.size() == 2);
  const JobRecord& a = run.jobs[0];
  const JobRecord& b = run.jobs[1];
  CHECK(a.name == "train-a");
  CHECK(a.start_s == 0.0);
  CHECK(a.end_s == 7200.0);
  CHECK(a.state == JobState::completed);
  CHECK(a.cluster == "a");
  CHECK(a.energy_j == Approx(16 * 700.0 * 7200).epsilon(kRel));  // 80.64 MJ
  CHECK(b.submit_s == 1800.0);
  CHECK(b.start_s == 7200.0);
  CHECK(b.end_s == 10800.0);
  CHECK(b.energy_j == Approx(8 * 400.0 * 3600).epsilon(kRel));  // 11.52 MJ

  // IT energy over 4 h: 3600 W x 4 h + 9600 W x 2 h + 2400 W x 1 h = 36 kWh = 129.6 MJ.
  const double it_energy_j = 3600.0 * 14400 + 9600.0 * 7200 + 2400.0 * 3600;
  CHECK(it_energy_j == 129.6e6);
  CHECK(run.summary.it_energy_j == Approx(it_energy_j).epsilon(kRel));
  CHECK(run.summary.facility_energy_j == Approx(1.5 * it_energy_j).epsilon(kRel));  // 194.4 MJ = 54 kWh
  CHECK(run.summary.carbon_kg == Approx(54 * 0.056).epsilon(kRel));                 // 3.024 kg at 56 g/kWh
  CHECK(run.summary.jobs_completed == 2);
  CHECK(run.summary.mean_wait_s == 2700.0);   // (0 + 5400) / 2
  CHECK(run.summary.p95_wait_s == 5400.0);    // nearest rank 2 of 2
  CHECK(run.summary.gpu_hours_busy == Approx(16 * 2 + 8 * 1).epsilon(kRel));  // 40 GPU-hours
  CHECK(run.summary.gpu_utilization == Approx(40.0 / (16 * 4)).epsilon(kRel));

  // Hourly telemetry: means 13200, 13200, 6000, 3600 W; GPUs busy 16, 16, 8, 0.
  REQUIRE(run.timeseries[0].size() == 4);
  const double power[] = {13200, 13200, 6000, 3600};
  const double busy[] = {16, 16, 8, 0};
  double carbon_kg = 0;
  for (int h = 0; h < 4; ++h) {
    const CampusSample& row = run.timeseries[0][h];
    CHECK(row.time_s == h * 3600.0);
    CHECK(row.it_power_w == Approx(power[h]).epsilon(kRel));
    CHECK(row.facility_power_w == Approx(1.5 * power[h]).epsilon(kRel));
    CHECK(row.gpus_busy == Approx(busy[h]).epsilon(kRel));
    carbon_kg += power[h] * 1.5 / 1000 * 0.056;  // kWh in the hour x kg/kWh
    CHECK(row.carbon_kg == Approx(carbon_kg).epsilon(kRel));
  }
}

TEST_CASE("golden: at the horizon unfinished jobs are running or queued, energy counted to the horizon") {
  // Horizon 2.5 h, plus train-c (16 GPUs, submitted 1 h) queued behind train-b.
  // At 2 h train-a ends, train-b starts on one node; train-c needs both nodes and stays queued.
  const RunRecord run = run_toy({"simulation.duration=150min", "job.train-b.duration=2h"},
                                "[[job]]\nname = \"train-c\"\ncampus = \"paris\"\ngpus = 16\nsubmit = \"1h\"\n"
                                "duration = \"1h\"\n");
  REQUIRE(run.jobs.size() == 3);
  CHECK(run.jobs[2].name == "train-c");
  CHECK(run.jobs[2].state == JobState::queued);
  CHECK(std::isnan(run.jobs[2].start_s));
  CHECK(run.jobs[2].energy_j == 0.0);
  CHECK(run.summary.jobs_queued == 1);
  CHECK(run.jobs[1].state == JobState::running);
  CHECK(run.jobs[1].start_s == 7200.0);
  CHECK(std::isnan(run.jobs[1].end_s));
  CHECK(run.jobs[1].energy_j == Approx(8 * 400.0 * 1800).epsilon(kRel));
  // IT: 3600 W x 2.5 h + 9600 W x 2 h + 2400 W x 0.5 h.
  CHECK(run.summary.it_energy_j == Approx(3600.0 * 9000 + 9600.0 * 7200 + 2400.0 * 1800).epsilon(kRel));
  CHECK(run.summary.jobs_running == 1);
  // Rows: [0,1h), [1h,2h), [2h,2.5h): the last is a half interval with mean 6000 W.
  REQUIRE(run.timeseries[0].size() == 3);
  CHECK(run.timeseries[0][2].time_s == 7200.0);
  CHECK(run.timeseries[0][2].it_power_w == Approx(6000.0).epsilon(kRel));
}

TEST_CASE("golden physics: cap slows the job, PUE follows ambient hourly, carbon is hourly, limits reported") {
  // GPU: curve 0 -> 100 W, 0.5 -> 500 W, 1 -> 700 W; capped at 400 W: a full-load job draws 400 W per GPU and
  // runs at throughput(400) / throughput(700) = 0.8, so its 1 h of work takes 4500 s.
  // Node: base 1000 W idle, 1800 W at full load -> a GPU at utilisation 1 adds 400 - 100 + 800 / 8 = 400 W.
  // IT: 1000 + 8 x 100 = 1800 W idle; 1800 + 8 x 400 = 5000 W while the job runs (0 - 4500 s).
  // PUE = 1 + 0.05 + 0.02 + 0.02 x max(0, T - 18): hour 0 at 10 C -> 1.07; hour 1 at 30 C -> 1.31.
  const RunRecord run = run_scenario("physics.toml", {});
  REQUIRE(run.jobs.size() == 1);
  const JobRecord& job = run.jobs[0];
  CHECK(job.end_s == Approx(4500.0).epsilon(kRel));
  CHECK(job.gpu_power_w == 400.0);
  CHECK(job.power_cap_w == 400.0);
  CHECK(job.energy_j == Approx(8 * 400.0 * 4500).epsilon(kRel));

  const double it_j = 5000.0 * 4500 + 1800.0 * 2700;
  const double hour0_facility_j = 5000.0 * 3600 * 1.07;
  const double hour1_facility_j = (5000.0 * 900 + 1800.0 * 2700) * 1.31;
  CHECK(run.summary.it_energy_j == Approx(it_j).epsilon(kRel));
  CHECK(run.summary.facility_energy_j == Approx(hour0_facility_j + hour1_facility_j).epsilon(kRel));
  // Carbon from the CSV: 100 g/kWh in hour 0, 300 g/kWh in hour 1.
  const double carbon_kg = hour0_facility_j / 3.6e6 * 0.1 + hour1_facility_j / 3.6e6 * 0.3;
  CHECK(run.summary.carbon_kg == Approx(carbon_kg).epsilon(kRel));
  CHECK(run.summary.energy_cost_eur == Approx((hour0_facility_j + hour1_facility_j) / 3.6e9 * 100).epsilon(kRel));

  REQUIRE(run.timeseries[0].size() == 2);
  const CampusSample& h0 = run.timeseries[0][0];
  const CampusSample& h1 = run.timeseries[0][1];
  CHECK(h0.it_power_w == Approx(5000.0).epsilon(kRel));
  CHECK(h0.pue == Approx(1.07).epsilon(kRel));
  CHECK(h0.ambient_c == Approx(10.0).epsilon(kRel));
  CHECK(h0.carbon_g_per_kwh == Approx(100.0).epsilon(kRel));
  CHECK(h1.it_power_w == Approx((5000.0 * 900 + 1800.0 * 2700) / 3600).epsilon(kRel));  // 2600 W
  CHECK(h1.pue == Approx(1.31).epsilon(kRel));
  CHECK(h1.ambient_c == Approx(30.0).epsilon(kRel));
  CHECK(h1.carbon_g_per_kwh == Approx(300.0).epsilon(kRel));
  CHECK(h1.price_eur_per_mwh == Approx(100.0).epsilon(kRel));
  CHECK(h1.cost_eur == Approx(run.summary.energy_cost_eur).epsilon(kRel));

  // Limits. Grid 10 kW: nameplate 5000 W x max PUE 1.31 = 6550 W (0.655); peak the same.
  // Cooling 6 kW of IT heat: nameplate 5000 W (0.833). Racks of one node, 4 kW: 5000 W (1.25): binding, and
  // exceeded when the job ran.
  REQUIRE(run.limits.size() == 3);
  CHECK(run.limits[0].limit == "grid");
  CHECK(run.limits[0].nameplate_ratio == Approx(0.655).epsilon(kRel));
  CHECK(run.limits[0].peak_ratio == Approx(0.655).epsilon(kRel));
  CHECK(run.limits[1].limit == "cooling");
  CHECK(run.limits[1].nameplate_ratio == Approx(5000.0 / 6000).epsilon(kRel));
  CHECK(run.limits[2].limit == "racks");
  CHECK(run.limits[2].nameplate_ratio == Approx(1.25).epsilon(kRel));
  CHECK(run.limits[2].peak_ratio == Approx(1.25).epsilon(kRel));
  CHECK(run.limits[2].binding);
  CHECK_FALSE(run.limits[0].binding);
  CHECK(run.summary.binding_limit == "site:racks");
  CHECK(run.summary.limits_exceeded == 1);
}

namespace {
// Start times (h) of jobs a, b, c, d of backfill.toml under `policy`.
std::vector<double> backfill_starts_h(const std::string& policy) {
  const RunRecord run = run_scenario("backfill.toml", {"scheduler.policy=" + policy});
  std::vector<double> starts;
  for (const JobRecord& job : run.jobs) starts.push_back(job.start_s / 3600);
  return starts;
}
}  // namespace

TEST_CASE("golden scheduling: strict FIFO holds the short job behind the blocked head") {
  // a runs 0-2 h; b (8 GPUs) waits for a, runs 2-3 h; c and d wait behind b and start at 3 h.
  CHECK(backfill_starts_h("fifo") == std::vector<double>{0.0, 2.0, 3.0, 3.0});
}

TEST_CASE("golden scheduling: EASY backfill starts the short job early without delaying the head") {
  // b's reservation (shadow time) is 2 h, when a ends. c (4 GPUs, 1 h) fits beside a at 20 min and ends at
  // 1 h 20 < 2 h: backfilled. d (3 h) would end after 2 h and b needs every GPU then: it waits for b.
  CHECK(backfill_starts_h("easy-backfill") == std::vector<double>{0.0, 2.0, 1.0 / 3.0, 3.0});
}

TEST_CASE("golden scheduling: conservative backfill gives the same starts, every job keeping its reservation") {
  CHECK(backfill_starts_h("conservative-backfill") == std::vector<double>{0.0, 2.0, 1.0 / 3.0, 3.0});
}

TEST_CASE("golden sharing: fractional pods share one GPU") {
  // With sharing: a (0.5) opens the GPU at 0, b (0.5) joins it at 60 s; c (0.6) fits in neither half and
  // waits until the GPU is empty again when b ends at 3660 s.
  const RunRecord shared = run_scenario("fractional.toml", {});
  REQUIRE(shared.jobs.size() == 3);
  CHECK(shared.jobs[0].start_s == 0.0);
  CHECK(shared.jobs[1].start_s == 60.0);
  CHECK(shared.jobs[2].start_s == 3660.0);
  // Each half-GPU job at utilisation 1 adds half of (700 - 100) W = 300 W and is billed half a GPU's energy.
  CHECK(shared.jobs[0].energy_j == Approx(0.5 * 700.0 * 3600).epsilon(kRel));
  // IT: node idle 200 + 100 W; + 300 W (a, 0-3600) + 300 W (b, 60-3660) + 0.6 x 600 W (c, 3660-5460).
  const double it_j = 300.0 * 10800 + 300.0 * 3600 + 300.0 * 3600 + 360.0 * 1800;
  CHECK(shared.summary.it_energy_j == Approx(it_j).epsilon(kRel));
  // The one GPU is allocated 0 - 5460 s.
  CHECK(shared.summary.gpu_hours_busy == Approx(5460.0 / 3600).epsilon(kRel));
}

TEST_CASE("golden sharing: without sharing every fractional pod takes the whole GPU in turn") {
  // 0, 3600, 7200 s.
  const RunRecord whole = run_scenario("fractional.toml", {"scheduler.gpu_sharing=false"});
  CHECK(whole.jobs[1].start_s == 3600.0);
  CHECK(whole.jobs[2].start_s == 7200.0);
}

TEST_CASE("golden preemption: the high-priority job preempts, the low one resumes from its checkpoint") {
  // low (8 GPUs, 4 h) runs from 0. high (8 GPUs, 1 h, priority 10) arrives at 1 h and preempts it: low has
  // done 60 min, its last checkpoint (every 40 min) kept 40 min, 20 min x 8 GPUs are lost. high runs 1-2 h;
  // low resumes at 2 h with 3 h 20 min left and ends at 5 h 20 min.
  const RunRecord run = run_scenario("preemption.toml", {});
  REQUIRE(run.jobs.size() == 2);
  const JobRecord& low = run.jobs[0];
  const JobRecord& high = run.jobs[1];
  CHECK(high.start_s == 3600.0);
  CHECK(high.end_s == 7200.0);
  CHECK(low.start_s == 0.0);
  CHECK(low.end_s == Approx(19200.0).epsilon(kRel));
  CHECK(low.preemptions == 1);
  CHECK(low.work_lost_gpu_s == Approx(20 * 60.0 * 8).epsilon(kRel));
  CHECK(run.summary.preemptions == 1);
  // Energy of low's two runs: 8 GPUs x 700 W x (1 h + 3 h 20 min).
  CHECK(low.energy_j == Approx(8 * 700.0 * (3600 + 12000)).epsilon(kRel));
}

TEST_CASE("golden preemption: under FIFO the high-priority job simply waits") {
  const RunRecord run = run_scenario("preemption.toml", {"scheduler.policy=fifo"});
  CHECK(run.jobs[1].start_s == 4 * 3600.0);
  CHECK(run.jobs[0].preemptions == 0);
}

TEST_CASE("golden GPU models: a pod naming a GPU model runs only on clusters with that GPU") {
  // Cluster a (gpu-a) comes first and has room for everyone: pods without a model, with "A|B" and with the
  // unmapped "Z" go there; the pod asking for "B" goes to cluster b.
  const RunRecord run = run_scenario("gpu_models.toml", {});
  REQUIRE(run.jobs.size() == 4);
  CHECK(run.jobs[0].cluster == "a");
  CHECK(run.jobs[1].cluster == "b");
  CHECK(run.jobs[2].cluster == "a");
  CHECK(run.jobs[3].cluster == "a");
  CHECK(run.jobs[1].gpu_power_w == 300.0);  // gpu-b at utilisation 1
}

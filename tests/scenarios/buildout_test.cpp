// End-to-end runs of a dated build-out (issue 16): calendar months in /periods, a grid-connection schedule that the
// power control follows, and a non-GPU load with a daily profile, against numbers computed by hand here. Toy node:
// 8 GPUs, idle 1000 W + 8 x 100 W = 1800 W, a GPU at full load adds 600 W (full node 6600 W).
#include <catch2/catch.hpp>

#include "sim/engine/fleet_simulation.hpp"
#include "sim/power/nameplate.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/telemetry/campus_description.hpp"
#include "sim/telemetry/memory_recorder.hpp"
#include "sim/workload/job_list.hpp"
#include "tests/support/toy_fleet.hpp"

using namespace fleetsim;

namespace {
constexpr double kRel = 1e-12;
constexpr double kDay = 86400;

// 15 January to 1 March 2027 (17 days of January, 28 of February); the connection is 10 kW, then 50 kW from the
// 20th; a 10 kW colocation load runs from 1 February at half its power from 00:00 to 12:00 UTC.
std::string scenario_text(const std::string& extra) {
  std::string half_day;
  for (int h = 0; h < 24; ++h) half_day += std::string(h ? ", " : "") + (h < 12 ? "0.5" : "1.0");
  return R"([simulation]
name = "buildout"
start = "2027-01-15"
end = "2027-03-01"
telemetry_interval = "1d"
)" + testing::kToyHardwareToml + R"(
[[campus]]
name = "paris"
grid_connection_mw = { "2027-01-15" = 0.01, "2027-01-20" = 0.05 }
pue = 1.5
carbon_intensity_g_per_kwh = 50.0
price_eur_per_mwh = 100.0

[[campus.cluster]]
name = "a"
node = "toy-node"
nodes = 2

[[campus.load]]
name = "colo"
mw = 0.01
start = "2027-02-01"
daily_profile = [)" + half_day + R"(]

[scheduler]
policy = "fifo"
)" + extra;
}

RunRecord run_text(const std::string& text) {
  Scenario scenario = load_scenario_text(text, {"buildout.toml", {}, {}});
  Fleet fleet = build_fleet(scenario);
  auto jobs = build_job_list(scenario);
  auto policy = make_scheduler(scenario.scheduler);
  MemoryRecorder recorder;
  recorder.begin({"", "", 1, "", "", "", scenario.simulation.duration_s, scenario.simulation.telemetry_interval_s,
                  jobs.size(), {}},
                 describe_campuses(scenario, fleet));
  run_simulation(scenario, fleet, jobs, *policy, recorder, {});
  return recorder.record();
}
}  // namespace

TEST_CASE("a dated run reports calendar months, the budget follows the connection schedule, a non-GPU load counts") {
  // The 16-GPU job (submitted 16 January, 20 days of work) needs 1.5 x (3600 + 16 x 600) W = 19.8 kW: above the
  // 10 kW connection, so admission holds it until the connection rises on 20 January (day 5); it ends 9 February.
  const RunRecord run = run_text(scenario_text(R"(
[power]
policy = "admission"

[[job]]
name = "big"
campus = "paris"
gpus = 16
submit = "2027-01-16"
duration = "20d"
)"));
  REQUIRE(run.jobs.size() == 1);
  CHECK(run.jobs[0].start_s == 5 * kDay);
  CHECK(run.jobs[0].end_s == 25 * kDay);
  REQUIRE(run.periods.size() == 2);
  const PeriodTotals& january = run.periods[0];
  const PeriodTotals& february = run.periods[1];
  CHECK((january.year == 2027 && january.month == 1 && january.start_s == 0 && january.end_s == 17 * kDay));
  CHECK((february.year == 2027 && february.month == 2 && february.end_s == 45 * kDay));
  // IT energy: two idle nodes (3600 W) all month; the job's 9600 W from day 5 to day 25; the load in February:
  // 10 kW x (12 h x 0.5 + 12 h x 1) a day.
  const double january_it_j = 3600 * 17 * kDay + 9600 * 12 * kDay;
  const double february_it_j = 3600 * 28 * kDay + 9600 * 8 * kDay + 10e3 * 18 * 3600 * 28;
  CHECK(january.it_energy_j == Approx(january_it_j).epsilon(kRel));
  CHECK(february.it_energy_j == Approx(february_it_j).epsilon(kRel));
  CHECK(february.facility_energy_j == Approx(1.5 * february_it_j).epsilon(kRel));
  CHECK(february.energy_cost_eur == Approx(1.5 * february_it_j / 3.6e9 * 100).epsilon(kRel));
  CHECK(february.carbon_kg == Approx(1.5 * february_it_j / 3.6e6 * 0.050).epsilon(kRel));
  // GPU figures leave the load out: 16 GPUs busy 12 days of January, 8 of February.
  CHECK(january.gpu_s_busy == Approx(16 * 12 * kDay).epsilon(kRel));
  CHECK(february.gpu_s_busy == Approx(16 * 8 * kDay).epsilon(kRel));
  CHECK(january.gpu_s_installed == Approx(16 * 17 * kDay).epsilon(kRel));
  CHECK((january.jobs_completed == 0 && february.jobs_completed == 1));
  // Installed nameplate (2 x 6600 W, plus the 10 kW load in February) and the connection at each month's end.
  CHECK(january.installed_it_w == Approx(13200.0).epsilon(kRel));
  CHECK(february.installed_it_w == Approx(23200.0).epsilon(kRel));
  CHECK(january.grid_connection_w == Approx(50e3).epsilon(kRel));
  // The months add up to the run's totals.
  CHECK(january.it_energy_j + february.it_energy_j == Approx(run.summary.it_energy_j).epsilon(1e-9));
}

TEST_CASE("the build-out steps never install more than the connection of the time") {
  const Scenario scenario = load_scenario_text(scenario_text(""), {"buildout.toml", {}, {}});
  const auto steps = buildout_steps(scenario, scenario.campuses[0]);
  // 0 (15 January: 13.2 kW IT, 19.8 kW at PUE 1.5, 10 kW connection), 5 days (50 kW), 17 days (+ the load).
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].facility_w == Approx(19800.0).epsilon(kRel));
  CHECK(steps[0].grid_connection_w == Approx(10e3).epsilon(kRel));
  CHECK(steps[1].time_s == 5 * kDay);
  CHECK(steps[2].time_s == 17 * kDay);
  CHECK(steps[2].it_w == Approx(23200.0).epsilon(kRel));
  CHECK(steps[2].grid_connection_w == Approx(50e3).epsilon(kRel));
}

TEST_CASE("the seed build-out scenarios never install more than their grid connection of the time") {
  // scenarios/seed/campus-ia-2027-2031.toml: 240 MW end 2027, 700 MW end 2029, 1,400 MW mid-2031; its GB200 and
  // GB300 tranches and non-GPU loads at full load and the year's highest PUE must fit under each step.
  const Scenario scenario = load_scenario({FLEETSIM_SOURCE_DIR "/scenarios/seed/campus-ia-2027-2031.toml", {}, {}});
  const auto steps = buildout_steps(scenario, scenario.campuses[0]);
  REQUIRE(steps.size() >= 6);
  double most_w = 0;
  for (const BuildoutStep& step : steps) {
    INFO("at " << step.time_s / kDay << " d: " << step.facility_w / 1e6 << " MW installed, connection "
               << step.grid_connection_w / 1e6 << " MW");
    if (step.it_w > 0) CHECK(step.facility_w <= step.grid_connection_w);
    most_w = std::max(most_w, step.facility_w);
  }
  CHECK(most_w > 0.9 * 1400e6);  // the campus is built out, not left empty
  // scenarios/seed/europe-2030.toml: every campus's tranches under its schedule.
  const Scenario europe = load_scenario({FLEETSIM_SOURCE_DIR "/scenarios/seed/europe-2030.toml", {}, {}});
  for (const CampusConfig& campus : europe.campuses)
    for (const BuildoutStep& step : buildout_steps(europe, campus)) {
      INFO(campus.name << " at " << step.time_s / kDay << " d");
      if (step.it_w > 0) CHECK(step.facility_w <= step.grid_connection_w);
    }
}

// compute_economics against figures worked out by hand: ten toy nodes (full load 1,000 + 8 x 700 = 6,600 W each:
// 0.066 MW) bought for 300,000 each at t = 0, a 3-year node life, a 10-year facility at 1 MEUR per MW, 0.1 MEUR per
// MW-year of other opex, a 10% discount rate; two 365-day years given as months by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/economics/economics.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/toy_fleet.hpp"

using namespace fleetsim;

namespace {
constexpr double kDay = 86400, kYear = 365.25 * kDay;

const std::string kScenario = R"([simulation]
start = "2027-01-01"
duration = "730d"

[economics]
usd_per_eur = 1.0
discount_rate = 0.1
node_life_years = 3
facility_life_years = 10
facility_capex_per_mw = 1e6
opex_per_mw_year = 1e5
)" + testing::kToyHardwareToml + R"(capex_usd = 300000.0

[[campus]]
name = "paris"
grid_connection_mw = 1.0
pue = 1.0
carbon_intensity_g_per_kwh = 0.0

[[campus.cluster]]
name = "a"
node = "toy-node"
nodes = 10

[scheduler]
policy = "fifo"
)";

PeriodTotals year_row(int year, double start_s, double energy_eur, double gpu_hours) {
  PeriodTotals row;
  row.year = year;
  row.month = 12;
  row.start_s = start_s;
  row.end_s = start_s + 365 * kDay;
  row.energy_cost_eur = energy_eur;
  row.gpu_s_busy = gpu_hours * 3600;
  row.installed_it_w = 66000;
  return row;
}
}  // namespace

TEST_CASE("economics by hand: capex, depreciation, opex, cost per GPU-hour, token and training run, NPC") {
  const Scenario scenario = load_scenario_text(kScenario, {"toy.toml", {}, {}});
  std::vector<PeriodTotals> months = {year_row(2027, 0, 1000, 1000), year_row(2028, 365 * kDay, 2000, 2000)};
  months[0].training_runs_completed = 2;
  months[0].training_gpu_s_completed = 100 * 3600.0;
  months[1].tokens_served = 1e9;
  months[1].gpu_s_services = 500 * 3600.0;  // a quarter of 2028's GPU-hours
  const Economics economics = compute_economics(scenario, months);
  REQUIRE(economics.years.size() == 2);
  const EconomicsYear& first = economics.years[0];
  const EconomicsYear& second = economics.years[1];
  CHECK(first.capex_node_eur == 3e6);
  CHECK(first.capex_facility_eur == Approx(66000.0));
  CHECK(second.capex_node_eur == 0);
  const double node_depreciation = 3e6 / (3 * kYear) * 365 * kDay;
  const double facility_depreciation = 66000 / (10 * kYear) * 365 * kDay;
  const double opex = 0.066 * 1e5 * 365 * kDay / kYear;
  CHECK(first.depreciation_eur == Approx(node_depreciation + facility_depreciation).epsilon(1e-12));
  CHECK(first.other_opex_eur == Approx(opex).epsilon(1e-12));
  const double first_tco = node_depreciation + facility_depreciation + 1000 + opex;
  CHECK(first.tco_eur == Approx(first_tco).epsilon(1e-12));
  CHECK(first.eur_per_gpu_hour == Approx(first_tco / 1000).epsilon(1e-12));
  CHECK(first.eur_per_training_run == Approx(first_tco / 1000 * 100 / 2).epsilon(1e-12));
  CHECK(std::isnan(first.eur_per_million_tokens));
  const double second_tco = node_depreciation + facility_depreciation + 2000 + opex;
  CHECK(second.eur_per_million_tokens == Approx(second_tco * 0.25 / 1e9 * 1e6).epsilon(1e-12));
  CHECK(std::isnan(second.eur_per_training_run));
  CHECK(economics.total.tco_eur == Approx(first_tco + second_tco).epsilon(1e-12));
  CHECK(economics.total.eur_per_gpu_hour == Approx((first_tco + second_tco) / 3000).epsilon(1e-12));
  // Capex at t = 0; each year's energy and opex at its middle.
  const double npc = 3066000 + (1000 + opex) * std::pow(1.1, -182.5 * kDay / kYear) +
                     (2000 + opex) * std::pow(1.1, -547.5 * kDay / kYear);
  CHECK(economics.npc_eur == Approx(npc).epsilon(1e-12));
}

TEST_CASE("economics: a cluster decommissioned early writes off its book value, and replacements reuse the facility") {
  std::string text = kScenario;
  text.replace(text.find("nodes = 10\n"), 11,
               "nodes = 10\ndecommission = \"2028-01-01\"\n\n[[campus.cluster]]\nname = \"b\"\nnode = \"toy-node\"\n"
               "nodes = 10\ncommission = \"2028-01-01\"\n");
  const Scenario scenario = load_scenario_text(text, {"toy.toml", {}, {}});
  const Economics economics =
      compute_economics(scenario, {year_row(2027, 0, 0, 1000), year_row(2028, 365 * kDay, 0, 1000)});
  // Cluster a, retired after 365 days of 3 x 365.25: 2028 charges b's year and what was left of a.
  const double a_first_year = 3e6 * 365 * kDay / (3 * kYear);
  CHECK(economics.years[1].capex_node_eur == 3e6);
  CHECK(economics.years[1].capex_facility_eur == 0);  // b takes a's megawatts
  const double facility = 66000 / (10 * kYear) * 365 * kDay;
  CHECK(economics.years[1].depreciation_eur == Approx((3e6 - a_first_year) + a_first_year + facility).epsilon(1e-12));
}

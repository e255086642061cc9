// Months summed per calendar year: sums of the flows, the fleet's installed power and connection at the year's
// last month (values by hand).
#include <catch2/catch.hpp>

#include "sim/economics/period_totals.hpp"

using namespace fleetsim;

namespace {
PeriodTotals month(int campus, int year, int number, double energy_j, double installed_w, double connection_w) {
  PeriodTotals row;
  row.campus = campus;
  row.year = year;
  row.month = number;
  row.start_s = (year - 2027) * 12 + number;  // any increasing times
  row.end_s = row.start_s + 1;
  row.it_energy_j = energy_j;
  row.gpu_s_busy = energy_j / 2;
  row.gpu_s_installed = energy_j;
  row.installed_it_w = installed_w;
  row.grid_connection_w = connection_w;
  row.jobs_completed = 1;
  return row;
}
}  // namespace

TEST_CASE("months are summed per calendar year over the campuses") {
  // Two campuses: a over Dec 2027 - Jan 2028, b over Dec 2027 only (its rows come after a's, as in /periods).
  const std::vector<PeriodTotals> months = {month(0, 2027, 12, 10, 100, 1000), month(0, 2028, 1, 20, 150, 1000),
                                            month(1, 2027, 12, 5, 40, 500)};
  const auto years = yearly_totals(months);
  REQUIRE(years.size() == 2);
  CHECK((years[0].year == 2027 && years[0].campus == -1));
  CHECK(years[0].it_energy_j == 15);
  CHECK(years[0].gpu_s_busy == 7.5);
  CHECK(years[0].jobs_completed == 2);
  CHECK(years[0].installed_it_w == 140);   // both campuses at December's end
  CHECK(years[0].grid_connection_w == 1500);
  CHECK(years[1].it_energy_j == 20);
  CHECK(years[1].installed_it_w == 150);   // January 2028: campus a only
  CHECK(years[1].start_s == months[1].start_s);
}

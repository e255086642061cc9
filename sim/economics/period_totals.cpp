#include "sim/economics/period_totals.hpp"

#include <algorithm>
#include <map>

namespace fleetsim {

std::vector<PeriodTotals> yearly_totals(const std::vector<PeriodTotals>& months) {
  std::map<int, PeriodTotals> years;
  std::map<std::pair<int, int>, double> installed_w, connection_w;  // (year, month) -> the fleet's
  for (const PeriodTotals& month : months) {
    const auto [at, first] = years.try_emplace(month.year);
    PeriodTotals& year = at->second;
    if (first) {
      year.campus = -1;
      year.year = month.year;
      year.month = 12;
      year.start_s = month.start_s;
    }
    year.start_s = std::min(year.start_s, month.start_s);
    year.end_s = std::max(year.end_s, month.end_s);
    year.it_energy_j += month.it_energy_j;
    year.facility_energy_j += month.facility_energy_j;
    year.carbon_kg += month.carbon_kg;
    year.energy_cost_eur += month.energy_cost_eur;
    year.gpu_s_busy += month.gpu_s_busy;
    year.gpu_s_installed += month.gpu_s_installed;
    year.jobs_completed += month.jobs_completed;
    year.training_runs_completed += month.training_runs_completed;
    year.tokens_served += month.tokens_served;
    year.gpu_s_services += month.gpu_s_services;
    year.training_gpu_s_completed += month.training_gpu_s_completed;
    installed_w[{month.year, month.month}] += month.installed_it_w;
    connection_w[{month.year, month.month}] += month.grid_connection_w;
  }
  std::vector<PeriodTotals> result;
  for (auto& [number, year] : years) {
    const auto last = std::prev(installed_w.lower_bound({number + 1, 0}));
    year.installed_it_w = last->second;
    year.grid_connection_w = connection_w[last->first];
    result.push_back(year);
  }
  return result;
}

}  // namespace fleetsim

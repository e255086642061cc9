#include "sim/economics/economics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/power/nameplate.hpp"

namespace fleetsim {
namespace {

constexpr double kYearS = 365.25 * 86400;
const double kNan = std::numeric_limits<double>::quiet_NaN();

// A capital expense: `amount` at `time_s`, depreciated straight-line over `life_s` until `retired_s`, when what is
// left of its book value is written off.
struct Asset {
  double amount = 0, time_s = 0, life_s = 0, retired_s = 0;
  bool facility = false;
  // Depreciation charged in [from_s, to_s).
  double depreciation(double from_s, double to_s) const {
    const double end_s = std::min(time_s + life_s, retired_s);
    double charged = amount / life_s * std::max(0.0, std::min(to_s, end_s) - std::max(from_s, time_s));
    if (retired_s < time_s + life_s && retired_s >= from_s && retired_s < to_s)
      charged += amount * (1 - (retired_s - time_s) / life_s);
    return charged;
  }
};

std::vector<Asset> assets_of(const Scenario& scenario) {
  const EconomicsConfig& economics = scenario.economics;
  const double horizon_s = scenario.simulation.duration_s;
  std::vector<Asset> assets;
  for (const CampusConfig& campus : scenario.campuses) {
    for (const ClusterConfig& cluster : campus.clusters) {
      if (cluster.commission_s >= horizon_s) continue;
      const hw::NodeSpec& node = *scenario.hardware.find_node(cluster.node);
      assets.push_back({cluster.nodes * economics.node_capex_eur(node), cluster.commission_s,
                        economics.node_life_years * kYearS, std::min(cluster.decommission_s, horizon_s), false});
    }
    // The facility is built for the most IT ever installed: a generation replacing another reuses its megawatts.
    double built_w = 0;
    for (const BuildoutStep& step : buildout_steps(scenario, campus)) {
      if (step.time_s >= horizon_s || step.it_w <= built_w) continue;
      assets.push_back({(step.it_w - built_w) / 1e6 * economics.facility_capex_eur_per_mw, step.time_s,
                        economics.facility_life_years * kYearS, horizon_s, true});
      built_w = step.it_w;
    }
  }
  return assets;
}

// The per-unit figures of a year (or the total) from its sums.
void finish_ratios(EconomicsYear& year, double gpu_s_busy, double gpu_s_services, double training_gpu_s) {
  year.tco_eur = year.depreciation_eur + year.energy_cost_eur + year.other_opex_eur;
  year.gpu_hours_delivered = gpu_s_busy / 3600;
  year.eur_per_gpu_hour = gpu_s_busy > 0 ? year.tco_eur / year.gpu_hours_delivered : kNan;
  year.eur_per_million_tokens =
      year.tokens_served > 0 && gpu_s_busy > 0 ? year.tco_eur * gpu_s_services / gpu_s_busy / year.tokens_served * 1e6 : kNan;
  year.eur_per_training_run =
      year.training_runs > 0 ? year.eur_per_gpu_hour * training_gpu_s / 3600 / double(year.training_runs) : kNan;
}

}  // namespace

Economics compute_economics(const Scenario& scenario, const std::vector<PeriodTotals>& months) {
  const EconomicsConfig& config = scenario.economics;
  const std::vector<Asset> assets = assets_of(scenario);
  const double discount = 1 + config.discount_rate;
  Economics economics;
  economics.config = config;
  const std::vector<PeriodTotals> years = yearly_totals(months);
  for (const PeriodTotals& sums : years) {
    EconomicsYear year;
    year.year = sums.year;
    const bool first = economics.years.empty();
    for (const Asset& asset : assets) {
      if ((asset.time_s >= sums.start_s || first) && asset.time_s < sums.end_s)
        (asset.facility ? year.capex_facility_eur : year.capex_node_eur) += asset.amount;
      year.depreciation_eur += asset.depreciation(sums.start_s, sums.end_s);
    }
    year.energy_cost_eur = sums.energy_cost_eur;
    year.tokens_served = sums.tokens_served;
    year.training_runs = sums.training_runs_completed;
    economics.years.push_back(year);
  }
  // Other opex month by month (the installed IT at the month's end over the month), and the cash flows discounted.
  for (const Asset& asset : assets) economics.npc_eur += asset.amount * std::pow(discount, -asset.time_s / kYearS);
  for (const PeriodTotals& month : months) {
    const double opex = month.installed_it_w / 1e6 * config.opex_eur_per_mw_year * (month.end_s - month.start_s) / kYearS;
    for (EconomicsYear& year : economics.years)
      if (year.year == month.year) year.other_opex_eur += opex;
    economics.npc_eur += (opex + month.energy_cost_eur) * std::pow(discount, -(month.start_s + month.end_s) / 2 / kYearS);
  }
  EconomicsYear& total = economics.total;
  double busy_s = 0, services_s = 0, training_s = 0;
  for (std::size_t y = 0; y < years.size(); ++y) {
    EconomicsYear& year = economics.years[y];
    finish_ratios(year, years[y].gpu_s_busy, years[y].gpu_s_services, years[y].training_gpu_s_completed);
    busy_s += years[y].gpu_s_busy;
    services_s += years[y].gpu_s_services;
    training_s += years[y].training_gpu_s_completed;
    total.capex_node_eur += year.capex_node_eur;
    total.capex_facility_eur += year.capex_facility_eur;
    total.depreciation_eur += year.depreciation_eur;
    total.energy_cost_eur += year.energy_cost_eur;
    total.other_opex_eur += year.other_opex_eur;
    total.tokens_served += year.tokens_served;
    total.training_runs += year.training_runs;
  }
  finish_ratios(total, busy_s, services_s, training_s);
  return economics;
}

}  // namespace fleetsim

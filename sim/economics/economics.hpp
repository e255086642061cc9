#pragma once
// What a fleet costs, year by year and over the run: capital spent (nodes at their catalog price when commissioned,
// the facility per MW of IT as it is built), straight-line depreciation, energy at the hourly price (from the run),
// other operating cost per MW-year installed; per GPU-hour delivered, per million tokens served, per training run;
// and the net present cost at the scenario's discount rate. A pure function of the scenario and the run's months.
#include <vector>

#include "sim/economics/period_totals.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

struct EconomicsYear {
  int year = 0;                  // calendar year; 0 for the run's total
  double capex_node_eur = 0;     // nodes bought (commissioned) in the year
  double capex_facility_eur = 0; // facility built in the year (installed IT beyond the most ever installed)
  double depreciation_eur = 0;   // straight line over the lives, and the book value left at a decommissioning
  double energy_cost_eur = 0;    // facility energy at the hourly price
  double other_opex_eur = 0;     // opex_per_mw_year x installed IT MW x time
  double tco_eur = 0;            // depreciation + energy + other opex
  double gpu_hours_delivered = 0;
  double eur_per_gpu_hour = 0;   // tco / GPU-hours delivered (NaN without any)
  double tokens_served = 0;
  double eur_per_million_tokens = 0;  // tco x the services' share of GPU-hours / tokens (NaN without tokens)
  long long training_runs = 0;        // training runs completed
  double eur_per_training_run = 0;    // eur_per_gpu_hour x their GPU-hours / their number (NaN without any)
};

struct Economics {
  std::vector<EconomicsYear> years;
  EconomicsYear total;  // year = 0
  double npc_eur = 0;   // capex at its time, energy and other opex at each month's middle, discounted to t = 0
  EconomicsConfig config;  // the inputs ([economics] and its defaults)
  double capex_eur() const { return total.capex_node_eur + total.capex_facility_eur; }
};

// `months`: the run's /periods (PeriodReport), every campus.
Economics compute_economics(const Scenario& scenario, const std::vector<PeriodTotals>& months);

}  // namespace fleetsim

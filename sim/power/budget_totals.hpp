#pragma once
// What holding power budgets did, up to the horizon: per campus (/campuses/<name>) and summed for the fleet
// (/summary). Filled by PowerControl (sim/power/power_control.hpp) and the PowerMeter (budget_exceeded_s).
#include <cstdint>

namespace fleetsim {

struct PowerBudgetTotals {
  double budget_exceeded_s = 0;    // seconds with facility power above the budget
  double time_capped_s = 0;        // seconds with the control's caps lowered
  double work_slowed_gpu_s = 0;    // GPU-seconds of work the caps cost: sum of gpus x (1 - rate / uncapped rate) x time
  std::uint64_t power_stops = 0;   // jobs stopped at once to hold the budget
  std::uint64_t power_pauses = 0;  // jobs paused at a periodic checkpoint ahead of an announced grid event
  double power_work_lost_gpu_s = 0;  // GPU-seconds of work the stops lost (done since the job's last checkpoint)
  double grid_event_s = 0;         // seconds under a budget lowered by a grid event (demand response, rule)
  double curtailed_j = 0;          // facility energy below the events' baselines
  double curtailed_cost_eur = 0;   // its cost at the hour's price
  double curtailed_carbon_kg = 0;  // its carbon at the hour's intensity

  PowerBudgetTotals& operator+=(const PowerBudgetTotals& other) {
    budget_exceeded_s += other.budget_exceeded_s;
    time_capped_s += other.time_capped_s;
    work_slowed_gpu_s += other.work_slowed_gpu_s;
    power_stops += other.power_stops;
    power_pauses += other.power_pauses;
    power_work_lost_gpu_s += other.power_work_lost_gpu_s;
    grid_event_s += other.grid_event_s;
    curtailed_j += other.curtailed_j;
    curtailed_cost_eur += other.curtailed_cost_eur;
    curtailed_carbon_kg += other.curtailed_carbon_kg;
    return *this;
  }
};

}  // namespace fleetsim

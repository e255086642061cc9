#pragma once
// What one campus did in one calendar month of a run: the input of the economics (sim/economics/economics.hpp)
// and the rows of /periods (sim/telemetry/SCHEMA.md). Produced by the PeriodReport component (sim/telemetry);
// plain data, SI units.
#include <string>
#include <vector>

namespace fleetsim {

struct PeriodTotals {
  int campus = 0;          // index in Scenario::campuses
  int year = 0;            // calendar year of the month, e.g. 2027
  int month = 0;           // 1..12
  double start_s = 0;      // simulation time the (possibly partial) month begins and ends within the run
  double end_s = 0;
  double it_energy_j = 0;        // IT energy (GPU nodes, services and non-GPU loads)
  double facility_energy_j = 0;  // IT x PUE
  double carbon_kg = 0;
  double energy_cost_eur = 0;    // facility energy at the hourly price
  double gpu_s_busy = 0;         // GPU-seconds allocated to jobs and services (delivered)
  double gpu_s_installed = 0;    // GPU-seconds of installed (commissioned) GPUs
  double installed_it_w = 0;     // nameplate IT power installed at the month's end (GPU nodes + non-GPU loads)
  double grid_connection_w = 0;  // the campus's grid connection at the month's end (0 = none)
  long long jobs_completed = 0;       // jobs that ended in the month on this campus
  long long training_runs_completed = 0;  // of which training runs ([[job]] model or a training mix)
  double tokens_served = 0;      // inference tokens (input + output) served by the campus's services
  double gpu_s_services = 0;     // of gpu_s_busy, held by inference services
  double training_gpu_s_completed = 0;  // GPU-seconds the training runs that completed in the month ran (all runs)
};

// The months of every campus summed per calendar year, in year order (campus = -1; installed power and the grid
// connection: the fleet's at the year's last month end).
std::vector<PeriodTotals> yearly_totals(const std::vector<PeriodTotals>& months);

}  // namespace fleetsim

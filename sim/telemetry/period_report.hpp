#pragma once
// Reports per calendar month (`/periods`): a component that, at each month's end within the run and at the horizon,
// reads the power meter's exact integrals per campus (energy, carbon, cost, GPU-seconds busy and installed) and
// counts the jobs that ended; the rows are the differences. Months come from the run's Calendar
// (sim/core/calendar.hpp). Reading never advances an integral, so reports change no other result.
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "sim/economics/period_totals.hpp"
#include "sim/fleet/lifecycle.hpp"
#include "sim/power/power_meter.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

class PeriodReport {
 public:
  // `services(campus)`: what the campus's inference services served and held so far.
  PeriodReport(const Scenario& scenario, const Fleet& fleet, const PowerMeter& meter, Lifecycle& lifecycle,
               FleetControl& control, std::function<ServiceReading(int)> services);

  // Takes the readings at each month's end before the horizon (call before the run).
  void start();
  // The last (possibly partial) month's reading at the horizon; every campus's months, month by month.
  std::vector<PeriodTotals> finish(double horizon_s);

 private:
  struct Reading {
    double it_j = 0, facility_j = 0, carbon_kg = 0, cost_eur = 0, gpu_s_busy = 0, gpu_s_installed = 0, tokens = 0,
           service_gpu_s = 0, training_gpu_s = 0;
    long long jobs = 0, training_runs = 0;
  };
  Reading read(int campus, double time_s) const;
  void close_month(std::size_t month, double time_s);

  const Scenario& scenario_;
  const Fleet& fleet_;
  const PowerMeter& meter_;
  FleetControl& control_;
  std::function<ServiceReading(int)> services_;
  std::unordered_map<std::uint64_t, double> run_gpu_s_;      // training runs interrupted so far: GPU-seconds run
  std::vector<double> training_gpu_s_ended_;                 // per campus, of training runs completed so far
  std::vector<Calendar::Month> months_;
  std::vector<long long> jobs_ended_, training_runs_ended_;  // per campus, so far
  std::vector<Reading> last_;                                // per campus, at the last month's end
  std::vector<PeriodTotals> rows_;
};

}  // namespace fleetsim

#pragma once
// A campus's power as a piecewise-constant function of time, integrated exactly at every change: IT power
// (powered nodes: base + GPUs), facility power (IT × PUE), GPUs allocated, and the energy, carbon and cost they
// add up to. PUE, carbon intensity, price and ambient temperature are piecewise constant too (hourly).
namespace fleetsim {

// Hourly conditions of a campus, in SI units.
struct CampusFactors {
  double pue = 1;
  double carbon_kg_per_j = 0;
  double price_eur_per_j = 0;
  double ambient_c = 0;
};

// Means over one telemetry interval (energy-weighted for pue, carbon intensity and price).
struct CampusPowerSample {
  double it_power_w;
  double facility_power_w;
  double gpus_busy;
  double ambient_c;
  double pue;
  double carbon_g_per_kwh;
  double price_eur_per_mwh;
  double carbon_kg;  // cumulative at the interval's end
  double cost_eur;   // cumulative at the interval's end
};

class CampusPower {
 public:
  CampusPower(double idle_power_w, const CampusFactors& initial);

  // A job starts (positive) or ends (negative) at time_s: IT power above idle, GPUs allocated. Nodes powered on
  // or off change the IT power alone.
  void change(double time_s, double extra_power_w, int gpus_allocated);
  // New hourly conditions from time_s on.
  void set_factors(double time_s, const CampusFactors& factors);
  // The facility power budget from time_s on (the grid connection, lowered during grid events); <= 0: none.
  void set_budget(double time_s, double budget_w);
  // Means since the previous sample (or t = 0), cumulative carbon and cost at time_s.
  CampusPowerSample sample(double time_s);
  void advance_to(double time_s);

  // Facility energy, cost and carbon up to time_s (>= the last change), without advancing.
  double facility_energy_at(double time_s) const { return facility_j_ + it_w_ * factors_.pue * (time_s - time_s_); }
  double cost_at(double time_s) const {
    return cost_eur_ + it_w_ * factors_.pue * factors_.price_eur_per_j * (time_s - time_s_);
  }
  double carbon_at(double time_s) const {
    return carbon_kg_ + it_w_ * factors_.pue * factors_.carbon_kg_per_j * (time_s - time_s_);
  }
  double it_energy_at(double time_s) const { return it_j_ + it_w_ * (time_s - time_s_); }
  double gpu_seconds_busy_at(double time_s) const { return gpu_s_ + gpus_ * (time_s - time_s_); }
  double it_energy_j() const { return it_j_; }
  double facility_energy_j() const { return facility_j_; }
  double carbon_kg() const { return carbon_kg_; }
  double cost_eur() const { return cost_eur_; }
  double gpu_seconds_busy() const { return gpu_s_; }
  double it_power_w() const { return it_w_; }
  double peak_it_power_w() const { return peak_it_w_; }
  double peak_facility_power_w() const { return peak_facility_w_; }
  const CampusFactors& factors() const { return factors_; }
  double budget_w() const { return budget_w_; }
  // Seconds so far with facility power above the budget (beyond a relative 1e-9 for rounding).
  double budget_exceeded_s() const { return exceeded_s_; }
  bool over_budget() const { return budget_w_ > 0 && it_w_ * factors_.pue > budget_w_ * (1 + 1e-9); }

 private:
  struct Integrals {
    double it_j = 0, facility_j = 0, carbon_kg = 0, cost_eur = 0, ambient_c_s = 0, gpu_s = 0;
  };
  Integrals integrals() const { return {it_j_, facility_j_, carbon_kg_, cost_eur_, ambient_c_s_, gpu_s_}; }
  void note_peaks();

  CampusFactors factors_;
  double it_w_;
  double gpus_ = 0;
  double time_s_ = 0;
  double it_j_ = 0, facility_j_ = 0, carbon_kg_ = 0, cost_eur_ = 0, ambient_c_s_ = 0, gpu_s_ = 0;
  double peak_it_w_ = 0, peak_facility_w_ = 0;
  double budget_w_ = 0, exceeded_s_ = 0;
  double last_sample_s_ = 0;
  Integrals at_last_sample_;
};

}  // namespace fleetsim

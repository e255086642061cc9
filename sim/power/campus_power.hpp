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
  // Means since the previous sample (or t = 0), cumulative carbon and cost at time_s.
  CampusPowerSample sample(double time_s);
  void advance_to(double time_s);

  double it_energy_j() const { return it_j_; }
  double facility_energy_j() const { return facility_j_; }
  double carbon_kg() const { return carbon_kg_; }
  double cost_eur() const { return cost_eur_; }
  double gpu_seconds_busy() const { return gpu_s_; }
  double it_power_w() const { return it_w_; }
  const CampusFactors& factors() const { return factors_; }  // this hour's
  double peak_it_power_w() const { return peak_it_w_; }
  double peak_facility_power_w() const { return peak_facility_w_; }

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
  double last_sample_s_ = 0;
  Integrals at_last_sample_;
};

}  // namespace fleetsim

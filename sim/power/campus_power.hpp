#pragma once
// A campus's power as a piecewise-constant function of time, integrated exactly at every change: IT power
// (nodes' base + GPUs), facility power (IT × PUE), GPUs allocated, and the energy and carbon they add up to.
#include <cstdint>

namespace fleetsim {

// Integral of a piecewise-constant quantity.
class PiecewiseIntegral {
 public:
  explicit PiecewiseIntegral(double initial_value = 0) : value_(initial_value) {}
  void advance_to(double time_s) {
    integral_ += value_ * (time_s - time_s_);
    time_s_ = time_s;
  }
  void add(double time_s, double delta) {
    advance_to(time_s);
    value_ += delta;
  }
  double value() const { return value_; }
  double integral() const { return integral_; }

 private:
  double value_;
  double time_s_ = 0;
  double integral_ = 0;
};

struct CampusPowerSample {
  double it_power_w;        // mean over the interval
  double facility_power_w;  // mean over the interval
  double gpus_busy;         // mean over the interval
  double carbon_kg;         // cumulative at the interval's end
};

class CampusPower {
 public:
  CampusPower(double idle_power_w, double pue, double carbon_intensity_g_per_kwh);

  // A job starts (positive) or ends (negative) at time_s: extra GPU power above idle, GPUs allocated.
  void change(double time_s, double extra_power_w, int gpus_allocated);
  // Mean values since the previous sample (or t = 0), cumulative carbon at time_s.
  CampusPowerSample sample(double time_s);

  double it_energy_j() const { return it_.integral(); }
  double facility_energy_j() const { return it_.integral() * pue_; }
  double carbon_kg() const { return facility_energy_j() * carbon_kg_per_j_; }
  double gpu_seconds_busy() const { return gpus_.integral(); }
  double it_power_w() const { return it_.value(); }
  double pue() const { return pue_; }
  double carbon_kg_per_j() const { return carbon_kg_per_j_; }
  void advance_to(double time_s) {
    it_.advance_to(time_s);
    gpus_.advance_to(time_s);
  }

 private:
  double pue_;
  double carbon_kg_per_j_;
  PiecewiseIntegral it_;
  PiecewiseIntegral gpus_;
  double last_sample_s_ = 0;
  double it_energy_at_last_sample_j_ = 0;
  double gpu_seconds_at_last_sample_ = 0;
};

}  // namespace fleetsim

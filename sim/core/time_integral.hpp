#pragma once
// A piecewise-constant quantity and its exact integral over time, with means between samples.
namespace fleetsim {

class TimeIntegral {
 public:
  void advance_to(double time_s) {
    integral_ += value_ * (time_s - time_s_);
    time_s_ = time_s;
  }
  void set(double time_s, double value) {
    advance_to(time_s);
    value_ = value;
  }
  double value() const { return value_; }
  double integral() const { return integral_; }
  // Mean since the previous sample (or t = 0); the current value for an empty interval.
  double sample(double time_s) {
    advance_to(time_s);
    const double span_s = time_s - sampled_s_;
    const double mean = span_s > 0 ? (integral_ - sampled_integral_) / span_s : value_;
    sampled_s_ = time_s;
    sampled_integral_ = integral_;
    return mean;
  }

 private:
  double value_ = 0, integral_ = 0, time_s_ = 0;
  double sampled_s_ = 0, sampled_integral_ = 0;
};

}  // namespace fleetsim

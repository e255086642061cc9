#pragma once
// The work left of one running job and the rate it is done at: the one place that turns "remaining work /
// rate" into the time the job ends. Every change of rate (a cap lowered while it runs, a pause at rate 0, a
// resume) re-anchors the remaining work at that instant, so the end time is always exact for the rates seen.
//
// Work is in the job's own unit (today seconds at full speed; steps and tokens later), the rate in units per
// second. The work done is accumulated in double-double arithmetic (the error of every product and sum is
// carried, Dekker/Knuth TwoSum and an fma for the product), so a million rate changes leave the end time
// within an ulp or two of the exact value instead of drifting by the sum of a million roundings.
#include <cmath>
#include <limits>

namespace fleetsim {

class WorkProgress {
 public:
  // A run starts (or resumes) at `now_s` with `remaining` work, done at `rate` (> 0 runs, 0 is paused).
  void start(double now_s, double remaining, double rate) {
    anchor_s_ = now_s;
    rate_ = rate;
    remaining_at_start_ = remaining;
    done_hi_ = done_lo_ = 0;
  }

  // The rate changes at `now_s`; the work done so far is kept exactly.
  void set_rate(double now_s, double rate) {
    accumulate(now_s);
    anchor_s_ = now_s;
    rate_ = rate;
  }

  double rate() const { return rate_; }
  // Work done since the run started.
  double done(double now_s) const {
    if (done_hi_ == 0 && done_lo_ == 0) return (now_s - anchor_s_) * rate_;  // one rate all along: as computed
    double hi = done_hi_, lo = done_lo_;
    add_product(hi, lo, now_s - anchor_s_, rate_);
    return hi + lo;
  }
  // Work left at the start of this run, and now.
  double remaining_at_start() const { return remaining_at_start_; }
  double remaining(double now_s) const { return remaining_at_start_ - done(now_s); }

  // When the work runs out at the current rate (infinity when paused).
  double end_s() const {
    if (rate_ <= 0) return std::numeric_limits<double>::infinity();
    if (done_hi_ == 0 && done_lo_ == 0) return anchor_s_ + remaining_at_start_ / rate_;
    const double left = (remaining_at_start_ - done_hi_) - done_lo_;
    return anchor_s_ + std::max(0.0, left) / rate_;
  }

 private:
  void accumulate(double now_s) { add_product(done_hi_, done_lo_, now_s - anchor_s_, rate_); }

  // (hi, lo) += a * b, keeping the rounding errors of the product and of the sum.
  static void add_product(double& hi, double& lo, double a, double b) {
    const double product = a * b;
    const double product_error = std::fma(a, b, -product);
    const double sum = hi + product;
    const double virtual_b = sum - hi;
    const double sum_error = (hi - (sum - virtual_b)) + (product - virtual_b);
    lo += sum_error + product_error;
    hi = sum + lo;
    lo -= hi - sum;
  }

  double anchor_s_ = 0;  // last start or rate change
  double rate_ = 1;
  double remaining_at_start_ = 0;
  double done_hi_ = 0, done_lo_ = 0;  // work done from the start to anchor_s_
};

}  // namespace fleetsim

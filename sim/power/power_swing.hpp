#pragma once
// A synchronous training job's power through its step (issue 15, "training power swings"): every GPU computes,
// waits in the pipeline bubble, then waits on exposed communication, all GPUs of the job in lockstep, so the job's
// power alternates between a compute-phase and a low-phase power once per step (Choukse et al., "Power
// Stabilization for AI Training Datacenters", arXiv 2508.14318, 2025: compute phases near TDP, communication phases
// near idle). Pure functions: the phase utilisations, the power a GPU adds in a phase, the time a periodic step
// spends in a phase, and the swing statistics of a sampled power series. The fine window (fine_window.hpp) and the
// detailed mode's power per phase (sim/engine/step/detailed_step.hpp) use them.
#include <algorithm>
#include <cmath>
#include <vector>

#include "hw/hardware.hpp"

namespace fleetsim {

// Assumed GPU utilisation in each phase, for the catalog's power curve: compute 1 (the curve's full-load point;
// a job's own gpu_utilization when lower); exposed communication 0.25 (NCCL runs one thread block per channel, at
// most 32 channels by default (NCCL_MAX_NCHANNELS) on an H100's 132 SMs, while the tensor cores idle: an
// ASSUMPTION, no measured power of a GPU during collectives in the catalog's sources; arXiv 2508.14318 shows
// communication phases "near idle"); bubble 0 (the GPU waits for another stage).
constexpr double kComputeUtilization = 1.0;
constexpr double kCommunicationUtilization = 0.25;
constexpr double kBubbleUtilization = 0.0;

// IT power one GPU adds above its node's idle power while it runs at `utilization`: the GPU on its curve under the
// cap (cap_w 0: none), held at no less than floor_w (a GPU power floor), and its share of the node's non-GPU power
// rising with utilisation (the same sum as extra_power_per_gpu_w in job_power.hpp, which has no floor).
inline double gpu_extra_power_w(const hw::GpuSpec& gpu, const hw::NodeSpec& node, double utilization, double cap_w,
                                double floor_w = 0) {
  return std::max(gpu.power_w(utilization, cap_w), floor_w) - gpu.idle_w + node.base_extra_per_gpu_w(utilization);
}

// One step of a job, repeating from `origin_s`: compute [0, compute_s), bubble [compute_s, compute_s + bubble_s),
// exposed communication [compute_s + bubble_s, period_s).
struct StepPhases {
  double period_s = 1;
  double compute_s = 1;
  double bubble_s = 0;
  double communication_s() const { return period_s - compute_s - bubble_s; }
};

// Time spent in the phase [phase_start_s, phase_start_s + phase_s) of a step repeating every period_s, over the
// first `elapsed_s` seconds since a step began (elapsed_s >= 0; inverse_period = 1 / period_s).
inline double time_in_phase_s(double elapsed_s, double period_s, double inverse_period, double phase_start_s,
                              double phase_s) {
  const double steps = std::floor(elapsed_s * inverse_period);
  const double into = elapsed_s - steps * period_s;
  return steps * phase_s + std::clamp(into - phase_start_s, 0.0, phase_s);
}

// Swing statistics of power sampled every interval_s (each sample the mean over its interval).
struct SwingStats {
  double mean_w = 0;
  double peak_w = 0;
  double trough_w = 0;
  double swing_w = 0;        // peak - trough over the whole series
  double step_swing_w = 0;   // the median of (max - min) over consecutive windows of window_s (a step)
  double max_ramp_w_per_s = 0;  // largest |change| between consecutive samples / interval_s
  double energy_j = 0;
};

// `window_s`: the length over which one step's peak-to-trough is measured (at least two samples; the whole series
// when longer than it).
SwingStats swing_stats(const std::vector<double>& power_w, double interval_s, double window_s);

}  // namespace fleetsim

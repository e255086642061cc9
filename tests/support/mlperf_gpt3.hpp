#pragma once
// MLPerf Training GPT-3 175B, NVIDIA's NeMo submissions of rounds v3.0 (2023) and v4.0 (2024): one table for the
// step-time predictions (tests/bench/training_predictions.cpp) and the tests that check them
// (tests/unit/training/). scenarios/validation/mlperf-gpt3-175b.toml holds the same runs as [[job]]s.
//
// Sources: mlcommons/training_results_v3.0 (NVIDIA, NVIDIA_CoreWeave) and training_results_v4.0 (NVIDIA),
// benchmarks/gpt3/implementations/*/config_DGXH100_*.sh, config_common.sh, config_fp8.sh, and the result logs:
// steady step time = median train_step_timing (v3.0) or median block_start..block_stop interval over the steps it
// covers (v4.0). Every run: sequence 2,048, FP8 (Transformer Engine), TP 4, the distributed optimizer overlapping
// both data-parallel collectives, TP_COMM_OVERLAP=True (v3.0 through config_tp_h100.sh for GBS < 3500) and
// overlap_p2p_comm: True; v4.0 also FP8 parameters (config_fp8.sh FP8_PARAMS=True).
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/training/step_time.hpp"

namespace fleetsim::testing {

struct MlperfGpt3Run {
  const char* name;
  int round;  // 0: v3.0, 1: v4.0 (its software stack: see kMlperfRounds)
  int gpus, pp, vp, micro_batch;
  long long global_batch;
  double step_s;  // published steady step time
  const char* source;
};

inline constexpr MlperfGpt3Run kMlperfGpt3Runs[] = {
    {"mlperf-v3.0-gpt3-512", 0, 512, 8, 12, 1, 2048, 12.08, "training_results_v3.0 NVIDIA dgxh100_n64 gpt3 (TP4 PP8 VP12, GBS 2048)"},
    {"mlperf-v3.0-gpt3-768", 0, 768, 8, 12, 1, 3072, 12.13, "training_results_v3.0 NVIDIA dgxh100_n96 gpt3 (TP4 PP8 VP12, GBS 3072)"},
    {"mlperf-v3.0-gpt3-1536", 0, 1536, 8, 12, 1, 3072, 6.34, "training_results_v3.0 NVIDIA_CoreWeave n192 gpt3 (TP4 PP8 VP12, GBS 3072)"},
    {"mlperf-v3.0-gpt3-3584", 0, 3584, 8, 12, 1, 2688, 2.60, "training_results_v3.0 NVIDIA_CoreWeave n448 gpt3 (TP4 PP8 VP12, GBS 2688)"},
    {"mlperf-v4.0-gpt3-512", 1, 512, 8, 4, 2, 2304, 10.90, "training_results_v4.0 NVIDIA eos_n64 gpt3 (TP4 PP8 VP4, MBS 2, GBS 2304)"},
    {"mlperf-v4.0-gpt3-10752", 1, 10752, 6, 8, 1, 2688, 0.921, "training_results_v4.0 NVIDIA eos-dfw_n1344 gpt3 (TP4 PP6 VP8, GBS 2688)"},
    {"mlperf-v4.0-gpt3-11616", 1, 11616, 6, 8, 1, 2904, 0.922, "training_results_v4.0 NVIDIA eos-dfw_n1452 gpt3 (TP4 PP6 VP8, GBS 2904)"},
};

// A round's kernel_efficiency is fitted on its calibration run (its smallest submission, where the least time goes
// to communication); every other run of the round is then a prediction. Issue 12 names the `validated` ones.
struct MlperfRound {
  const char* software;
  const char* calibration;
  const char* validated;
};
inline constexpr MlperfRound kMlperfRounds[] = {
    {"mlperf-v3.0 (NeMo 23.04, Transformer Engine 0.8, FlashAttention 1.0.5)", "mlperf-v3.0-gpt3-512", "mlperf-v3.0-gpt3-3584"},
    {"mlperf-v4.0 (NeMo 24.04, Transformer Engine 1.6, cuDNN attention)", "mlperf-v4.0-gpt3-512", "mlperf-v4.0-gpt3-11616"},
};

inline const MlperfGpt3Run& mlperf_run(std::string_view name) {
  for (const MlperfGpt3Run& run : kMlperfGpt3Runs)
    if (name == run.name) return run;
  throw std::invalid_argument("no MLPerf run named " + std::string(name));
}

// The run's plan as submitted (kernel_efficiency left at 1: the caller fits or sets it).
inline training::TrainingPlan mlperf_plan(const MlperfGpt3Run& run) {
  training::TrainingPlan plan;
  plan.gpus = run.gpus;
  plan.sequence_length = 2048;
  plan.global_batch_size = run.global_batch;
  plan.micro_batch_size = run.micro_batch;
  plan.precision = training::Precision::fp8;
  plan.sharding = training::Sharding::optimizer;
  plan.fp8_params = run.round == 1;
  plan.tp_comm_overlap = plan.p2p_comm_overlap = true;
  plan.parallelism = {4, run.pp, 1, 1, run.vp};
  return plan;
}

}  // namespace fleetsim::testing

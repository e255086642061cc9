#pragma once
// The order in which a pipeline stage runs its micro-batches: 1F1B (PipeDream-Flush; Narayanan et al., "Efficient
// Large-Scale Language Model Training on GPU Clusters Using Megatron-LM", SC'21, section 2.2.1) with one model chunk
// per stage, Megatron-LM's interleaved 1F1B (section 2.2.2) with several. The detailed mode (`fleetsim step`) runs
// these orders with real dependencies between stages, so the bubble comes out of the simulation.
#include <vector>

namespace fleetsim::training {

enum class Pass { forward, backward };

struct PipelineOp {
  Pass pass = Pass::forward;
  long long microbatch = 0;
  int chunk = 0;  // the stage's model chunk, 0 .. chunks_per_stage - 1: virtual stage chunk x stages + stage
};

// Stage `stage` of `stages`, each holding `chunks_per_stage` model chunks, over `microbatches` micro-batches: every
// micro-batch's forward and backward on every chunk, once. Megatron-LM's order (schedules.py,
// forward_backward_pipelining_with_interleaving): warm-up forwards, then one forward and one backward in turn, then
// the remaining backwards; virtual micro-batches go in groups of `stages` through each chunk in turn. With several
// chunks the micro-batches must be a multiple of the stages (plan_problem checks it: the orders deadlock otherwise).
std::vector<PipelineOp> stage_schedule(int stages, int chunks_per_stage, long long microbatches, int stage);

}  // namespace fleetsim::training

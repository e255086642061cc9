#include "sim/training/pipeline_schedule.hpp"

#include <algorithm>

namespace fleetsim::training {

namespace {

// The k-th virtual micro-batch (forward or backward) of a stage: which micro-batch on which chunk. Groups of
// `stages` micro-batches go through every chunk in turn (backwards through the chunks in reverse).
PipelineOp virtual_microbatch(long long k, Pass pass, int stages, int chunks) {
  const long long group_span = static_cast<long long>(stages) * chunks;  // virtual micro-batches per group
  const long long group = k / group_span, in_group = k % group_span;
  int chunk = static_cast<int>(in_group / stages);
  if (pass == Pass::backward) chunk = chunks - 1 - chunk;
  return {pass, group * stages + in_group % stages, chunk};
}

}  // namespace

std::vector<PipelineOp> stage_schedule(int stages, int chunks_per_stage, long long microbatches, int stage) {
  const long long total = microbatches * chunks_per_stage;
  long long warmup = 0;
  if (chunks_per_stage == 1) {
    warmup = std::min<long long>(stages - stage - 1, microbatches);
  } else if (microbatches == stages) {
    warmup = total;  // Megatron-LM: all forwards first when there is a single group
  } else {
    warmup = std::min<long long>(static_cast<long long>(stages - stage - 1) * 2 +
                                     static_cast<long long>(chunks_per_stage - 1) * stages,
                                 total);
  }
  std::vector<PipelineOp> ops;
  ops.reserve(static_cast<std::size_t>(2 * total));
  const auto forward = [&](long long k) {
    ops.push_back(virtual_microbatch(k, Pass::forward, stages, chunks_per_stage));
  };
  const auto backward = [&](long long k) {
    ops.push_back(virtual_microbatch(k, Pass::backward, stages, chunks_per_stage));
  };
  for (long long k = 0; k < warmup; ++k) forward(k);
  for (long long k = 0; k < total - warmup; ++k) {
    forward(warmup + k);
    backward(k);
  }
  for (long long k = total - warmup; k < total; ++k) backward(k);
  return ops;
}

}  // namespace fleetsim::training

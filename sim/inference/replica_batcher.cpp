#include "sim/inference/replica_batcher.hpp"

#include <algorithm>
#include <cassert>

namespace fleetsim::inference {

ReplicaBatcher::ReplicaBatcher(const ReplicaModel& model, RequestLog& log) : model_(model), log_(log) {}

void ReplicaBatcher::enqueue(std::uint32_t request) {
  const Request& r = log_.requests[request];
  // A request whose prompt and output exceed the whole KV cache can never be admitted.
  if (static_cast<long long>(r.prompt_tokens) + r.output_tokens > model_.kv_capacity_tokens()) {
    log_.outcomes[request].rejected = true;
    return;
  }
  waiting_.push_back(request);
}

const IterationCost& ReplicaBatcher::start_iteration(double now_s) {
  assert(!running_);
  const ReplicaPlan& plan = model_.plan();
  BatchShape batch;
  batch.decode_requests = decoding_;
  batch.decode_context_tokens = decode_context_;
  step_decodes_ = decoding_ > 0;
  long long budget = plan.max_batch_tokens - decoding_;
  chunks_ = 0;
  const auto add_chunk = [&](Prefill& prefill) {
    const long long left = log_.requests[prefill.request].prompt_tokens - prefill.done;
    prefill.chunk = static_cast<std::int32_t>(std::min(left, budget));
    budget -= prefill.chunk;
    batch.prefill_tokens += prefill.chunk;
    batch.prefill_cached_tokens += prefill.done;
    batch.prefill_attention_pairs += double(prefill.chunk) * (double(prefill.done) + (prefill.chunk + 1) / 2.0);
    ++batch.prefill_sequences;
    ++chunks_;
  };
  for (Prefill& prefill : prefilling_) {
    if (budget <= 0) break;
    add_chunk(prefill);
  }
  // New requests, first come first served: room in the batch, the KV cache and the token budget.
  while (budget > 0 && !waiting_.empty() && chunks_ == prefilling_.size() &&
         static_cast<long long>(prefilling_.size()) + decoding_ < plan.max_batch_requests) {
    const std::uint32_t request = waiting_.front();
    const Request& r = log_.requests[request];
    const long long need = static_cast<long long>(r.prompt_tokens) + r.output_tokens;
    if (kv_reserved_ + need > model_.kv_capacity_tokens()) break;
    waiting_.pop_front();
    kv_reserved_ += need;
    log_.outcomes[request].start_s = now_s;
    prefilling_.push_back(Prefill{request, 0, 0});
    add_chunk(prefilling_.back());
  }
  current_ = model_.iteration(batch);
  running_ = current_.time_s > 0;
  return current_;
}

void ReplicaBatcher::finish_iteration(double now_s) {
  assert(running_);
  running_ = false;
  ++iterations_;
  busy_s_ += current_.time_s;
  busy_energy_j_ += model_.busy_gpu_power_w(current_) * model_.gpus() * current_.time_s;
  // Every decoding request got a token: its context grows by one; those with all their tokens leave.
  if (step_decodes_) {
    ++step_;
    decode_context_ += decoding_;
    while (!decode_ends_.empty() && decode_ends_.top().step <= step_) {
      const std::uint32_t request = decode_ends_.top().request;
      decode_ends_.pop();
      const Request& r = log_.requests[request];
      decode_context_ -= double(r.prompt_tokens) + r.output_tokens;
      --decoding_;
      finish_request(request, now_s);
    }
  }
  // Prompts whose last chunk ran: their first token now; they decode from the next iteration on.
  for (std::size_t i = 0; i < chunks_; ++i) prefilling_[i].done += prefilling_[i].chunk;
  while (chunks_ > 0) {
    Prefill& front = prefilling_.front();
    const Request& r = log_.requests[front.request];
    if (front.done < r.prompt_tokens) break;  // a partial chunk: only the last one can be
    const std::uint32_t request = front.request;
    prefilling_.pop_front();
    --chunks_;
    log_.outcomes[request].first_token_s = now_s;
    if (r.output_tokens <= 1) {
      finish_request(request, now_s);
      continue;
    }
    // Its context when its k-th decoding iteration runs is prompt + k; it leaves after output - 1 of them.
    ++decoding_;
    decode_context_ += double(r.prompt_tokens) + 1;
    decode_ends_.push(DecodeEnd{step_ + static_cast<std::uint64_t>(r.output_tokens - 1), request});
  }
  chunks_ = 0;
}

void ReplicaBatcher::finish_request(std::uint32_t request, double now_s) {
  const Request& r = log_.requests[request];
  kv_reserved_ -= static_cast<long long>(r.prompt_tokens) + r.output_tokens;
  log_.outcomes[request].end_s = now_s;
}

}  // namespace fleetsim::inference

#pragma once
// Continuous batching on one replica (Orca's iteration-level scheduling, Yu et al. OSDI'22; with chunked prompts
// mixed into decoding batches as in Sarathi-Serve, Agrawal et al. OSDI'24, and TensorRT-LLM's in-flight batching):
// before every forward iteration the batch is formed again from
//   1. every decoding request (one token each),
//   2. the prompts being prefilled, first come first served, in chunks filling the token budget
//      (max_batch_tokens less the decoding tokens),
//   3. new requests from the queue, first come first served, while the batch has room for one more request
//      (max_batch_requests) and the KV cache for its prompt and all its output tokens (admission reserves them, as
//      TensorRT-LLM's GUARANTEED_NO_EVICT scheduler does: no request is ever evicted).
// A request's first token comes at the end of the iteration that finishes its prompt; each later iteration adds a
// token. The work per iteration is O(1) plus O(log n) per request (a heap of decode end steps): a replica's
// iterations cost the same whatever its batch size. Pure C++: the clock is the caller's (ReplicaPool).
#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

#include "sim/inference/replica_model.hpp"
#include "sim/inference/request.hpp"

namespace fleetsim::inference {

class ReplicaBatcher {
 public:
  ReplicaBatcher(const ReplicaModel& model, RequestLog& log);

  // A request joins the queue (its outcome is written to the log).
  void enqueue(std::uint32_t request);
  // Forms the next batch at `now_s` and returns the iteration's cost (time 0: nothing to do).
  const IterationCost& start_iteration(double now_s);
  // The iteration started last ended at `now_s`: tokens produced, requests finished, KV cache released.
  void finish_iteration(double now_s);

  bool has_work() const { return !waiting_.empty() || !prefilling_.empty() || decoding_ > 0; }
  bool running() const { return running_; }
  // Requests queued or in the batch (what a router balances).
  std::size_t outstanding() const { return waiting_.size() + prefilling_.size() + decoding_; }
  std::size_t waiting() const { return waiting_.size(); }
  int decoding() const { return decoding_; }
  long long kv_reserved_tokens() const { return kv_reserved_; }

  // Time spent in iterations and the energy of the replica's GPUs in them (all GPUs of the replica).
  double busy_s() const { return busy_s_; }
  double busy_gpu_energy_j() const { return busy_energy_j_; }
  std::uint64_t iterations() const { return iterations_; }

 private:
  struct Prefill {
    std::uint32_t request;
    std::int32_t done = 0;   // prompt tokens already processed
    std::int32_t chunk = 0;  // in the current iteration
  };
  struct DecodeEnd {
    std::uint64_t step;
    std::uint32_t request;
    bool operator>(const DecodeEnd& other) const {
      return step != other.step ? step > other.step : request > other.request;
    }
  };
  void finish_request(std::uint32_t request, double now_s);

  const ReplicaModel& model_;
  RequestLog& log_;
  std::deque<std::uint32_t> waiting_;
  std::deque<Prefill> prefilling_;
  std::size_t chunks_ = 0;  // prefilling_ entries with a chunk in the current iteration (a prefix)
  std::priority_queue<DecodeEnd, std::vector<DecodeEnd>, std::greater<DecodeEnd>> decode_ends_;
  int decoding_ = 0;
  double decode_context_ = 0;   // sum of the decoding requests' contexts
  std::uint64_t step_ = 0;      // decoding iterations so far
  bool step_decodes_ = false;   // the current iteration has decoding requests
  long long kv_reserved_ = 0;
  bool running_ = false;
  IterationCost current_;
  double busy_s_ = 0, busy_energy_j_ = 0;
  std::uint64_t iterations_ = 0;
};

}  // namespace fleetsim::inference

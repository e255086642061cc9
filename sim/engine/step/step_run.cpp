#include "sim/engine/step/step_run.hpp"

#include <algorithm>
#include <cmath>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace fleetsim {

namespace sg4 = simgrid::s4u;
using training::Pass;
using training::PipelineOp;

namespace {
double now() { return sg4::Engine::get_clock(); }

// An actor's queue: post() hands it an item, next_in() waits for the next one.
template <class Item>
void post(std::deque<Item>& queue, sg4::Mutex& mutex, sg4::ConditionVariable& changed, Item item) {
  std::unique_lock<sg4::Mutex> lock(mutex);
  queue.push_back(item);
  changed.notify_all();
}

template <class Item>
Item next_in(std::deque<Item>& queue, sg4::Mutex& mutex, sg4::ConditionVariable& changed) {
  std::unique_lock<sg4::Mutex> lock(mutex);
  while (queue.empty()) changed.wait(lock);
  Item item = queue.front();
  queue.pop_front();
  return item;
}
}  // namespace

StepRun::StepRun(const DetailedStepInput& input, const training::ChunkCosts& costs, const training::JobLayout& layout,
                 const StepFabric& fabric)
    : input_(input), costs_(costs) {
  const training::Parallelism& p = input.plan.parallelism;
  pp_ = p.pp;
  vp_ = p.vp;
  dp_ = layout.data_parallel();
  buckets_ = std::max(1, static_cast<int>(std::lround(costs.layers_per_chunk)));
  sharded_ = input.plan.sharding != training::Sharding::none && dp_ > 1;
  tensor_ = tensor_parallel_ring(layout);
  expert_ = expert_all_to_all(layout, fabric, costs.ep_bytes);
  context_ = context_parallel_ring(layout, fabric, costs.cp_kv_bytes);
  std::vector<const FlowSet*> sets{&tensor_, &expert_, &context_};
  stages_.resize(pp_);
  for (int s = 0; s < pp_; ++s) {
    data_parallel_.push_back(data_parallel_ring(layout, fabric, s));
    // Forward sends go to the next virtual stage (stage s + 1, or the first stage's next chunk), backward ones back.
    for (int to : {(s + 1) % pp_, (s + pp_ - 1) % pp_})
      if (to != s) pipeline_.try_emplace({s, to}, pipeline_send(layout, fabric, s, to, costs.pp_bytes));
    Stage& stage = stages_[s];
    stage.ops = training::stage_schedule(pp_, vp_, input.plan.microbatches(), s);
    stage.first_forward.assign(vp_, stage.ops.size());
    stage.last_backward.assign(vp_, 0);
    for (std::size_t i = 0; i < stage.ops.size(); ++i) {
      const PipelineOp& op = stage.ops[i];
      if (op.pass == Pass::forward) stage.first_forward[op.chunk] = std::min(stage.first_forward[op.chunk], i);
      else stage.last_backward[op.chunk] = i;
    }
    stage.mutex = sg4::Mutex::create();
    stage.changed = sg4::ConditionVariable::create();
  }
  if (input.plan.p2p_comm_overlap)
    for (const auto& [stages, set] : pipeline_) {
      Pipe& pipe = pipes_[stages];
      pipe.mutex = sg4::Mutex::create();
      pipe.changed = sg4::ConditionVariable::create();
    }
  for (const FlowSet& set : data_parallel_) sets.push_back(&set);
  for (const auto& [stages, set] : pipeline_) sets.push_back(&set);
  platform_ = std::make_unique<StepPlatform>(layout, fabric, sets);
  measured_.hosts = platform_->hosts();
}

void StepRun::run() {
  sg4::Actor::create("calibrate", platform_->controller(), [this] { calibrate(); });
  sg4::Engine::get_instance()->run();
  for (const Stage& stage : stages_) span_s_ = std::max(span_s_, stage.end_s - start_s_);
}

double StepRun::compute_s() const {
  double sum = 0;
  for (const Stage& stage : stages_) sum += stage.compute_s;
  return sum;
}

double StepRun::comm_s() const {
  double sum = 0;
  for (const Stage& stage : stages_) sum += stage.comm_s;
  return sum;
}

// Every flow of `set` at once, its bytes times `scale`, until the last ends.
double StepRun::run_flows(const FlowSet& set, double scale) {
  if (set.flows.empty()) return 0;
  const double start = now();
  std::vector<sg4::CommPtr> comms;
  comms.reserve(set.flows.size());
  for (const Flow& flow : set.flows)
    comms.push_back(sg4::Comm::sendto_async(platform_->endpoint(flow, true), platform_->endpoint(flow, false),
                                            flow.bytes * scale));
  measured_.flows += static_cast<long long>(comms.size());
  sg4::Comm::wait_all(comms);
  return now() - start;
}

// A ring reduce-scatter or all-gather of `steps` identical steps: one step's flows with all steps' bytes (the links
// stay busy for the whole collective), plus the fitted per-collective latency over NVLink, or the other steps'
// message latency over the NICs (each flow already has its route's).
double StepRun::ring_collective(const FlowSet& set, double scale, int steps) {
  if (set.flows.empty() || steps <= 0) return 0;
  const double start = now();
  if (set.nvlink) sg4::this_actor::sleep_for(input_.machine.fit.allreduce_latency_us * 1e-6 / 2);
  else if (steps > 1) sg4::this_actor::sleep_for((steps - 1) * input_.machine.scale_out.latency_s);
  run_flows(set, scale * steps);
  return now() - start;
}

void StepRun::calibrate() {
  const training::Parallelism& p = input_.plan.parallelism;
  measured_.tp_collective_s = ring_collective(tensor_, costs_.tp_bytes, p.tp - 1);
  if (!expert_.flows.empty()) {
    const double start = now();
    if (expert_.nvlink) sg4::this_actor::sleep_for(input_.machine.fit.allreduce_latency_us * 1e-6);  // as fitted
    run_flows(expert_, 1.0);
    measured_.ep_all_to_all_s = now() - start;  // the slowest group's
  }
  measured_.cp_ring_step_s = run_flows(context_, 1.0);
  // Context parallelism: per layer cp - 1 ring steps of K/V once forward and twice backward, hidden behind the
  // attention scores' computation (forward once, backward twice).
  const double cp_layer = (p.cp - 1) * measured_.cp_ring_step_s;
  const auto cp_exposed = [&](double rounds) {
    return costs_.layers_per_chunk * std::max(0.0, rounds * cp_layer - rounds * costs_.attention_core_s);
  };
  const bool overlap = input_.plan.tp_comm_overlap;
  forward_comm_s_ = training::tp_exposed_s(costs_.tp_collectives_forward * measured_.tp_collective_s, costs_.forward_s,
                                           p.tp, overlap) +
                    costs_.ep_all_to_alls_forward * measured_.ep_all_to_all_s + cp_exposed(training::kCpRoundsForward);
  backward_comm_s_ = training::tp_exposed_s(costs_.tp_collectives_backward * measured_.tp_collective_s,
                                            costs_.backward_s, p.tp, overlap) +
                     costs_.ep_all_to_alls_backward * measured_.ep_all_to_all_s + cp_exposed(training::kCpRoundsBackward);
  start_s_ = now();
  for (auto& [stages, pipe] : pipes_) {
    const auto [from, to] = stages;
    sg4::Actor::create("pipe-" + std::to_string(from) + "-" + std::to_string(to), platform_->controller(),
                       [this, from = from, to = to] { pipe_actor(from, to); })->daemonize();
  }
  for (int s = 0; s < pp_; ++s) {
    sg4::Actor::create("stage-" + std::to_string(s), platform_->controller(), [this, s] { stage_actor(s); });
    if (dp_ > 1)
      sg4::Actor::create("data-parallel-" + std::to_string(s), platform_->controller(), [this, s] {
        data_parallel_actor(s);
      })->daemonize();
  }
}

template <class Done>
void StepRun::wait_for(int s, Done done) {
  Stage& stage = stages_[s];
  std::unique_lock<sg4::Mutex> lock(*stage.mutex);
  while (!done()) stage.changed->wait(lock);
}

void StepRun::busy(int s, double compute, double comm) {
  sg4::this_actor::sleep_for(compute + comm);
  stages_[s].compute_s += compute;
  stages_[s].comm_s += comm;
}

void StepRun::request(int s, Collective collective) {
  Stage& stage = stages_[s];
  post(stage.pending, *stage.mutex, *stage.changed, collective);
}

void StepRun::stage_actor(int s) {
  Stage& stage = stages_[s];
  const long long per_step = static_cast<long long>(vp_) * buckets_;
  for (int step = 0; step < input_.steps; ++step) {
    // The parameters are all-gathered after each optimizer step (for the first step: as if after the previous one).
    if (sharded_ && step == 0)
      for (long long k = 0; k < per_step; ++k) request(s, Collective::all_gather);
    for (std::size_t i = 0; i < stage.ops.size(); ++i) run_op(s, i, step);
    if (dp_ > 1) {
      const double start = now();
      wait_for(s, [&] { return stage.reduced >= (step + 1) * per_step; });
      stage.comm_s += now() - start;
    }
    busy(s, costs_.optimizer_s, 0);
    if (sharded_ && step + 1 < input_.steps)
      for (long long k = 0; k < per_step; ++k) request(s, Collective::all_gather);
  }
  stage.end_s = now();
}

void StepRun::run_op(int s, std::size_t index, int step) {
  Stage& stage = stages_[s];
  const PipelineOp& op = stage.ops[index];
  const int virtual_stage = op.chunk * pp_ + s;
  const bool forward = op.pass == Pass::forward;
  // Inputs: the previous virtual stage's activation, or the next one's gradient (the last virtual stage starts its
  // backward from its own forward). Waiting for them is the bubble.
  if ((forward && virtual_stage > 0) || (!forward && virtual_stage < pp_ * vp_ - 1)) {
    const Token token{int(op.pass), op.microbatch, op.chunk};
    wait_for(s, [&] { return stage.arrived.count(token) > 0; });
    stage.arrived.erase(token);
  }
  const double compute = forward ? costs_.forward_s : costs_.backward_s;
  const double comm = forward ? forward_comm_s_ : backward_comm_s_;
  const bool gathers = sharded_ && forward && index == stage.first_forward[op.chunk];
  const bool reduces = dp_ > 1 && !forward && index == stage.last_backward[op.chunk];
  if (gathers || reduces) {
    // Layer by layer: a bucket's parameters before its forward, its gradients reduced once its backward is done.
    const long long before = static_cast<long long>(step) * vp_ * buckets_ + static_cast<long long>(op.chunk) * buckets_;
    for (int bucket = 0; bucket < buckets_; ++bucket) {
      if (gathers) {
        const double start = now();
        wait_for(s, [&] { return stage.gathered > before + bucket; });
        stage.comm_s += now() - start;
      }
      busy(s, compute / buckets_, comm / buckets_);
      if (reduces) request(s, sharded_ ? Collective::reduce_scatter : Collective::all_reduce);
    }
  } else {
    busy(s, compute, comm);
  }
  send(s, op);
}

const FlowSet& StepRun::pipeline_flows(int from, int to) { return pipeline_.at({from, to}); }

void StepRun::send(int s, const PipelineOp& op) {
  const int virtual_stage = op.chunk * pp_ + s;
  const int target = op.pass == Pass::forward ? virtual_stage + 1 : virtual_stage - 1;
  if (target < 0 || target >= pp_ * vp_) return;
  const int to = target % pp_;
  const Token token{int(op.pass), op.microbatch, target / pp_};
  if (to == s) return deliver(to, token);
  if (input_.plan.p2p_comm_overlap) {
    // The stage goes on with its next op while the send runs (Megatron's overlapped p2p communication); a
    // receiver that must wait for a late send counts the wait as bubble.
    Pipe& pipe = pipes_.at({s, to});
    return post(pipe.queue, *pipe.mutex, *pipe.changed, token);
  }
  const double start = now();
  transfer(s, to);
  stages_[s].comm_s += now() - start;
  deliver(to, token);
}

void StepRun::pipe_actor(int from, int to) {
  Pipe& pipe = pipes_.at({from, to});
  for (;;) {
    const Token token = next_in(pipe.queue, *pipe.mutex, *pipe.changed);
    transfer(from, to);
    deliver(to, token);
  }
}

void StepRun::transfer(int from, int to) {
  const FlowSet& flows = pipeline_flows(from, to);
  if (flows.nvlink) sg4::this_actor::sleep_for(input_.machine.fit.allreduce_latency_us * 1e-6 / 2);  // as fitted
  run_flows(flows, 1.0);
}

void StepRun::deliver(int to, const Token& token) {
  Stage& receiver = stages_[to];
  std::unique_lock<sg4::Mutex> lock(*receiver.mutex);
  receiver.arrived.insert(token);
  receiver.changed->notify_all();
}

void StepRun::data_parallel_actor(int s) {
  Stage& stage = stages_[s];
  const double per_bucket = 1.0 / (double(vp_) * buckets_);
  // Per-GPU buffers of one bucket: the flows carry 1 byte per GPU per ring step (data_parallel_ring).
  const double reduce_bytes = costs_.dp_reduce_bytes * costs_.local_dp * per_bucket;
  const double gather_bytes = costs_.dp_gather_bytes * costs_.local_dp * per_bucket;
  const FlowSet& ring = data_parallel_[s];
  for (;;) {
    const Collective collective = next_in(stage.pending, *stage.mutex, *stage.changed);
    if (collective != Collective::all_gather) ring_collective(ring, reduce_bytes, dp_ - 1);
    if (collective != Collective::reduce_scatter) ring_collective(ring, gather_bytes, dp_ - 1);
    std::unique_lock<sg4::Mutex> lock(*stage.mutex);
    ++(collective == Collective::all_gather ? stage.gathered : stage.reduced);
    stage.changed->notify_all();
  }
}

}  // namespace fleetsim

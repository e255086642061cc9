#pragma once
// The SimGrid side of the detailed mode (detailed_step.hpp says what is simulated): the collectives measured once
// before the steps, one actor per pipeline stage running its order, one actor per stage running its data-parallel
// collectives in order (NCCL's one stream), with p2p_comm_overlap one actor per pair of stages carrying the
// pipeline sends in order, and the time each stage spends computing, waiting on its own communication, or waiting
// for another stage.
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include <simgrid/s4u/ConditionVariable.hpp>
#include <simgrid/s4u/Mutex.hpp>

#include "sim/engine/step/detailed_step.hpp"
#include "sim/engine/step/step_platform.hpp"
#include "sim/training/chunk_costs.hpp"
#include "sim/training/pipeline_schedule.hpp"

namespace fleetsim {

class StepRun {
 public:
  // Builds the platform into the current engine; run() then simulates input.steps steps.
  StepRun(const DetailedStepInput& input, const training::ChunkCosts& costs, const training::JobLayout& layout,
          const StepFabric& fabric);
  void run();

  // Sums over the stages, after run().
  double span_s() const { return span_s_; }  // first step's start to the last stage's end
  double compute_s() const;                  // time the stages computed (all of them, all steps)
  double comm_s() const;                     // time they waited on their own communication
  const DetailedStep& measured() const { return measured_; }  // collectives measured, flows, hosts

 private:
  enum class Collective { reduce_scatter, all_gather, all_reduce };
  using Token = std::tuple<int, long long, int>;  // pass, micro-batch, chunk: an activation or gradient arrived

  struct Stage {
    std::vector<training::PipelineOp> ops;
    std::vector<std::size_t> first_forward, last_backward;  // per chunk: position in ops
    std::set<Token> arrived;
    std::deque<Collective> pending;  // data-parallel collectives, in order
    long long reduced = 0, gathered = 0;  // buckets done
    simgrid::s4u::MutexPtr mutex;
    simgrid::s4u::ConditionVariablePtr changed;
    double compute_s = 0, comm_s = 0, end_s = 0;
  };

  // Overlapped pipeline sends from one stage to another, in order on one stream (NCCL's), by one actor.
  struct Pipe {
    std::deque<Token> queue;
    simgrid::s4u::MutexPtr mutex;
    simgrid::s4u::ConditionVariablePtr changed;
  };

  void calibrate();
  void pipe_actor(int from, int to);
  void stage_actor(int s);
  void data_parallel_actor(int s);
  void run_op(int s, std::size_t index, int step);
  void send(int s, const training::PipelineOp& op);
  void transfer(int from, int to);            // one pipeline send's flows, in the calling actor
  void deliver(int to, const Token& token);  // an activation or gradient arrives at stage `to`
  void request(int s, Collective collective);
  template <class Done>
  void wait_for(int s, Done done);  // blocks until done() holds under the stage's mutex

  double run_flows(const FlowSet& set, double scale);
  double ring_collective(const FlowSet& set, double scale, int steps);
  void busy(int s, double compute, double comm);
  const FlowSet& pipeline_flows(int from, int to);

  const DetailedStepInput& input_;
  const training::ChunkCosts& costs_;
  int pp_, vp_, dp_, buckets_;  // buckets: data-parallel buckets per chunk (one per layer)
  bool sharded_;
  FlowSet tensor_, expert_, context_;
  std::vector<FlowSet> data_parallel_;            // per stage
  std::map<std::pair<int, int>, FlowSet> pipeline_;  // (from, to) stages
  std::map<std::pair<int, int>, Pipe> pipes_;        // the same pairs, with p2p_comm_overlap
  std::unique_ptr<StepPlatform> platform_;
  std::vector<Stage> stages_;
  double forward_comm_s_ = 0, backward_comm_s_ = 0;  // tensor/expert/context communication inside one chunk op
  double start_s_ = 0, span_s_ = 0;
  DetailedStep measured_;
};

}  // namespace fleetsim

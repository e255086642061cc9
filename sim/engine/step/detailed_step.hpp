#pragma once
// Detailed mode of issue 12 (`fleetsim step`): a training job's steps simulated on SimGrid, on the network of the
// nodes it occupies (step_fabric.hpp), with the same per-chunk compute times and collective volumes as fleet mode
// (sim/training/chunk_costs.hpp).
//
// What is simulated: one data-parallel replica's pipeline, one SimGrid actor per stage running its 1F1B or
// interleaved order (sim/training/pipeline_schedule.hpp) with real dependencies (a stage starts a micro-batch's
// forward when the previous stage's send has arrived; sends block the sender, as Megatron-LM's P2P calls do, or
// with p2p_comm_overlap go in order through one actor per pair of stages while the sender computes on), so the
// bubble comes out of the simulation; the data-parallel reduce-scatter and all-gather of each stage as ring flows
// on the scale-out fabric, per layer bucket, started as the last backward produces each bucket's gradients and
// awaited by the next step's first forward (Megatron-LM's overlapped gradient reduce and parameter gather; without
// sharding, an all-reduce before the optimizer), sharing the NICs and uplinks with the pipeline sends. Tensor-
// parallel collectives, expert all-to-alls and the context-parallel ring are simulated once, as SimGrid flows on
// the NVLink switch or the fabric, before the steps; their times are then spent inside each chunk's compute (with
// tp_comm_overlap, only the part training::tp_exposed_s leaves exposed).
// collective_flows.hpp lists the symmetries that keep the flows in the hundreds.
#include <string>

#include "hw/hardware.hpp"
#include "hw/model_spec.hpp"
#include "sim/power/power_swing.hpp"
#include "sim/training/step_time.hpp"

namespace fleetsim {

struct DetailedStepInput {
  hw::ModelSpec model;
  training::TrainingPlan plan;
  training::Machine machine;  // on the cluster's fabric, under its power cap (training::machine_for)
  double power_cap_w = 0;     // the same cap, for the power per phase; 0 = none
  int steps = 1;
  bool reduce_by_symmetry = true;  // false: every rail's, ring hop's and replica's flows (slower; the same times)
};

// Power of the job's nodes (all their GPUs and their non-GPU power) in each phase of a step.
struct PhasePower {
  double compute_w = 0;
  double exposed_comm_w = 0;
  double bubble_w = 0;
};

struct DetailedStep {
  // Per step, averaged over the pipeline stages and the simulated steps: step_time_s = compute_s + exposed_comm_s +
  // bubble_s (time a stage computes; waits on its own communication; waits for another stage).
  double step_time_s = 0, compute_s = 0, exposed_comm_s = 0, bubble_s = 0;
  double mfu = 0, tokens_per_s = 0;
  PhasePower power_w;
  // What the simulation measured and how big it was.
  double tp_collective_s = 0;   // one tensor-parallel reduce-scatter (or all-gather)
  double ep_all_to_all_s = 0;   // one expert all-to-all
  double cp_ring_step_s = 0;    // one step of the context-parallel K/V ring
  long long flows = 0;          // SimGrid communications started
  std::size_t hosts = 0;        // SimGrid hosts built
  int steps = 0;
};

// Why the detailed mode cannot run this input ("" if it can): the plan's problem (plan_problem), or no steps.
std::string detailed_step_problem(const DetailedStepInput& input);

// Runs input.steps steps. One SimGrid engine per process: call once per process. The input must be valid.
DetailedStep simulate_training_steps(const DetailedStepInput& input);

// The utilisation assumed in each phase (kComputeUtilization, kCommunicationUtilization, kBubbleUtilization) is
// sim/power/power_swing.hpp's, shared with the fleet mode's fine power window.

// Power of the nodes a job of `gpus` GPUs occupies when its GPUs run at `utilization`: per node the base power rising
// with utilisation (NodeSpec), the job's GPUs on the catalog curve under the cap, the node's other GPUs idle.
double job_nodes_power_w(const training::Machine& machine, int gpus, double utilization, double cap_w);

}  // namespace fleetsim

#include "sim/engine/step/detailed_step.hpp"

#include <stdexcept>

#include <simgrid/s4u/Engine.hpp>
#include <xbt/log.h>

#include "sim/engine/step/step_run.hpp"

namespace fleetsim {

std::string detailed_step_problem(const DetailedStepInput& input) {
  const std::string plan = training::plan_problem(input.model, input.plan, input.machine);
  if (!plan.empty()) return plan;
  if (input.steps < 1) return "steps must be at least 1";
  return "";
}

double job_nodes_power_w(const training::Machine& machine, int gpus, double utilization, double cap_w) {
  const hw::NodeSpec& node = machine.node;
  const int nodes = node.nodes_for(gpus);
  const double idle_gpus = double(nodes) * node.gpus - gpus;
  return nodes * node.base_w + gpus * (node.base_extra_per_gpu_w(utilization) + machine.gpu.power_w(utilization, cap_w)) +
         idle_gpus * machine.gpu.idle_w;
}

DetailedStep simulate_training_steps(const DetailedStepInput& input) {
  static bool engine_used = false;  // SimGrid allows one engine per process
  if (engine_used) throw std::logic_error("simulate_training_steps: one SimGrid engine per process");
  engine_used = true;
  const std::string problem = detailed_step_problem(input);
  if (!problem.empty()) throw std::logic_error("simulate_training_steps: " + problem);

  simgrid::s4u::Engine engine("fleetsim-step");
  xbt_log_control_set("root.thres:critical");
  // Links taken literally: a flow of b bytes over links of bandwidth B and latencies L takes sum(L) + b / min(B)
  // alone, and flows share bandwidth max-min fairly (CM02, without LV08's latency and bandwidth factors, TCP's
  // window limit or the reverse traffic of acknowledgements).
  for (const char* setting : {"network/model:CM02", "network/latency-factor:1", "network/bandwidth-factor:1",
                              "network/weight-S:0", "network/TCP-gamma:0", "network/crosstraffic:0"})
    simgrid::s4u::Engine::set_config(setting);

  const training::ChunkCosts costs = training::chunk_costs(input.model, input.plan, input.machine);
  const training::JobLayout layout(input.plan, input.machine.node.gpus, input.machine.domain_gpus());
  StepFabric fabric = step_fabric(input.machine);
  fabric.reduce_by_symmetry = input.reduce_by_symmetry;
  StepRun run(input, costs, layout, fabric);
  run.run();

  DetailedStep out = run.measured();
  const double stages = input.plan.parallelism.pp;
  const double steps = input.steps;
  out.steps = input.steps;
  out.step_time_s = run.span_s() / steps;
  out.compute_s = run.compute_s() / stages / steps;
  out.exposed_comm_s = run.comm_s() / stages / steps;
  out.bubble_s = out.step_time_s - out.compute_s - out.exposed_comm_s;
  const double tokens = input.plan.tokens_per_step();
  out.tokens_per_s = tokens / out.step_time_s;
  out.mfu = training::model_flops_per_token(input.model, input.plan.sequence_length) * tokens /
            (out.step_time_s * input.plan.gpus * training::peak_flops(input.machine.gpu, input.plan.precision));
  const int gpus = input.plan.gpus;
  out.power_w.compute_w = job_nodes_power_w(input.machine, gpus, kComputeUtilization, input.power_cap_w);
  out.power_w.exposed_comm_w = job_nodes_power_w(input.machine, gpus, kCommunicationUtilization, input.power_cap_w);
  out.power_w.bubble_w = job_nodes_power_w(input.machine, gpus, kBubbleUtilization, input.power_cap_w);
  return out;
}

}  // namespace fleetsim

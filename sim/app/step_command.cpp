// `fleetsim step`: one training job's steps in detailed mode (sim/engine/step/detailed_step.hpp), on the hardware
// of its campus's cluster, with fleet mode's step time beside it.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "sim/app/commands.hpp"
#include "sim/app/scenario_input.hpp"
#include "sim/core/name_list.hpp"
#include "sim/core/toml_reader.hpp"
#include "sim/engine/step/detailed_step.hpp"
#include "sim/training/machine.hpp"

namespace fleetsim {

namespace po = boost::program_options;

namespace {

constexpr long long kMaxSteps = 1000000;

// The [[job]] named `name`, a training run.
const JobConfig& training_job(const Scenario& scenario, const std::string& name) {
  const JobConfig* job = nullptr;
  std::vector<std::string> training_jobs;
  for (const JobConfig& candidate : scenario.jobs) {
    if (candidate.training) training_jobs.push_back(candidate.name);
    if (candidate.name == name) job = &candidate;
  }
  const std::string known = "training jobs: " + (training_jobs.empty() ? "none" : join_names(training_jobs));
  const SourcePosition where{scenario.path, 0};
  if (!job) throw InputError(where, "--job", "no [[job]] of that name (" + known + ")", quoted(escaped(name)));
  if (!job->training)
    throw InputError(where, "job." + name + ".model", "required by fleetsim step: the job is not a training run (" + known + ")");
  return *job;
}

// The cluster a training job runs on: the first of its campus (training jobs need the clusters of a campus to be
// of one kind: read_training).
const ClusterConfig& job_cluster(const Scenario& scenario, const JobConfig& job) {
  return scenario.campuses[scenario.campus_index(job.campus)].clusters.front();
}

// The job's detailed-mode input: its plan and model on its cluster's nodes and fabric, under the cluster's power cap.
DetailedStepInput step_input(const Scenario& scenario, const JobConfig& job, int steps) {
  const ClusterConfig& cluster = job_cluster(scenario, job);
  const hw::NodeSpec& node = *scenario.hardware.find_node(cluster.node);
  const hw::FabricSpec* fabric = cluster.fabric.empty() ? nullptr : scenario.hardware.find_fabric(cluster.fabric);
  DetailedStepInput input;
  input.model = *scenario.hardware.find_model(job.training->model);
  input.plan = job.training->plan;
  input.machine = training::machine_for(scenario.hardware, node, fabric, cluster.power_cap_w);
  input.power_cap_w = cluster.power_cap_w;
  input.steps = steps;
  const std::string problem = detailed_step_problem(input);
  if (!problem.empty()) throw InputError({scenario.path, 0}, "job." + job.name + ".parallelism", problem);
  return input;
}

void print_json(const DetailedStep& step) {
  std::printf(
      "{\"step_time_s\": %.10g, \"compute_s\": %.10g, \"exposed_comm_s\": %.10g, \"bubble_s\": %.10g, \"mfu\": %.10g, "
      "\"tokens_per_s\": %.10g, \"power_w\": {\"compute\": %.10g, \"exposed_comm\": %.10g, \"bubble\": %.10g}}\n",
      step.step_time_s, step.compute_s, step.exposed_comm_s, step.bubble_s, step.mfu, step.tokens_per_s,
      step.power_w.compute_w, step.power_w.exposed_comm_w, step.power_w.bubble_w);
}

void print_table(const DetailedStepInput& input, const DetailedStep& step, const std::string& job,
                 const std::string& fabric, double fleet_step_s, double wall_s) {
  const training::Parallelism& p = input.plan.parallelism;
  const double share = 100 / step.step_time_s;
  std::printf("%s: %s on %d GPUs (%d x %s, %s), tp %d pp %d cp %d ep %d vp %d, dp %d, %lld micro-batches\n",
              job.c_str(), input.model.id.c_str(), input.plan.gpus, input.machine.node.nodes_for(input.plan.gpus),
              input.machine.node.id.c_str(), fabric.empty() ? "no fabric" : fabric.c_str(), p.tp, p.pp, p.cp,
              p.ep, p.vp, input.plan.data_parallel(), input.plan.microbatches());
  // What else shapes the step: precision, FP8 weights, the overlaps and the software stack's kernel efficiency.
  std::printf("  %s%s%s%s", training::to_string(input.plan.precision), input.plan.fp8_params ? ", fp8 weights" : "",
              input.plan.tp_comm_overlap ? ", TP overlap" : "", input.plan.p2p_comm_overlap ? ", pipeline-send overlap" : "");
  if (input.plan.kernel_efficiency != 1) std::printf(", kernel_efficiency %.4g", input.plan.kernel_efficiency);
  std::printf("\n");
  std::printf("  step_time_s     %10.4f   (fleet mode %.4f, %+.1f %%)\n", step.step_time_s, fleet_step_s,
              100 * (fleet_step_s / step.step_time_s - 1));
  std::printf("  compute_s       %10.4f   %5.1f %%\n", step.compute_s, step.compute_s * share);
  std::printf("  exposed_comm_s  %10.4f   %5.1f %%\n", step.exposed_comm_s, step.exposed_comm_s * share);
  std::printf("  bubble_s        %10.4f   %5.1f %%\n", step.bubble_s, step.bubble_s * share);
  std::printf("  mfu             %10.4f\n", step.mfu);
  std::printf("  tokens_per_s    %10.0f\n", step.tokens_per_s);
  std::printf("  power_w         compute %.0f, exposed_comm %.0f, bubble %.0f (the job's %d nodes)\n", step.power_w.compute_w,
              step.power_w.exposed_comm_w, step.power_w.bubble_w, input.machine.node.nodes_for(input.plan.gpus));
  std::printf("  simulated: %d step(s); one TP collective %.3g ms, one EP all-to-all %.3g ms, one CP ring step %.3g ms; "
              "%lld flows on %zu hosts; %.2f s wall\n",
              step.steps, step.tp_collective_s * 1e3, step.ep_all_to_all_s * 1e3, step.cp_ring_step_s * 1e3, step.flows,
              step.hosts, wall_s);
}

}  // namespace

int step_command(const std::vector<std::string>& args) {
  po::options_description options("fleetsim step options");
  add_scenario_options(options);
  options.add_options()
      ("job", po::value<std::string>()->value_name("NAME"), "the training job ([[job]] with a model) to simulate")
      ("steps", po::value<long long>()->value_name("N")->default_value(1), "steps to simulate (the mean is reported)")
      ("json", "print exactly step_time_s, compute_s, exposed_comm_s, bubble_s, mfu, tokens_per_s, power_w as JSON")
      ("all-flows", "simulate every rail's, ring hop's and replica's flows instead of one by symmetry (slower; a check)");
  po::variables_map values;
  if (!parse_command_line(args, "usage: fleetsim step SCENARIO.toml --job NAME [--steps N] [--json] [--all-flows] [--set KEY=VALUE]...",
                          options, values))
    return kExitOk;
  if (!values.count("job")) throw po::error("missing --job NAME");
  const long long steps = values["steps"].as<long long>();
  if (steps < 1 || steps > kMaxSteps)
    throw InputError({"--steps", 0}, "--steps", "must be between 1 and " + std::to_string(kMaxSteps), std::to_string(steps));
  const Scenario scenario = load_scenario(scenario_request(values));
  const JobConfig& job = training_job(scenario, values["job"].as<std::string>());
  DetailedStepInput input = step_input(scenario, job, static_cast<int>(steps));
  input.reduce_by_symmetry = !values.count("all-flows");
  const auto start = std::chrono::steady_clock::now();
  const DetailedStep step = simulate_training_steps(input);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (values.count("json")) {
    print_json(step);
  } else {
    const double fleet_step_s = training::step_time(input.model, input.plan, input.machine).step_time_s;
    print_table(input, step, job.name, job_cluster(scenario, job).fabric, fleet_step_s, wall_s);
  }
  return kExitOk;
}

}  // namespace fleetsim

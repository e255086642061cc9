#include "sim/scenario/time_point_reader.hpp"
#include "sim/scenario/arrival_reader.hpp"
#include "sim/scenario/workload_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/core/duration.hpp"
#include "sim/core/name_list.hpp"
#include "sim/scenario/dispatch_reader.hpp"
#include "sim/scenario/trace_formats.hpp"
#include "sim/training/machine.hpp"

namespace fleetsim {

namespace {

const CampusConfig& known_campus(TomlReader& reader, const Scenario& scenario, const std::string& key) {
  const std::string name = reader.string(key);
  int index = scenario.campus_index(name);
  if (index < 0)
    reader.fail(key,
                "unknown campus (known: " + join_names(scenario.campuses, [](const auto& c) { return c.name; }) + ")",
                quoted(name));
  return scenario.campuses[index];
}

double utilization_value(TomlReader& reader, const std::string& key, const toml::node& node) {
  if (!node.is_number()) reader.fail(key, "must be a number in [0, 1]", describe(node));
  double value = *number_of(node);
  if (!(value >= 0 && value <= 1)) reader.fail(key, "must be in [0, 1]", describe(node));
  return value;
}

// { values = [...], weights = [...] } (weights optional, equal by default). Values must be integers in
// [1, 2^31) when `integers`, else numbers in [0, 1].
DiscreteChoice read_choice(TomlReader& sub, bool integers) {
  DiscreteChoice choice;
  const toml::node* values = sub.node("values");
  const char* what = integers ? "must be a non-empty array of integers" : "must be a non-empty array of numbers in [0, 1]";
  if (!values || !values->is_array() || values->as_array()->empty()) sub.fail("values", what, values ? describe(*values) : "");
  for (const toml::node& value : *values->as_array()) {
    const bool ok = integers ? value.is_integer() && *value.value<std::int64_t>() > 0 &&
                                   *value.value<std::int64_t>() <= 2147483647
                             : value.is_number() && *number_of(value) >= 0 && *number_of(value) <= 1;
    if (!ok) sub.fail("values", integers ? "must be integers in [1, 2147483647]" : "must be numbers in [0, 1]", describe(value));
    choice.values.push_back(*number_of(value));
  }
  if (const toml::node* weights = sub.node("weights")) {
    if (!weights->is_array()) sub.fail("weights", "must be an array of numbers", describe(*weights));
    for (const toml::node& weight : *weights->as_array()) {
      if (!weight.is_number() || *number_of(weight) < 0)
        sub.fail("weights", "must be numbers >= 0", describe(weight));
      choice.weights.push_back(*number_of(weight));
    }
    if (choice.weights.size() != choice.values.size())
      sub.fail("weights", "must have one weight per value (" + std::to_string(choice.values.size()) + ")",
               std::to_string(choice.weights.size()) + " weights");
    double total = 0;
    for (double w : choice.weights) total += w;
    if (!(total > 0)) sub.fail("weights", "must not all be zero");
  } else {
    choice.weights.assign(choice.values.size(), 1.0);
  }
  sub.finish();
  return choice;
}

DiscreteChoice read_gpu_choice(TomlReader& reader) {
  const toml::node* node = reader.node("gpus");
  if (!node) reader.fail("gpus", "required key is missing");
  if (node->is_integer()) return {{static_cast<double>(reader.positive_integer("gpus"))}, {1.0}};
  const toml::table* table = node->as_table();
  if (!table) reader.fail("gpus", "must be an integer or { values = [...], weights = [...] }", describe(*node));
  TomlReader sub = reader.child(*table, "gpus");
  return read_choice(sub, true);
}

DurationDistribution read_duration_distribution(TomlReader& reader) {
  const toml::node* node = reader.node("duration");
  if (!node) reader.fail("duration", "required key is missing");
  DurationDistribution distribution;
  if (node->is_string()) {
    distribution.kind = DurationDistribution::Kind::fixed;
    distribution.median_s = reader.positive_duration_s("duration");
    return distribution;
  }
  const toml::table* table = node->as_table();
  if (!table)
    reader.fail("duration", "must be a duration or { distribution = \"lognormal\", ... }", describe(*node));
  TomlReader sub = reader.child(*table, "duration");
  const std::string kind = sub.string("distribution");
  if (kind == "lognormal") {
    distribution.kind = DurationDistribution::Kind::lognormal;
    distribution.median_s = sub.positive_duration_s("median");
    distribution.sigma = sub.number_at_least("sigma", 0.0);
  } else if (kind == "exponential") {
    distribution.kind = DurationDistribution::Kind::exponential;
    distribution.median_s = sub.positive_duration_s("mean");
  } else if (kind == "fixed") {
    distribution.kind = DurationDistribution::Kind::fixed;
    distribution.median_s = sub.positive_duration_s("value");
  } else if (kind == "uniform") {
    distribution.kind = DurationDistribution::Kind::uniform;
    distribution.min_s = sub.positive_duration_s("min");
    distribution.max_s = sub.positive_duration_s("max");
    if (distribution.max_s < distribution.min_s) sub.fail("max", "must be >= min");
  } else {
    sub.fail("distribution", "unknown distribution (known: lognormal, exponential, fixed, uniform)", quoted(kind));
  }
  sub.finish();
  return distribution;
}

// A number, { min, max } (uniform) or { values, weights } (an empirical mix, e.g. from a trace's CDF).
UtilizationDistribution read_utilization(TomlReader& reader) {
  const toml::node* node = reader.node("gpu_utilization");
  UtilizationDistribution distribution;
  if (!node) return distribution;
  if (node->is_number()) {
    double value = utilization_value(reader, "gpu_utilization", *node);
    distribution.range = {value, value};
    return distribution;
  }
  const toml::table* table = node->as_table();
  if (!table)
    reader.fail("gpu_utilization", "must be a number, { min = .., max = .. } or { values = [..], weights = [..] }",
                describe(*node));
  TomlReader sub = reader.child(*table, "gpu_utilization");
  if (table->contains("values")) {
    distribution.choice = read_choice(sub, false);
    return distribution;
  }
  UniformRange& range = distribution.range;
  for (const char* key : {"min", "max"}) {
    const toml::node* bound = sub.node(key);
    if (!bound) sub.fail(key, "required key is missing");
    (std::string(key) == "min" ? range.min : range.max) = utilization_value(sub, key, *bound);
  }
  if (range.max < range.min) sub.fail("max", "must be >= min");
  sub.finish();
  return distribution;
}
}  // namespace

long long largest_job_gpus(const Scenario& scenario, const CampusConfig& campus) {
  long long largest = 0;
  for (const ClusterConfig& cluster : campus.clusters) {
    const hw::NodeSpec* node = scenario.hardware.find_node(cluster.node);
    largest = std::max(largest, static_cast<long long>(node->gpus) * cluster.nodes);
  }
  return largest;
}

long long campus_gpus(const Scenario& scenario, const CampusConfig& campus) {
  long long installed = 0;
  for (const ClusterConfig& cluster : campus.clusters)
    installed += static_cast<long long>(scenario.hardware.find_node(cluster.node)->gpus) * cluster.nodes;
  return installed;
}

// checkpoint = { interval = "30min" | "auto", write = "60s" } and restart = "10min", in [[job]] and [[workload]].
CheckpointConfig read_checkpoint(TomlReader& reader) {
  CheckpointConfig checkpoint;
  if (const toml::table* table = reader.optional_table("checkpoint")) {
    TomlReader sub = reader.child(*table, "checkpoint");
    const toml::node* interval = sub.node("interval");
    if (interval && interval->is_string() && *interval->value<std::string>() == "auto")
      checkpoint.auto_interval = true;
    else if (interval && interval->is_string() && !parse_duration_s(*interval->value<std::string>()))
      sub.fail("interval", "must be a duration like \"30min\" or \"auto\"", sub.got("interval"));
    else
      checkpoint.interval_s = sub.optional_duration_s("interval").value_or(0);
    if (sub.node("write")) checkpoint.write_s = sub.optional_duration_s("write").value_or(0);
    if (sub.node("async")) {
      checkpoint.async_fraction = sub.number_at_least("async", 0.0);
      if (checkpoint.async_fraction > 1) sub.fail("async", "must be in [0, 1]", sub.got("async"));
    }
    sub.finish();
  }
  checkpoint.restart_s = reader.optional_duration_s("restart").value_or(0);
  if (reader.node("max_restarts")) checkpoint.max_restarts = static_cast<int>(reader.positive_integer("max_restarts", 1'000'000) );
  return checkpoint;
}

// A training run's plan (issue 12's contract: model, gpus, sequence_length, global_batch_size, tokens | steps,
// precision, parallelism = {tp, pp, cp, ep, vp}; also micro_batch_size, recompute, sharding, reduce_in_fp32,
// fp8_params, tp_comm_overlap, p2p_comm_overlap, kernel_efficiency, balanced_pipeline), not yet placed on a campus
// (place_training).
TrainingJobConfig read_training(TomlReader& reader, const Scenario& scenario, int gpus) {
  TrainingJobConfig training;
  training.model = reader.string("model");
  const hw::ModelSpec* model = scenario.hardware.find_model(training.model);
  if (!model)
    reader.fail("model", "unknown model (known: " + hw::known_ids(scenario.hardware.models()) + ")", reader.got("model"));
  training::TrainingPlan& plan = training.plan;
  plan.gpus = gpus;
  plan.sequence_length = reader.positive_integer("sequence_length", 1 << 24);
  plan.global_batch_size = reader.positive_integer("global_batch_size", 1 << 30);
  if (reader.node("micro_batch_size")) plan.micro_batch_size = static_cast<int>(reader.positive_integer("micro_batch_size", 1 << 20));
  plan.precision = optional_choice(reader, "precision",
                               {{"bf16", training::Precision::bf16}, {"fp8", training::Precision::fp8},
                                {"fp4", training::Precision::fp4}},
                               training::Precision::bf16);
  plan.recompute = optional_choice(reader, "recompute", {{"none", training::Recompute::none}, {"full", training::Recompute::full}},
                               training::Recompute::none);
  plan.sharding = optional_choice(reader, "sharding",
                              {{"none", training::Sharding::none}, {"optimizer", training::Sharding::optimizer},
                               {"gradients", training::Sharding::gradients}},
                              training::Sharding::optimizer);
  plan.reduce_in_fp32 = reader.optional_bool("reduce_in_fp32").value_or(false);
  plan.fp8_params = reader.optional_bool("fp8_params").value_or(false);
  if (plan.fp8_params && plan.precision != training::Precision::fp8)
    reader.fail("fp8_params", "needs precision = \"fp8\" (FP8 weights feed FP8 GEMMs)", reader.got("fp8_params"));
  plan.tp_comm_overlap = reader.optional_bool("tp_comm_overlap").value_or(false);
  plan.p2p_comm_overlap = reader.optional_bool("p2p_comm_overlap").value_or(false);
  if (reader.node("kernel_efficiency")) {
    plan.kernel_efficiency = reader.number("kernel_efficiency");
    if (!(plan.kernel_efficiency >= training::kMinKernelEfficiency && plan.kernel_efficiency <= training::kMaxKernelEfficiency))
      reader.fail("kernel_efficiency",
                  "must be in [" + format_number(training::kMinKernelEfficiency) + ", " +
                      format_number(training::kMaxKernelEfficiency) + "]: the share of the catalog's fitted kernel rates",
                  reader.got("kernel_efficiency"));
  }
  plan.balanced_pipeline = reader.optional_bool("balanced_pipeline").value_or(false);
  if (const toml::table* table = reader.optional_table("parallelism")) {
    TomlReader sub = reader.child(*table, "parallelism");
    for (auto [key, field] : {std::pair{"tp", &plan.parallelism.tp}, std::pair{"pp", &plan.parallelism.pp},
                              std::pair{"cp", &plan.parallelism.cp}, std::pair{"ep", &plan.parallelism.ep},
                              std::pair{"vp", &plan.parallelism.vp}})
      if (sub.node(key)) *field = static_cast<int>(sub.positive_integer(key, 1 << 20));
    sub.finish();
  }
  // Megatron-LM overlaps pipeline sends only in the interleaved schedule (NeMo: "valid only when
  // virtual_pipeline_model_parallel_size is larger than 1").
  if (plan.p2p_comm_overlap && plan.parallelism.vp < 2)
    reader.fail("p2p_comm_overlap", "needs the interleaved schedule (parallelism.vp > 1), as in Megatron-LM",
                reader.got("p2p_comm_overlap"));
  const bool has_tokens = reader.node("tokens") != nullptr, has_steps = reader.node("steps") != nullptr;
  if (has_tokens == has_steps) reader.fail(has_tokens ? "steps" : "model", "a training job needs exactly one of tokens and steps");
  if (has_steps) {
    training.steps = reader.positive_integer("steps", std::int64_t(1) << 40);
  } else {
    const double tokens = reader.positive_number("tokens");
    const double steps = std::ceil(tokens / plan.tokens_per_step());
    if (!(steps <= double(std::int64_t(1) << 40))) reader.fail("tokens", "more than 2^40 steps", reader.got("tokens"));
    training.steps = static_cast<long long>(steps);
  }
  return training;
}

// The plan on each cluster of `campus`: its step time there (uncapped and under the cluster's cap), and the speed
// the engine runs it at. Work is steps x the step time on the first cluster the plan fits (the reference); on a
// cluster c the speed is reference / step_c, and under a cap of relative compute throughput r the engine's rate is
// speed / (f / r + 1 - f), with f (the compute share) chosen so that the rate at c's cap gives its capped step time
// exactly. Returns "" if the plan fits at least one cluster, else why it fits none (the first cluster's problem).
const training::StepBreakdown& StepTimeCache::step(const hw::ModelSpec& model, const training::TrainingPlan& plan,
                                                   const training::Machine& machine, const std::string& hardware_key) {
  const training::Parallelism& p = plan.parallelism;
  std::string key = model.id + '|' + hardware_key;
  for (long long value : {static_cast<long long>(plan.gpus), plan.sequence_length, plan.global_batch_size,
                          static_cast<long long>(plan.micro_batch_size), static_cast<long long>(plan.precision),
                          static_cast<long long>(plan.recompute), static_cast<long long>(plan.sharding),
                          static_cast<long long>(plan.reduce_in_fp32), static_cast<long long>(plan.fp8_params),
                          static_cast<long long>(plan.balanced_pipeline), static_cast<long long>(plan.tp_comm_overlap),
                          static_cast<long long>(plan.p2p_comm_overlap), static_cast<long long>(p.tp),
                          static_cast<long long>(p.pp), static_cast<long long>(p.cp), static_cast<long long>(p.ep),
                          static_cast<long long>(p.vp)})
    key += '|' + std::to_string(value);
  char efficiency[32];
  std::snprintf(efficiency, sizeof efficiency, "|%.17g", plan.kernel_efficiency);
  key += efficiency;
  auto found = steps_.find(key);
  if (found != steps_.end()) return found->second;
  ++evaluations_;
  return steps_.emplace(key, training::step_time(model, plan, machine)).first->second;
}

std::string place_training(TrainingJobConfig& training, const Scenario& scenario, const CampusConfig& campus,
                           StepTimeCache& cache) {
  const hw::ModelSpec& model = *scenario.hardware.find_model(training.model);
  training.on_cluster.assign(campus.clusters.size(), {});
  training.speeds.assign(campus.clusters.size(), ClusterSpeed{1, 1, false});
  std::vector<training::StepBreakdown> steps(campus.clusters.size());
  std::vector<double> compute_rates(campus.clusters.size(), 1.0);
  training.step_time_s = 0;
  for (std::size_t c = 0; c < campus.clusters.size(); ++c) {
    const ClusterConfig& cluster = campus.clusters[c];
    TrainingJobConfig::OnCluster& here = training.on_cluster[c];
    const hw::NodeSpec* node = scenario.hardware.find_node(cluster.node);
    const hw::FabricSpec* fabric = cluster.fabric.empty() ? nullptr : scenario.hardware.find_fabric(cluster.fabric);
    const training::Machine machine = training::machine_for(scenario.hardware, *node, fabric, 0);
    here.problem = training::plan_problem(model, training.plan, machine);
    if (!here.problem.empty()) {
      here.problem += " (cluster " + cluster.name + ", " + node->id + ")";
      continue;
    }
    // The hardware the step depends on, by catalog id (unique within one scenario) and cap.
    const std::string hardware = cluster.node + '|' + cluster.fabric + '|';
    steps[c] = cache.step(model, training.plan, machine, hardware + "uncapped");
    here.step_time_s = steps[c].step_time_s;
    here.mfu = steps[c].mfu;
    here.peak_flops = training::peak_flops(machine.gpu, training.plan.precision);
    const training::Machine capped = training::machine_for(scenario.hardware, *node, fabric, cluster.power_cap_w);
    here.capped_step_time_s =
        cluster.power_cap_w > 0
            ? cache.step(model, training.plan, capped, hardware + std::to_string(cluster.power_cap_w)).step_time_s
            : here.step_time_s;
    const training::StepBreakdown& phases =
        cluster.power_cap_w > 0 ? cache.step(model, training.plan, capped, hardware + std::to_string(cluster.power_cap_w))
                                : steps[c];
    here.compute_s = phases.compute_s;
    here.bubble_s = phases.bubble_s;
    here.exposed_comm_s = phases.exposed_comm_s;
    compute_rates[c] = capped.compute_rate;
    if (training.step_time_s == 0) {
      training.step_time_s = here.step_time_s;
      training.model_flops_per_token = steps[c].model_flops_per_step / steps[c].tokens_per_step;
    }
  }
  if (training.step_time_s == 0) return training.on_cluster.front().problem;
  for (std::size_t c = 0; c < campus.clusters.size(); ++c) {
    const TrainingJobConfig::OnCluster& here = training.on_cluster[c];
    if (!here.problem.empty()) continue;
    const double r = compute_rates[c];
    const double f = r < 1 ? std::clamp((here.capped_step_time_s / here.step_time_s - 1) / (1 / r - 1), 0.0, 1.0) : 1.0;
    training.speeds[c] = ClusterSpeed{training.step_time_s / here.step_time_s, f, true};
  }
  return "";
}

JobConfig read_job(TomlReader& reader, const Scenario& scenario, StepTimeCache& steps) {
  JobConfig job;
  job.name = reader.name("name", kJobNameMaxBytes);
  CampusChoice choice = read_campus_choice(reader, scenario);
  if (choice.campus < 0 && !choice.dispatch) reader.fail("campus", "required key is missing (a campus, \"any\", a list, or region)");
  job.dispatch = std::move(choice.dispatch);
  // Where it may go: its campus, or its candidates in the order written (the first that fits is its home).
  const std::vector<int> places = job.dispatch ? choice.listed : std::vector<int>{choice.campus};
  job.gpus = static_cast<int>(reader.positive_integer("gpus"));  // <= INT32_MAX
  long long largest = 0;
  for (int c : places) largest = std::max(largest, largest_job_gpus(scenario, scenario.campuses[c]));
  if (job.gpus > largest) {
    const std::string where = job.dispatch ? "every campus it may go to" : "every cluster of campus " + scenario.campuses[places.front()].name;
    reader.fail("gpus", "larger than " + where + " (largest holds " + std::to_string(largest) + " GPUs)", reader.got("gpus"));
  }
  job.submit_s = read_time_point_s(reader, "submit", scenario.simulation.calendar).value_or(0);
  int home = -1;
  if (reader.node("model")) {
    if (reader.node("duration"))
      reader.fail("duration", "a training job (with model) takes the time its steps take: give tokens or steps instead",
                  reader.got("duration"));
    const TrainingJobConfig plan = read_training(reader, scenario, job.gpus);
    if (job.dispatch) job.training_on_campus.resize(scenario.campuses.size());
    std::string first_problem;
    for (int c : places) {
      const CampusConfig& campus = scenario.campuses[c];
      if (job.gpus > largest_job_gpus(scenario, campus)) continue;
      TrainingJobConfig here = plan;
      const std::string problem = place_training(here, scenario, campus, steps);
      if (first_problem.empty()) first_problem = problem;
      if (!problem.empty()) continue;
      if (home < 0) {
        home = c;
        job.training = here;
      }
      if (job.dispatch) job.training_on_campus[c] = std::move(here);
    }
    if (home < 0) reader.fail("model", first_problem, reader.got("model"));
    job.duration_s = double(job.training->steps) * job.training->step_time_s;
  } else {
    for (int c : places)
      if (home < 0 && job.gpus <= largest_job_gpus(scenario, scenario.campuses[c])) home = c;
    job.duration_s = reader.positive_duration_s("duration");
  }
  job.campus = scenario.campuses[home].name;
  if (job.dispatch && job.dispatch->data_campus < 0 && job.dispatch->dataset_bytes > 0)
    job.dispatch->data_campus = home;
  if (reader.node("estimate")) job.estimate_s = reader.positive_duration_s("estimate");
  job.priority = static_cast<int>(reader.optional_integer("priority").value_or(0));
  if (const toml::node* utilization = reader.node("gpu_utilization"))
    job.gpu_utilization = utilization_value(reader, "gpu_utilization", *utilization);
  job.checkpoint = read_checkpoint(reader);
  reader.finish();
  return job;
}

namespace {
UniformRange read_estimate_factor(TomlReader& reader) {
  UniformRange factor{1.0, 1.0};
  if (const toml::table* estimate = reader.optional_table("runtime_estimate")) {
    TomlReader sub = reader.child(*estimate, "runtime_estimate");
    factor.min = sub.positive_number("factor_min");
    factor.max = sub.positive_number("factor_max");
    if (factor.max < factor.min) sub.fail("factor_max", "must be >= factor_min", sub.got("factor_max"));
    sub.finish();
  }
  return factor;
}

TraceWorkloadConfig read_trace_workload(TomlReader& reader, const Scenario& scenario, std::size_t index) {
  TraceWorkloadConfig trace;
  trace.index = index;
  trace.name = reader.node("name") ? reader.name("name", kJobNameMaxBytes - 20) : "t" + std::to_string(index);
  trace.format = reader.string("format");
  const auto formats = trace_formats();
  if (std::find(formats.begin(), formats.end(), trace.format) == formats.end())
    reader.fail("format", "unknown trace format (known: " + join_names(formats) + ")", reader.got("format"));
  trace.path = scenario.resolve_path(reader.string("path"));
  if (!std::ifstream(trace.path)) reader.fail("path", "cannot open trace file " + trace.path, reader.got("path"));
  // A directory opens but reads as nothing, a device (/dev/zero) never ends: a trace is a regular file.
  std::error_code error;
  if (!std::filesystem::is_regular_file(trace.path, error))
    reader.fail("path", "not a regular file: " + trace.path, reader.got("path"));
  trace.campus = known_campus(reader, scenario, "campus").name;
  trace.start_s = read_time_point_s(reader, "start", scenario.simulation.calendar).value_or(0);
  if (reader.node("time_scale")) trace.time_scale = reader.positive_number("time_scale");
  if (reader.node("sample_fraction")) {
    trace.sample_fraction = reader.positive_number("sample_fraction");
    if (trace.sample_fraction > 1) reader.fail("sample_fraction", "must be in (0, 1]", reader.got("sample_fraction"));
  }
  if (reader.node("max_jobs")) trace.max_jobs = reader.positive_integer("max_jobs", 100'000'000);
  if (reader.node("gpus_per_unit")) trace.gpus_per_unit = reader.positive_number("gpus_per_unit");
  if (reader.node("fixed_duration")) trace.fixed_duration_s = reader.positive_duration_s("fixed_duration");
  if (reader.node("inflate_to")) {
    trace.inflate_to = reader.positive_number("inflate_to");
    if (trace.inflate_to > kMaxInflation)
      reader.fail("inflate_to", "must be in (0, " + std::to_string(static_cast<int>(kMaxInflation)) +
                                    "] (a multiple of the campus's installed GPUs)",
                  reader.got("inflate_to"));
  }
  trace.skip_bad_rows = reader.optional_bool("skip_bad_rows").value_or(false);
  trace.gpu_utilization = read_utilization(reader);
  trace.estimate_factor = read_estimate_factor(reader);
  if (const toml::table* models = reader.optional_table("gpu_models")) {
    TomlReader sub = reader.child(*models, "gpu_models");
    const CampusConfig& campus = scenario.campuses[scenario.campus_index(trace.campus)];
    for (const auto& [key, value] : *models) {
      const std::string model(key.str());
      const std::string gpu = sub.string(model);
      bool used = false;
      for (const ClusterConfig& cluster : campus.clusters) used |= scenario.hardware.find_node(cluster.node)->gpu == gpu;
      if (!used) sub.fail(model, "no cluster of campus " + campus.name + " has this GPU", sub.got(model));
      trace.gpu_models[model] = gpu;
    }
    sub.finish();
  }
  if (const toml::table* classes = reader.optional_table("qos_priority")) {
    TomlReader sub = reader.child(*classes, "qos_priority");
    for (const auto& [key, value] : *classes) trace.qos_priority[std::string(key.str())] = static_cast<int>(sub.integer(std::string(key.str())));
    sub.finish();
  }
  trace.checkpoint = read_checkpoint(reader);
  reader.finish();
  return trace;
}
}  // namespace

namespace {
// training = [{ weight = 0.6, model = "...", gpus = 64, ... }, ...]: each entry a training run's keys as in [[job]]
// (without name, campus, submit), placed on every campus the workload may send it to.
std::vector<TrainingMixEntry> read_training_mix(TomlReader& reader, const Scenario& scenario,
                                                const std::vector<bool>& allowed, StepTimeCache& steps) {
  std::vector<TrainingMixEntry> mix;
  const auto entries = reader.table_array("training");
  if (entries.empty()) reader.fail("training", "must be a non-empty array of training runs", reader.got("training"));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    TomlReader entry = reader.element(*entries[i], "training", i);
    TrainingMixEntry kind;
    kind.weight = entry.node("weight") ? entry.positive_number("weight") : 1.0;
    kind.gpus = static_cast<int>(entry.positive_integer("gpus"));
    const TrainingJobConfig plan = read_training(entry, scenario, kind.gpus);
    std::string first_problem;
    bool placed = false;
    for (std::size_t c = 0; c < scenario.campuses.size(); ++c) {
      const CampusConfig& campus = scenario.campuses[c];
      std::optional<TrainingJobConfig>& here = kind.on_campus.emplace_back();
      if (!allowed[c]) continue;
      std::string problem;
      if (kind.gpus > largest_job_gpus(scenario, campus)) {
        problem = "larger than every cluster of campus " + campus.name;
      } else {
        here = plan;
        problem = place_training(*here, scenario, campus, steps);
        if (!problem.empty()) here.reset();
      }
      if (first_problem.empty()) first_problem = problem;
      placed |= here.has_value();
    }
    if (!placed) entry.fail("model", "fits no campus the workload may send it to: " + first_problem, entry.got("model"));
    entry.finish();
    mix.push_back(std::move(kind));
  }
  return mix;
}

// Workload names prefix their jobs' names: two workloads of one name would give jobs of the same name.
void require_new_workload_name(TomlReader& reader, const Scenario& scenario, const std::string& name) {
  bool taken = false;
  for (const SyntheticWorkloadConfig& workload : scenario.workloads) taken |= workload.name == name;
  for (const TraceWorkloadConfig& trace : scenario.traces) taken |= trace.name == name;
  if (taken) reader.fail("name", "duplicate workload name (it prefixes its jobs' names)", quoted(name));
}
}  // namespace

void read_workload(TomlReader& reader, Scenario& scenario, std::size_t index, StepTimeCache& steps) {
  const std::string kind = reader.string("kind");
  if (kind == "trace") {
    TraceWorkloadConfig trace = read_trace_workload(reader, scenario, index);
    require_new_workload_name(reader, scenario, trace.name);
    scenario.traces.push_back(std::move(trace));
    return;
  }
  if (kind != "synthetic") reader.fail("kind", "unknown workload kind (known: synthetic, trace)", quoted(kind));
  SyntheticWorkloadConfig workload;
  workload.index = index;
  // Generated names are <name>-<n>, n < 1e8: leave room for the suffix.
  workload.name = reader.node("name") ? reader.name("name", kJobNameMaxBytes - 9) : "w" + std::to_string(index);
  workload.jobs = static_cast<int>(reader.positive_integer("jobs", 100'000'000));
  const std::string arrival = reader.optional_string("arrival").value_or("poisson");
  if (arrival != "poisson") reader.fail("arrival", "unknown arrival process (known: poisson)", quoted(arrival));
  workload.rate_per_h = reader.positive_number("rate_per_h");
  workload.arrival = read_arrival_profile(reader, scenario.simulation.year_offset_s);
  workload.start_s = read_time_point_s(reader, "start", scenario.simulation.calendar).value_or(0);
  CampusChoice choice = read_campus_choice(reader, scenario);
  if (choice.campus >= 0) workload.campus = scenario.campuses[choice.campus].name;
  workload.dispatch = std::move(choice.dispatch);
  std::vector<bool> allowed(scenario.campuses.size(), !workload.campus && !workload.dispatch);
  if (workload.campus) allowed[choice.campus] = true;
  if (workload.dispatch)
    for (int c : workload.dispatch->campuses) allowed[c] = true;
  if (reader.node("training")) {
    for (const char* key : {"gpus", "duration"})
      if (reader.node(key)) reader.fail(key, "a training mix gives each run's GPUs and length (tokens or steps)", reader.got(key));
    workload.training = read_training_mix(reader, scenario, allowed, steps);
  } else {
    workload.gpus = read_gpu_choice(reader);
    workload.duration = read_duration_distribution(reader);
  }
  workload.gpu_utilization = read_utilization(reader);
  workload.estimate_factor = read_estimate_factor(reader);
  workload.priority = static_cast<int>(reader.optional_integer("priority").value_or(0));
  workload.checkpoint = read_checkpoint(reader);

  // Every job size drawn must fit somewhere it can be sent.
  long long largest = 0;
  for (std::size_t c = 0; c < scenario.campuses.size(); ++c)
    if (allowed[c]) largest = std::max(largest, largest_job_gpus(scenario, scenario.campuses[c]));
  for (double gpus : workload.gpus.values)  // (none for a training mix: each run is placed where it fits)
    if (gpus > largest)
      reader.fail("gpus", "job size larger than every cluster it may be sent to (largest holds " +
                              std::to_string(largest) + " GPUs)",
                  std::to_string(static_cast<long long>(gpus)));
  reader.finish();
  require_new_workload_name(reader, scenario, workload.name);
  scenario.workloads.push_back(std::move(workload));
}

}  // namespace fleetsim

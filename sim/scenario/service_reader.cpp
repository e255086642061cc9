#include "sim/scenario/service_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "sim/core/duration.hpp"
#include "sim/core/name_list.hpp"
#include "sim/scenario/arrival_reader.hpp"
#include "sim/training/machine.hpp"

namespace fleetsim {

namespace {


// A duration given as a string, > 0.
double positive_duration(TomlReader& reader, const std::string& key) { return reader.positive_duration_s(key); }

inference::Slo read_slo(TomlReader& reader) {
  const toml::table* table = reader.optional_table("slo");
  if (!table) reader.fail("slo", "required: { ttft = \"450ms\", tpot = \"40ms\", percentile = 0.99 }");
  TomlReader sub = reader.child(*table, "slo");
  inference::Slo slo;
  slo.ttft_s = positive_duration(sub, "ttft");
  slo.tpot_s = positive_duration(sub, "tpot");
  if (sub.node("percentile")) {
    slo.percentile = sub.number("percentile");
    if (!(slo.percentile > 0 && slo.percentile <= 1)) sub.fail("percentile", "must be in (0, 1]", sub.got("percentile"));
  }
  sub.finish();
  return slo;
}

inference::TokenDistribution read_tokens(TomlReader& reader, const std::string& key, inference::TokenDistribution fallback) {
  const toml::table* table = reader.optional_table(key);
  if (!table) {
    if (reader.node(key)) reader.fail(key, "must be { median = .., sigma = .., min = .., max = .. } (a lognormal)", reader.got(key));
    return fallback;
  }
  TomlReader sub = reader.child(*table, key);
  inference::TokenDistribution tokens = fallback;
  if (sub.node("distribution")) {
    const std::string kind = sub.string("distribution");
    if (kind != "lognormal") sub.fail("distribution", "unknown distribution (known: lognormal)", sub.got("distribution"));
  }
  tokens.median = sub.positive_number("median");
  tokens.sigma = sub.node("sigma") ? sub.number_at_least("sigma", 0.0) : 0.0;
  if (sub.node("min")) tokens.min = static_cast<int>(sub.positive_integer("min", 1 << 24));
  if (sub.node("max")) tokens.max = static_cast<int>(sub.positive_integer("max", 1 << 24));
  if (tokens.max < tokens.min) sub.fail("max", "must be >= min", sub.got("max"));
  sub.finish();
  return tokens;
}

inference::DemandConfig read_demand(TomlReader& reader, const Scenario& scenario) {
  const toml::table* table = reader.optional_table("demand");
  if (!table)
    reader.fail("demand", "required: { trace = \"conv.csv\", format = \"azure-llm-2023\", scale = 1.0 } or "
                          "{ subscribers = .., requests_per_day = .., daily_profile = .. }");
  TomlReader sub = reader.child(*table, "demand");
  inference::DemandConfig demand;
  demand.year_offset_s = scenario.simulation.year_offset_s;
  const bool trace = sub.node("trace") != nullptr, profile = sub.node("subscribers") != nullptr;
  if (trace == profile) sub.fail(trace ? "subscribers" : "trace", "give either trace (a request trace) or subscribers (a profile)");
  if (trace) {
    demand.kind = inference::DemandConfig::Kind::trace;
    const std::string format = sub.optional_string("format").value_or("azure-llm-2023");
    const auto formats = inference::request_trace_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
      sub.fail("format", "unknown request trace format (known: " + join_names(formats) + ")", sub.got("format"));
    const std::string path = scenario.resolve_path(sub.string("trace"));
    std::error_code error;
    if (!std::filesystem::exists(path, error)) sub.fail("trace", "cannot open request trace " + path, sub.got("trace"));
    if (!std::filesystem::is_regular_file(path, error)) sub.fail("trace", "not a regular file: " + path, sub.got("trace"));
    // Read now: a bad row is a bad scenario (FILE:LINE: COLUMN), found before anything runs.
    demand.trace = std::make_shared<const inference::RequestTrace>(inference::read_azure_llm_trace(path));
    if (sub.node("scale")) demand.scale = sub.positive_number("scale");
  } else {
    demand.kind = inference::DemandConfig::Kind::profile;
    demand.subscribers = sub.positive_number("subscribers");
    demand.requests_per_day = sub.positive_number("requests_per_day");
    const ArrivalProfile profile = read_arrival_profile(sub, scenario.simulation.year_offset_s);
    demand.daily_profile = profile.daily;
    demand.weekly = profile.weekly;
    demand.growth_per_year = profile.growth_per_year;
    demand.prompt_tokens = read_tokens(sub, "prompt_tokens", inference::azure_conversation_prompt_tokens());
    demand.output_tokens = read_tokens(sub, "output_tokens", inference::azure_conversation_output_tokens());
    // Keep the request-level runs (requests drawn one by one) within reach: at most 1e5 requests per second.
    if (demand.subscribers * demand.requests_per_day / 86400 > 1e5)
      sub.fail("requests_per_day", "more than 100,000 requests per second on average", sub.got("requests_per_day"));
  }
  sub.finish();
  return demand;
}

}  // namespace

long long campus_node_gpus(const Scenario& scenario, const CampusConfig& campus, const std::string& node) {
  long long gpus = 0;
  for (const ClusterConfig& cluster : campus.clusters)
    if (cluster.node == node) gpus += static_cast<long long>(scenario.hardware.find_node(node)->gpus) * cluster.nodes;
  return gpus;
}

ServiceConfig read_service(TomlReader& reader, const Scenario& scenario, std::size_t index) {
  ServiceConfig service;
  service.stream_index = index;
  service.name = reader.name("name", kPlaceNameMaxBytes);
  service.model = reader.string("model");
  const hw::ModelSpec* model = scenario.hardware.find_model(service.model);
  if (!model)
    reader.fail("model", "unknown model (known: " + hw::known_ids(scenario.hardware.models()) + ")", reader.got("model"));
  if (reader.node("campuses"))
    reader.fail("campuses", "a service spread over several campuses is not supported yet: give campus", reader.got("campuses"));
  service.campus = reader.string("campus");
  const int campus_index = scenario.campus_index(service.campus);
  if (campus_index < 0)
    reader.fail("campus",
                "unknown campus (known: " + join_names(scenario.campuses, [](const auto& c) { return c.name; }) + ")",
                reader.got("campus"));
  const CampusConfig& campus = scenario.campuses[campus_index];
  service.node = reader.string("node");
  const long long node_gpus = campus_node_gpus(scenario, campus, service.node);
  if (node_gpus == 0) {
    std::set<std::string> kinds;
    for (const ClusterConfig& cluster : campus.clusters) kinds.insert(cluster.node);
    reader.fail("node", "no cluster of campus " + campus.name + " has this node (its nodes: " + join_names(std::vector<std::string>(kinds.begin(), kinds.end())) + ")",
                reader.got("node"));
  }
  inference::ReplicaPlan& plan = service.plan;
  if (reader.node("tp")) plan.tp = static_cast<int>(reader.positive_integer("tp", 1024));
  if (reader.node("pp")) plan.pp = static_cast<int>(reader.positive_integer("pp", 1024));
  plan.precision = optional_choice(reader, "precision",
                             {{"bf16", training::Precision::bf16}, {"fp8", training::Precision::fp8},
                              {"fp4", training::Precision::fp4}},
                             training::Precision::bf16);
  if (const toml::table* batch = reader.optional_table("batch")) {
    TomlReader sub = reader.child(*batch, "batch");
    if (sub.node("max_requests")) plan.max_batch_requests = static_cast<int>(sub.positive_integer("max_requests", 1 << 20));
    if (sub.node("max_tokens")) plan.max_batch_tokens = sub.positive_integer("max_tokens", 1 << 24);
    if (sub.node("kv_cache_fraction")) {
      plan.kv_cache_fraction = sub.positive_number("kv_cache_fraction");
      if (plan.kv_cache_fraction > 1) sub.fail("kv_cache_fraction", "must be in (0, 1]", sub.got("kv_cache_fraction"));
    }
    sub.finish();
  }
  const hw::NodeSpec& node = *scenario.hardware.find_node(service.node);
  const training::Machine machine = training::machine_for(scenario.hardware, node, nullptr, 0);
  const std::string problem = inference::ReplicaModel::plan_problem(*model, machine, plan);
  if (!problem.empty()) reader.fail("tp", problem + " (" + model->id + " on " + node.id + ")", reader.got("tp"));

  service.slo_position = reader.position_of("slo");
  service.slo = read_slo(reader);
  const long long most_replicas = node_gpus / plan.gpus();
  if (const toml::table* replicas = reader.optional_table("replicas")) {
    TomlReader sub = reader.child(*replicas, "replicas");
    service.min_replicas = sub.node("min") ? static_cast<int>(sub.optional_integer("min").value_or(0)) : 1;
    if (service.min_replicas < 0) sub.fail("min", "must be >= 0", sub.got("min"));
    service.max_replicas = static_cast<int>(sub.positive_integer("max", 1 << 24));
    if (service.max_replicas < service.min_replicas) sub.fail("max", "must be >= min", sub.got("max"));
    if (service.max_replicas > most_replicas)
      sub.fail("max", "more replicas than the " + std::to_string(node_gpus) + " GPUs of the " + service.node +
                          " clusters of campus " + campus.name + " hold (" + std::to_string(most_replicas) + " of " +
                          std::to_string(plan.gpus()) + " GPUs)",
               sub.got("max"));
    sub.finish();
  } else {
    service.min_replicas = 1;
    service.max_replicas = static_cast<int>(std::min<long long>(most_replicas, 1 << 24));
  }
  service.priority = static_cast<int>(reader.optional_integer("priority").value_or(0));
  if (reader.node("load_time")) service.load_time_s = reader.positive_duration_s("load_time");
  if (reader.node("gpu_hour_eur")) service.gpu_hour_eur = reader.number_at_least("gpu_hour_eur", 0.0);
  service.demand = read_demand(reader, scenario);
  reader.finish();
  return service;
}

}  // namespace fleetsim

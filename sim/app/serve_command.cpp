// `fleetsim serve SCENARIO.toml --service NAME`: the request level of issue 13. Every request of the service's demand
// goes through the continuous-batching scheduler of a pool of replicas, on SimGrid's clock and timers; the result is
// the TTFT/TPOT distributions, SLO attainment, goodput, queueing, energy, and the replica's capacity curve.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "sim/app/commands.hpp"
#include "sim/app/scenario_input.hpp"
#include "sim/core/duration.hpp"
#include "sim/core/name_list.hpp"
#include "sim/engine/serving_clock.hpp"
#include "sim/inference/demand.hpp"
#include "sim/inference/replica_pool.hpp"
#include "sim/serving/service_model.hpp"

namespace fleetsim {

namespace po = boost::program_options;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct PoolRun {
  int replicas = 0;
  inference::ServingStats stats;
  inference::PoolTotals totals;
  std::uint64_t events = 0;
};

// One run of `requests` through `replicas` replicas on SimGrid's clock; iterations stop at twice the duration
// (requests unfinished then count as missing the SLO).
PoolRun run_pool(const ServiceModel& model, int replicas, const std::vector<inference::Request>& requests, double duration_s) {
  SimgridClock clock;
  inference::RequestLog log(requests);
  inference::ReplicaPool pool(model.replica, replicas, log, clock);
  pool.start(2 * duration_s);
  PoolRun run;
  run.replicas = replicas;
  run.events = clock.run();
  run.totals = pool.totals();
  run.stats = inference::summarize(log, model.config->slo, duration_s);
  return run;
}

// The smallest pool (1..max replicas) whose run meets the SLO: doubling, then bisection. Runs follow one another on
// the same clock.
PoolRun smallest_pool(const ServiceModel& model, const std::vector<inference::Request>& requests, double duration_s) {
  const int most = std::max(1, model.config->max_replicas);
  int low = 0;  // known not to meet it (0: none tried)
  PoolRun best;
  int high = std::min(most, std::max(1, model.replicas_for(inference::mean_rate(model.config->demand, 0, duration_s)) / 2));
  for (;;) {
    PoolRun run = run_pool(model, high, requests, duration_s);
    if (run.stats.meets_slo) {
      best = std::move(run);
      break;
    }
    low = high;
    if (high == most) return run;  // even the largest pool misses it
    high = std::min(most, high * 2);
  }
  while (high - low > 1) {
    const int mid = (low + high) / 2;
    PoolRun run = run_pool(model, mid, requests, duration_s);
    if (run.stats.meets_slo) {
      high = mid;
      best = std::move(run);
    } else {
      low = mid;
    }
  }
  return best;
}

nlohmann::json latency_json(const inference::LatencySummary& summary) {
  return {{"mean", summary.mean}, {"p50", summary.p50}, {"p90", summary.p90}, {"p99", summary.p99},
          {"at_slo_percentile", summary.at_slo_percentile}};
}

nlohmann::json result_json(const ServiceModel& model, const PoolRun& run, double duration_s, int fleet_replicas,
                           double capacity_wall_s, double simulate_wall_s) {
  const ServiceConfig& service = *model.config;
  const inference::ServingStats& s = run.stats;
  nlohmann::json points = nlohmann::json::array();
  for (const inference::CapacityPoint& p : model.curve.points)
    points.push_back({{"rate_rps", p.rate_rps}, {"attainment", p.attainment}, {"ttft_s", p.ttft_s}, {"tpot_s", p.tpot_s},
                      {"gpu_power_w", p.gpu_power_w}, {"busy_fraction", p.busy_fraction}});
  const double output_tokens = s.output_tokens;
  return {
      {"service", service.name},
      {"model", service.model},
      {"node", service.node},
      {"tp", service.plan.tp},
      {"pp", service.plan.pp},
      {"precision", training::to_string(service.plan.precision)},
      {"replicas", run.replicas},
      {"gpus", run.replicas * service.gpus_per_replica()},
      {"fleet_level_replicas", fleet_replicas},
      {"duration_s", duration_s},
      {"slo", {{"ttft_s", service.slo.ttft_s}, {"tpot_s", service.slo.tpot_s}, {"percentile", service.slo.percentile}}},
      {"requests", s.requests},
      {"completed", s.completed},
      {"rejected", s.rejected},
      {"unfinished", s.unfinished},
      {"request_rate_rps", s.request_rate},
      {"attainment", s.attainment},
      {"meets_slo", s.meets_slo},
      {"goodput_rps", s.goodput_rps},
      {"ttft_s", latency_json(s.ttft_s)},
      {"tpot_s", latency_json(s.tpot_s)},
      {"queue_s", latency_json(s.queue_s)},
      {"e2e_s", latency_json(s.e2e_s)},
      {"input_tokens_per_s", s.input_tokens_per_s},
      {"output_tokens_per_s", s.output_tokens_per_s},
      {"gpu_energy_j", run.totals.gpu_energy_j},
      {"mean_gpu_power_w", run.totals.span_s > 0 ? run.totals.gpu_energy_j / run.totals.span_s /
                                                       (run.replicas * service.gpus_per_replica())
                                                 : 0.0},
      {"gpu_energy_per_1k_output_tokens_j", output_tokens > 0 ? run.totals.gpu_energy_j / output_tokens * 1000 : 0.0},
      {"kv_capacity_tokens", model.replica.kv_capacity_tokens()},
      {"load_time_s", model.load_time_s},
      {"iterations", run.totals.iterations},
      {"events", run.events},
      {"capacity",
       {{"max_rate_rps", model.curve.max_rate_rps},
        {"pool_replicas", model.curve.pool_replicas},
        {"pool_max_rate_rps", model.curve.pool_max_rate_rps},
        {"saturation_rps", model.curve.saturation_rps},
        {"mean_prompt_tokens", model.curve.mean_prompt_tokens},
        {"mean_output_tokens", model.curve.mean_output_tokens},
        {"points", points}}},
      {"wall_s", {{"capacity", capacity_wall_s}, {"simulate", simulate_wall_s}}},
  };
}

void print_text(const nlohmann::json& r) {
  const auto ms = [](const nlohmann::json& v) { return v.is_number() ? v.get<double>() * 1e3 : NAN; };
  std::printf("service %s: %s on %d x %s (tp %d, %s), %d replica(s) = %d GPUs, %.0f s of demand\n",
              r["service"].get<std::string>().c_str(), r["model"].get<std::string>().c_str(), r["replicas"].get<int>(),
              r["node"].get<std::string>().c_str(), r["tp"].get<int>(), r["precision"].get<std::string>().c_str(),
              r["replicas"].get<int>(), r["gpus"].get<int>(), r["duration_s"].get<double>());
  std::printf("  requests: %zu (%.2f/s), completed %zu, rejected %zu, unfinished %zu\n", r["requests"].get<std::size_t>(),
              r["request_rate_rps"].get<double>(), r["completed"].get<std::size_t>(), r["rejected"].get<std::size_t>(),
              r["unfinished"].get<std::size_t>());
  for (const char* key : {"ttft_s", "tpot_s", "queue_s"})
    std::printf("  %-5.4s ms: mean %.1f, p50 %.1f, p90 %.1f, p99 %.1f\n", key, ms(r[key]["mean"]), ms(r[key]["p50"]),
                ms(r[key]["p90"]), ms(r[key]["p99"]));
  std::printf("  SLO (TTFT %.0f ms, TPOT %.0f ms, %.0f%%): attainment %.2f%% -> %s; goodput %.2f requests/s\n",
              r["slo"]["ttft_s"].get<double>() * 1e3, r["slo"]["tpot_s"].get<double>() * 1e3,
              r["slo"]["percentile"].get<double>() * 100, r["attainment"].get<double>() * 100,
              r["meets_slo"].get<bool>() ? "met" : "missed", r["goodput_rps"].get<double>());
  std::printf("  tokens: %.0f in/s, %.0f out/s; GPU energy %.0f J per 1,000 output tokens, mean %.0f W per GPU\n",
              r["input_tokens_per_s"].get<double>(), r["output_tokens_per_s"].get<double>(),
              r["gpu_energy_per_1k_output_tokens_j"].get<double>(), r["mean_gpu_power_w"].get<double>());
  const auto& capacity = r["capacity"];
  std::printf("  replica capacity under the SLO: %.3f requests/s alone, %.3f each in a pool of %d (saturation %.3f/s); "
              "fleet level would run %d replica(s)\n",
              capacity["max_rate_rps"].get<double>(), capacity["pool_max_rate_rps"].get<double>(),
              capacity["pool_replicas"].get<int>(), capacity["saturation_rps"].get<double>(),
              r["fleet_level_replicas"].get<int>());
  std::printf("  capacity curve (rate/s: attainment, p-TTFT ms, p-TPOT ms, W/GPU):");
  for (const auto& p : capacity["points"])
    std::printf(" %.3g: %.3f %.0f %.1f %.0f;", p["rate_rps"].get<double>(), p["attainment"].get<double>(), ms(p["ttft_s"]),
                ms(p["tpot_s"]), p["gpu_power_w"].get<double>());
  std::printf("\n  wall: capacity %.2f s, simulation %.2f s (%llu events)\n", r["wall_s"]["capacity"].get<double>(),
              r["wall_s"]["simulate"].get<double>(), static_cast<unsigned long long>(r["events"].get<std::uint64_t>()));
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
  po::options_description options("fleetsim serve options");
  add_scenario_options(options);
  options.add_options()
      ("service", po::value<std::string>()->value_name("NAME"), "the [[service]] to serve (default: the only one)")
      ("duration", po::value<std::string>()->value_name("DURATION"),
       "demand to serve (default: one replay of a trace demand, 1h of a profile)")
      ("replicas", po::value<int>()->value_name("N"),
       "replicas in the pool (default: what the fleet level runs for the mean demand, from the capacity curve)")
      ("find-pool", "search the smallest pool that meets the SLO (doubling, then bisection) and report it")
      ("json", "print the result as JSON");
  po::variables_map values;
  if (!parse_command_line(args,
                          "usage: fleetsim serve SCENARIO.toml [--service NAME] [--duration 1h] [--replicas N | "
                          "--find-pool] [--json] [--set KEY=VALUE]... [--seed N]",
                          options, values))
    return kExitOk;
  const auto start = std::chrono::steady_clock::now();
  const Scenario scenario = load_scenario(scenario_request(values));
  if (scenario.services.empty())
    throw InputError({scenario.path, 0}, "service", "the scenario has no [[service]] to serve");
  const ServiceConfig* service = nullptr;
  const std::string names = join_names(scenario.services, [](const ServiceConfig& s) { return s.name; });
  if (values.count("service")) {
    const std::string name = values["service"].as<std::string>();
    for (const ServiceConfig& candidate : scenario.services)
      if (candidate.name == name) service = &candidate;
    if (!service) throw InputError({"--service", 0}, "--service", "no such service (known: " + names + ")", name);
  } else if (scenario.services.size() == 1) {
    service = &scenario.services.front();
  } else {
    throw InputError({"--service", 0}, "--service", "the scenario has several services: name one (known: " + names + ")");
  }
  // One replay of a trace (all its requests once, at its scale), or an hour of a profile.
  double duration_s = service->demand.kind == inference::DemandConfig::Kind::trace
                          ? service->demand.trace->period_s / service->demand.scale
                          : 3600;
  if (values.count("duration")) {
    const std::string text = values["duration"].as<std::string>();
    const auto parsed = parse_duration_s(text);
    if (!parsed || !(*parsed > 0)) throw InputError({"--duration", 0}, "--duration", "must be a duration > 0 (e.g. 1h)", text);
    if (*parsed > 366 * 86400.0) throw InputError({"--duration", 0}, "--duration", "at most a year of requests", text);
    duration_s = *parsed;
  }
  const ServiceModel model = make_service_model(scenario, *service);
  const double capacity_wall_s = seconds_since(start);
  const std::vector<inference::Request> requests = inference::generate_requests(
      service->demand, duration_s, scenario.simulation.seed, random_stream(*service, "requests"));
  const int fleet_replicas = model.replicas_for(inference::mean_rate(service->demand, 0, duration_s));
  const auto simulate_start = std::chrono::steady_clock::now();
  PoolRun run;
  if (values.count("find-pool")) {
    run = smallest_pool(model, requests, duration_s);
  } else {
    int replicas = fleet_replicas;
    if (values.count("replicas")) {
      replicas = values["replicas"].as<int>();
      if (replicas < 1 || replicas > 1'000'000)
        throw InputError({"--replicas", 0}, "--replicas", "must be from 1 to 1,000,000", std::to_string(replicas));
    }
    run = run_pool(model, std::max(1, replicas), requests, duration_s);
  }
  const nlohmann::json result =
      result_json(model, run, duration_s, fleet_replicas, capacity_wall_s, seconds_since(simulate_start));
  if (values.count("json"))
    std::cout << result.dump(2) << "\n";
  else
    print_text(result);
  return kExitOk;
}

}  // namespace fleetsim

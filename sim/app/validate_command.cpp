#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "sim/app/commands.hpp"
#include "sim/app/scenario_input.hpp"
#include "sim/core/duration.hpp"
#include "sim/power/nameplate.hpp"
#include "sim/scenario/time_point_reader.hpp"
#include "sim/serving/service_model.hpp"
#include "sim/workload/job_list.hpp"

namespace fleetsim {

namespace po = boost::program_options;

namespace {
std::string megawatts(double watts) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MW", watts / 1e6);
  return text;
}
}  // namespace

// Installed nameplate above a budget: by how much, and whether [power] holds it.
std::vector<std::string> budget_warnings(const Scenario& scenario) {
  std::vector<std::string> warnings;
  const std::string held = scenario.power.enforced() ? "held by [power] policy" : "not held: [power] policy = \"none\" only reports it";
  for (const CampusConfig& campus : scenario.campuses) {
    const CampusNameplate nameplate = campus_nameplate(scenario, campus);
    const bool scheduled = campus.grid_connection_steps.size() > 1;
    if (scheduled) {
      // The first time the installed nameplate exceeds the connection of the time.
      const auto steps = buildout_steps(scenario, campus);
      const auto over = std::find_if(steps.begin(), steps.end(), [](const BuildoutStep& step) {
        return step.grid_connection_w > 0 && step.facility_w > step.grid_connection_w;
      });
      if (over != steps.end())
        warnings.push_back("campus " + campus.name + ": from " + format_time_point(over->time_s, scenario.simulation.calendar) +
                           ", installed nameplate " + megawatts(over->facility_w) + " exceeds its grid connection of " +
                           megawatts(over->grid_connection_w) + " then; " + held);
    } else if (campus.grid_connection_w > 0 && nameplate.facility_w > campus.grid_connection_w) {
      char share[16];
      std::snprintf(share, sizeof share, "%.1f%%", 100 * (nameplate.facility_w / campus.grid_connection_w - 1));
      warnings.push_back("campus " + campus.name + ": installed nameplate " + megawatts(nameplate.facility_w) + " (IT " +
                         megawatts(nameplate.it_w) + " at PUE " + std::to_string(nameplate.max_pue).substr(0, 4) +
                         ") exceeds its grid connection of " + megawatts(campus.grid_connection_w) + " by " +
                         megawatts(nameplate.facility_w - campus.grid_connection_w) + " (" + share + "); " + held);
    }
    for (const ClusterConfig& cluster : campus.clusters) {
      const double cluster_w = cluster.nodes * node_full_power_w(scenario, cluster);
      if (cluster.power_limit_w > 0 && cluster_w > cluster.power_limit_w)
        warnings.push_back("cluster " + campus.name + "/" + cluster.name + ": nameplate " + megawatts(cluster_w) +
                           " (IT) exceeds its power limit of " + megawatts(cluster.power_limit_w) + " by " +
                           megawatts(cluster_w - cluster.power_limit_w) + "; " + held);
    }
    if (nameplate.rack_ratio > 1) {
      char share[16];
      std::snprintf(share, sizeof share, "%.1f%%", 100 * (nameplate.rack_ratio - 1));
      warnings.push_back("campus " + campus.name + ": a full rack at full load exceeds its rack limit by " + share + "; " +
                         held);
    }
  }
  return warnings;
}

int validate_command(const std::vector<std::string>& args) {
  po::options_description options("fleetsim validate options");
  add_scenario_options(options);
  options.add_options()("print", "print the resolved scenario (TOML) on success");
  po::variables_map values;
  if (!parse_command_line(args, "usage: fleetsim validate SCENARIO.toml [--set KEY=VALUE]... [--seed N] [--print]",
                          options, values))
    return kExitOk;
  const Scenario scenario = load_scenario(scenario_request(values));
  if (values.count("print")) {
    std::cout << scenario.resolved_toml;
    return kExitOk;
  }
  long long gpus = 0, nodes = 0;
  int later = 0, retired = 0;
  for (const CampusConfig& campus : scenario.campuses)
    for (const ClusterConfig& cluster : campus.clusters) {
      nodes += cluster.nodes;
      gpus += static_cast<long long>(cluster.nodes) * scenario.hardware.find_node(cluster.node)->gpus;
      later += cluster.commission_s > 0;
      retired += cluster.decommission_s < scenario.simulation.duration_s;
    }
  // Building the job list reads every trace, so a malformed trace row is found here too.
  std::vector<std::string> trace_reports;
  const std::size_t jobs = build_job_list(scenario, &trace_reports).size();
  // A service's SLO must be reachable: its capacity curve says so (about 0.1 s per service).
  const std::vector<ServiceModel> services = make_service_models(scenario, std::thread::hardware_concurrency());
  std::cout << scenario.path << ": ok: " << scenario.campuses.size() << " campuses, " << nodes << " nodes, " << gpus
            << " GPUs, " << jobs << " jobs before the horizon, "
            << format_duration(scenario.simulation.duration_s) << " horizon, policy " << policy_name(scenario.scheduler.policy)
            << "\n";
  if (later || retired || !scenario.maintenance.empty())
    std::cout << "  capacity: " << later << " cluster(s) commissioned later, " << retired
              << " decommissioned before the horizon, " << scenario.maintenance.size() << " maintenance window(s)\n";
  for (const std::string& line : trace_reports) std::cout << "  trace " << line << "\n";
  for (const std::string& line : budget_warnings(scenario)) std::cout << "  warning: " << line << "\n";
  for (std::size_t i = 0; i < services.size(); ++i)
    std::cout << "  service " << scenario.services[i].name << ": " << scenario.services[i].model << " on "
              << scenario.services[i].node << " (tp " << scenario.services[i].plan.tp << "), "
              << services[i].curve.max_rate_rps << " requests/s per replica under its SLO, "
              << scenario.services[i].min_replicas << "-" << scenario.services[i].max_replicas << " replicas\n";
  return kExitOk;
}

}  // namespace fleetsim

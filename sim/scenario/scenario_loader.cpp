#include "sim/scenario/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sim/core/input_file.hpp"
#include "sim/core/duration.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/dispatch_reader.hpp"
#include "sim/scenario/economics_reader.hpp"
#include "sim/scenario/signal_loader.hpp"
#include "sim/scenario/power_reader.hpp"
#include "sim/scenario/power_smoothing_reader.hpp"
#include "sim/scenario/reliability_reader.hpp"
#include "sim/scenario/telemetry_reader.hpp"
#include "sim/scenario/service_reader.hpp"
#include "sim/scenario/workload_reader.hpp"
#include "sim/scenario/scheduler_reader.hpp"
#include "sim/scenario/openb_node_list.hpp"
#include "sim/scenario/time_point_reader.hpp"

namespace fleetsim {

std::vector<std::string> Scenario::gpu_types() const {
  std::set<std::string> ids;
  for (const CampusConfig& campus : campuses)
    for (const ClusterConfig& cluster : campus.clusters) ids.insert(hardware.find_node(cluster.node)->gpu);
  return {ids.begin(), ids.end()};
}

std::string Scenario::resolve_path(const std::string& written) const {
  const std::size_t slash = path.find_last_of('/');
  const bool as_written = written.empty() || written.front() == '/' || slash == std::string::npos;
  input_files.push_back(as_written ? written : path.substr(0, slash) + "/" + written);
  return input_files.back();
}

int Scenario::campus_index(const std::string& name) const {
  for (std::size_t i = 0; i < campuses.size(); ++i)
    if (campuses[i].name == name) return static_cast<int>(i);
  return -1;
}

double CampusConfig::grid_connection_at(double time_s) const {
  double watts = 0;
  for (const auto& [from_s, step_w] : grid_connection_steps)
    if (from_s <= time_s) watts = step_w;
  return watts;
}

double CampusConfig::non_gpu_load_w(double time_s, int hour_of_day) const {
  double watts = 0;
  for (const NonGpuLoad& load : loads) watts += load.power_at(time_s, hour_of_day);
  return watts;
}

double CampusConfig::grid_connection_max_w() const {
  double watts = 0;
  for (const auto& step : grid_connection_steps) watts = std::max(watts, step.second);
  return watts;
}

namespace {

void require_unique(TomlReader& reader, std::set<std::string>& seen, const std::string& name,
                    const std::string& what) {
  if (!seen.insert(name).second) reader.fail("name", "duplicate " + what + " name", quoted(name));
}

SimulationConfig read_simulation(TomlReader& root, const std::string& path) {
  const toml::table* table = root.optional_table("simulation");
  if (!table) root.fail("simulation", "required table [simulation] is missing");
  TomlReader reader = root.child(*table, "simulation");
  SimulationConfig simulation;
  std::string stem = path.substr(path.find_last_of('/') + 1);
  stem = stem.substr(0, stem.find('.'));
  simulation.name = reader.node("name") ? reader.name("name", 200) : stem;
  if (reader.node("start")) {
    const std::string text = reader.string("start");
    const auto epoch = parse_date_s(text);
    if (!epoch) reader.fail("start", "must be a date like \"2027-01-01\" or \"2027-01-01 06:00\"", reader.got("start"));
    if (std::fmod(*epoch, 3600) != 0) reader.fail("start", "must be a whole hour (hourly signals)", reader.got("start"));
    if (reader.node("year_offset"))
      reader.fail("year_offset", "not with start (the date places the run in the signals' year)", reader.got("year_offset"));
    simulation.calendar = Calendar::from_start(*epoch);
  } else {
    simulation.calendar = Calendar::from_offset(reader.optional_duration_s("year_offset").value_or(0));
  }
  simulation.year_offset_s = simulation.calendar.week_offset_s();
  if (reader.node("end")) {
    if (reader.node("duration")) reader.fail("end", "give duration or end, not both", reader.got("end"));
    if (!simulation.calendar.dated()) reader.fail("end", "needs [simulation] start (or give duration)", reader.got("end"));
    const auto epoch = parse_date_s(reader.string("end"));
    if (!epoch) reader.fail("end", "must be a date like \"2031-01-01\"", reader.got("end"));
    simulation.duration_s = simulation.calendar.time_of(*epoch);
    if (!(simulation.duration_s > 0)) reader.fail("end", "must come after start", reader.got("end"));
  } else {
    simulation.duration_s = reader.positive_duration_s("duration");
  }
  std::int64_t seed = reader.optional_integer("seed").value_or(1);
  if (seed < 0) reader.fail("seed", "must be >= 0", reader.got("seed"));
  simulation.seed = static_cast<std::uint64_t>(seed);
  simulation.telemetry_interval_s =
      reader.node("telemetry_interval") ? reader.positive_duration_s("telemetry_interval") : 300.0;
  if (simulation.duration_s / simulation.telemetry_interval_s > 1e8)
    reader.fail("telemetry_interval", "more than 1e8 telemetry rows; use a longer interval",
                format_duration(simulation.telemetry_interval_s));
  reader.finish();
  return simulation;
}

// A signal that must not go below `minimum` anywhere in its series.
HourlySignal read_signal(TomlReader& reader, SignalLoader& signals, const std::string& key, const std::string& kind,
                         double minimum) {
  HourlySignal signal = signals.read(reader, key, kind);
  if (signal.is_constant() && !(signal.mean() >= minimum))
    reader.fail(key, "must be >= " + format_number(minimum), reader.got(key));
  return signal;
}

// Something installed at `time_s` (its time point under `key`, or the start when absent) needs the campus's grid
// connection to exist by then.
void require_connection(TomlReader& reader, const std::string& key, const CampusConfig& campus, double time_s,
                        const Calendar& calendar) {
  if (campus.grid_connection_at(time_s) > 0) return;
  reader.fail(reader.node(key) ? key : "name", "campus " + campus.name + " has no grid connection at " +
                                                   format_time_point(time_s, calendar) +
                                                   " (its grid_connection_mw schedule starts later)");
}

ClusterConfig read_cluster(TomlReader& sub, const hw::Catalog& hardware, const CampusConfig& campus,
                           const Calendar& calendar) {
  ClusterConfig cluster;
  cluster.name = sub.name("name", kPlaceNameMaxBytes);
  cluster.node = sub.string("node");
  const hw::NodeSpec* node = hardware.find_node(cluster.node);
  if (!node) sub.fail("node", "unknown node id (known: " + hw::known_ids(hardware.nodes()) + ")", sub.got("node"));
  cluster.nodes = static_cast<int>(sub.positive_integer("nodes", 10'000'000));
  if (sub.node("power_cap_w")) {
    const hw::GpuSpec& gpu = *hardware.find_gpu(node->gpu);
    cluster.power_cap_w = sub.positive_number("power_cap_w");
    if (gpu.power_cap_max_w <= 0)
      sub.fail("power_cap_w", "GPU " + gpu.id + " has no power-cap range (power_cap_min_w, power_cap_max_w)", sub.got("power_cap_w"));
    // A cap below idle power means nothing: without a published minimum, idle is the floor.
    const double cap_min_w = std::max(gpu.power_cap_min_w, gpu.idle_w);
    if (cluster.power_cap_w < cap_min_w || cluster.power_cap_w > gpu.power_cap_max_w)
      sub.fail("power_cap_w",
               "outside " + gpu.id + "'s range [" + format_number(cap_min_w) + ", " +
                   format_number(gpu.power_cap_max_w) + "] W",
               sub.got("power_cap_w"));
  }
  if (sub.node("fabric")) {
    cluster.fabric = sub.string("fabric");
    const hw::FabricSpec* fabric = hardware.find_fabric(cluster.fabric);
    if (!fabric || fabric->kind != "scale-out")
      sub.fail("fabric", "unknown scale-out fabric (known: " + join_names(hw::fabric_ids(hardware, "scale-out")) + ")",
               sub.got("fabric"));
  }
  cluster.commission_s = read_time_point_s(sub, "commission", calendar).value_or(0);
  require_connection(sub, "commission", campus, cluster.commission_s, calendar);
  if (const auto decommission = read_time_point_s(sub, "decommission", calendar)) {
    if (*decommission <= cluster.commission_s)
      sub.fail("decommission", "must come after commission (" + format_duration(cluster.commission_s) + ")",
               sub.got("decommission"));
    cluster.decommission_s = *decommission;
  }
  if (sub.node("nodes_per_rack")) cluster.nodes_per_rack = static_cast<int>(sub.positive_integer("nodes_per_rack", 1024));
  if (sub.node("rack_limit_kw")) {
    cluster.rack_limit_w = sub.positive_number("rack_limit_kw") * 1e3;
  } else if (const hw::CoolingSpec* cooling = hardware.find_cooling(campus.cooling); cooling && cooling->max_rack_kw > 0) {
    cluster.rack_limit_w = cooling->max_rack_kw * 1e3;  // the campus cooling's rack limit
  }
  if (sub.node("power_limit_mw")) cluster.power_limit_w = sub.positive_number("power_limit_mw") * 1e6;
  sub.finish();
  return cluster;
}

// A trace's own cluster (Alibaba openb node list): one cluster per GPU count ("n8", "n2", ...), each node
// given `gpu` and `base_w` (the trace's GPU models are not in the catalog). Node specs are added to the
// scenario's hardware as "<prefix>-<gpus>gpu".
std::vector<ClusterConfig> clusters_from_node_list(TomlReader& reader, hw::Catalog& hardware,
                                                   const Scenario& scenario) {
  const std::string format = reader.string("format");
  if (format != "alibaba-openb-2023")
    reader.fail("format", "node lists can be read from: alibaba-openb-2023", reader.got("format"));
  const std::string path = scenario.resolve_path(reader.string("path"));
  const std::string gpu = reader.string("gpu");
  if (!hardware.find_gpu(gpu)) reader.fail("gpu", "unknown GPU id (known: " + hw::known_ids(hardware.gpus()) + ")", reader.got("gpu"));
  const double base_w = reader.positive_number("base_w");
  reader.finish();
  if (!std::ifstream(path)) reader.fail("path", "cannot open node list " + path);
  std::map<int, std::vector<OpenbNode>> nodes_by_gpus;
  for (OpenbNode& node : read_openb_nodes(path))
    if (node.gpus > 0) nodes_by_gpus[node.gpus].push_back(std::move(node));
  std::vector<ClusterConfig> clusters;
  for (auto it = nodes_by_gpus.rbegin(); it != nodes_by_gpus.rend(); ++it) {
    hw::NodeSpec node;
    node.id = "openb-" + std::to_string(it->first) + "gpu";
    node.name = "openb node with " + std::to_string(it->first) + " GPUs";
    node.gpu = gpu;
    node.gpus = it->first;
    node.base_w = node.base_full_w = base_w;
    hardware.add_node(node);
    ClusterConfig cluster;
    cluster.name = "n" + std::to_string(it->first);
    cluster.node = node.id;
    cluster.nodes = static_cast<int>(it->second.size());
    for (const OpenbNode& listed : it->second) {
      cluster.node_cpu_milli.push_back(listed.cpu_milli);
      cluster.node_memory_mib.push_back(listed.memory_mib);
    }
    clusters.push_back(cluster);
  }
  return clusters;
}

NonGpuLoad read_load(TomlReader& reader, const CampusConfig& campus, const Calendar& calendar) {
  NonGpuLoad load;
  load.name = reader.name("name", kPlaceNameMaxBytes);
  load.power_w = reader.positive_number("mw") * 1e6;
  if (const toml::node* node = reader.node("daily_profile")) {
    const toml::array* values = node->as_array();
    if (!values || values->size() != 24)
      reader.fail("daily_profile", "must be 24 factors of mw, one per UTC hour of the day", describe(*node));
    for (const toml::node& value : *values) {
      const auto factor = number_of(value);
      if (!factor || *factor < 0 || *factor > 1)
        reader.fail("daily_profile", "factors must be numbers from 0 to 1 (of mw)", describe(value));
      load.daily_factors.push_back(*factor);
    }
  }
  load.start_s = read_time_point_s(reader, "start", calendar).value_or(0);
  require_connection(reader, "start", campus, load.start_s, calendar);
  if (const auto end = read_time_point_s(reader, "end", calendar)) {
    if (*end <= load.start_s) reader.fail("end", "must come after start", reader.got("end"));
    load.end_s = *end;
  }
  reader.finish();
  return load;
}

// `grid_connection_mw = 300`, or a schedule of connections from time points on:
// `grid_connection_mw = { "2027-12-31" = 240, "2029-12-31" = 700 }` (before the first, none: nothing may be installed).
void read_grid_connection(TomlReader& reader, const Calendar& calendar, CampusConfig& campus) {
  const toml::node* node = reader.node("grid_connection_mw");
  const toml::table* table = node ? node->as_table() : nullptr;
  if (!table) {
    campus.grid_connection_w = reader.positive_number("grid_connection_mw") * 1e6;
    campus.grid_connection_steps.push_back({0.0, campus.grid_connection_w});
    return;
  }
  TomlReader schedule = reader.child(*table, "grid_connection_mw");
  for (const auto& [key, value] : *table) {
    const std::string text(key.str());
    std::string problem;
    const auto time_s = time_point_s(text, calendar, problem);
    if (!problem.empty()) schedule.fail(text, "the key " + problem);
    const double mw = schedule.number_at_least(text, 0.0);
    campus.grid_connection_steps.push_back({*time_s, mw * 1e6});
  }
  if (campus.grid_connection_steps.empty())
    reader.fail("grid_connection_mw", "an empty schedule: give MW from a time point on, e.g. { \"2027-12-31\" = 240 }");
  std::sort(campus.grid_connection_steps.begin(), campus.grid_connection_steps.end());
  schedule.finish();
  campus.grid_connection_w = campus.grid_connection_at(0);
}

CampusConfig read_campus(TomlReader& reader, Scenario& scenario, SignalLoader& signals) {
  hw::Catalog& hardware = scenario.hardware;
  const Calendar& calendar = scenario.simulation.calendar;
  CampusConfig campus;
  campus.name = reader.name("name", kPlaceNameMaxBytes);
  campus.country = reader.optional_string("country").value_or("");
  read_grid_connection(reader, scenario.simulation.calendar, campus);
  const bool constant_pue = reader.node("pue") != nullptr;
  if (constant_pue && reader.node("cooling"))
    reader.fail("cooling", "give either pue (constant) or cooling (PUE from ambient temperature), not both");
  if (!constant_pue && !reader.node("cooling"))
    reader.fail("pue", "required key is missing (or give cooling: a PUE from ambient temperature)");
  if (constant_pue) {
    campus.pue = reader.number_at_least("pue", 1.0, "facility power includes IT power");
  } else {
    campus.cooling = reader.string("cooling");
    if (!hardware.find_cooling(campus.cooling))
      reader.fail("cooling", "unknown cooling id (known: " + hw::known_ids(hardware.cooling()) + ")", reader.got("cooling"));
  }
  if (reader.node("ambient_c") || !constant_pue) campus.ambient_c = signals.read(reader, "ambient_c", "ambient_c");
  campus.carbon_g_per_kwh = read_signal(reader, signals, "carbon_intensity_g_per_kwh", "carbon_g_per_kwh", 0.0);
  if (reader.node("price_eur_per_mwh"))
    campus.price_eur_per_mwh = signals.read(reader, "price_eur_per_mwh", "price_eur_per_mwh");
  if (reader.node("cooling_capacity_mw")) campus.cooling_capacity_w = reader.positive_number("cooling_capacity_mw") * 1e6;
  if (reader.node("storage_gb_s")) campus.storage_bytes_per_s = reader.positive_number("storage_gb_s") * 1e9;
  const auto clusters = reader.table_array("cluster");
  std::set<std::string> names;
  if (const toml::table* from = reader.optional_table("clusters_from")) {
    TomlReader sub = reader.child(*from, "clusters_from");
    for (ClusterConfig& cluster : clusters_from_node_list(sub, hardware, scenario)) {
      names.insert(cluster.name);
      campus.clusters.push_back(std::move(cluster));
    }
  }
  if (clusters.empty() && campus.clusters.empty() && reader.table_array("load").empty())
    reader.fail("cluster", "a campus needs at least one [[campus.cluster]] (or clusters_from, or a [[campus.load]])");
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    TomlReader sub = reader.element(*clusters[i], "cluster", i);
    ClusterConfig cluster = read_cluster(sub, hardware, campus, calendar);
    require_unique(sub, names, cluster.name, "cluster");
    campus.clusters.push_back(cluster);
  }
  const auto loads = reader.table_array("load");
  for (std::size_t i = 0; i < loads.size(); ++i) {
    TomlReader sub = reader.element(*loads[i], "load", i);
    NonGpuLoad load = read_load(sub, campus, calendar);
    require_unique(sub, names, load.name, "cluster or load");
    campus.loads.push_back(std::move(load));
  }
  reader.finish();
  return campus;
}

LinkConfig read_link(TomlReader& reader, const Scenario& scenario) {
  LinkConfig link;
  for (auto [key, field] : {std::pair{"from", &link.from}, std::pair{"to", &link.to}}) {
    *field = reader.string(key);
    if (scenario.campus_index(*field) < 0) reader.fail(key, "unknown campus", reader.got(key));
  }
  if (link.from == link.to) reader.fail("to", "a link joins two different campuses", reader.got("to"));
  link.distance_km = reader.positive_number("distance_km");
  link.fabric = reader.optional_string("fabric").value_or("dci-dwdm-400g");
  const hw::FabricSpec* fabric = scenario.hardware.find_fabric(link.fabric);
  if (!fabric || fabric->kind != "inter-campus")
    reader.fail("fabric",
                "unknown inter-campus fabric (known: " + join_names(hw::fabric_ids(scenario.hardware, "inter-campus")) + ")",
                "\"" + link.fabric + "\"");
  if (reader.node("wavelengths")) link.wavelengths = static_cast<int>(reader.positive_integer("wavelengths", 1000));
  reader.finish();
  return link;
}

MaintenanceConfig read_maintenance(TomlReader& reader, const Scenario& scenario) {
  MaintenanceConfig window;
  window.campus = reader.string("campus");
  const int campus = scenario.campus_index(window.campus);
  if (campus < 0) reader.fail("campus", "unknown campus", reader.got("campus"));
  window.cluster = reader.string("cluster");
  const ClusterConfig* cluster = nullptr;
  for (const ClusterConfig& candidate : scenario.campuses[campus].clusters)
    if (candidate.name == window.cluster) cluster = &candidate;
  if (!cluster) reader.fail("cluster", "no such cluster in campus " + window.campus, reader.got("cluster"));
  const bool by_count = reader.node("nodes") != nullptr;
  if (by_count == (reader.node("fraction") != nullptr))
    reader.fail("nodes", "give either nodes (a count) or fraction (of the cluster's nodes)");
  if (reader.node("first_node"))
    window.first_node = static_cast<int>(reader.optional_integer("first_node").value_or(0));
  if (window.first_node < 0 || window.first_node >= cluster->nodes)
    reader.fail("first_node", "must be a node of the cluster, 0 to " + std::to_string(cluster->nodes - 1),
                reader.got("first_node"));
  if (by_count) {
    window.nodes = static_cast<int>(reader.positive_integer("nodes", 10'000'000));
  } else {
    const double fraction = reader.positive_number("fraction");
    if (fraction > 1) reader.fail("fraction", "must be in (0, 1]", reader.got("fraction"));
    window.nodes = std::max(1, static_cast<int>(std::lround(fraction * cluster->nodes)));
  }
  if (window.first_node + window.nodes > cluster->nodes)
    reader.fail(by_count ? "nodes" : "fraction",
                "more nodes than cluster " + window.cluster + " has from node " + std::to_string(window.first_node) +
                    " (" + std::to_string(cluster->nodes - window.first_node) + ")",
                reader.got(by_count ? "nodes" : "fraction"));
  window.start_s = read_time_point_s(reader, "start", scenario.simulation.calendar).value_or(0);
  window.duration_s = reader.positive_duration_s("duration");
  if (reader.node("every")) {
    window.every_s = reader.positive_duration_s("every");
    if (window.every_s <= window.duration_s)
      reader.fail("every", "must be longer than the duration (" + format_duration(window.duration_s) + ")",
                  reader.got("every"));
    // Each occurrence is an event with its own list of nodes: keep the count sane.
    if ((scenario.simulation.duration_s - window.start_s) / window.every_s > 100'000)
      reader.fail("every", "more than 100,000 windows before the horizon", reader.got("every"));
  }
  window.drain = reader.optional_bool("drain").value_or(false);
  reader.finish();
  return window;
}

// The scenario as TOML, re-runnable: overrides already applied, seed fixed, used catalog hardware copied in.
std::string resolved_text(toml::table table, const Scenario& scenario) {
  table["simulation"].as_table()->insert_or_assign("seed", static_cast<std::int64_t>(scenario.simulation.seed));
  if (!table["hw"].as_table()) table.insert_or_assign("hw", toml::table{});
  toml::table& hw_table = *table["hw"].as_table();
  auto local_ids = [&](const char* key) {
    std::set<std::string> ids;
    if (const toml::array* array = hw_table[key].as_array())
      for (const toml::node& item : *array)
        if (auto id = item.as_table() ? (*item.as_table())["id"].value<std::string>() : std::nullopt) ids.insert(*id);
    return ids;
  };
  const std::set<std::string> local_gpus = local_ids("gpu");
  const std::set<std::string> local_nodes = local_ids("node");
  std::set<std::string> used_nodes, used_gpus;
  for (const CampusConfig& campus : scenario.campuses)
    for (const ClusterConfig& cluster : campus.clusters) used_nodes.insert(cluster.node);
  for (const std::string& id : used_nodes) used_gpus.insert(scenario.hardware.find_node(id)->gpu);
  auto append = [&](const char* key, const toml::table& entry) {
    if (!hw_table[key].as_array()) hw_table.insert_or_assign(key, toml::array{});
    hw_table[key].as_array()->push_back(entry);
  };
  for (const std::string& id : used_gpus)
    if (!local_gpus.count(id)) append("gpu", hw::to_toml(*scenario.hardware.find_gpu(id)));
  for (const std::string& id : used_nodes)
    if (!local_nodes.count(id)) append("node", hw::to_toml(*scenario.hardware.find_node(id)));
  const std::set<std::string> local_cooling = local_ids("cooling");
  std::set<std::string> used_cooling;
  for (const CampusConfig& campus : scenario.campuses)
    if (!campus.cooling.empty()) used_cooling.insert(campus.cooling);
  for (const std::string& id : used_cooling)
    if (!local_cooling.count(id)) append("cooling", hw::to_toml(*scenario.hardware.find_cooling(id)));
  std::ostringstream text;
  text << "# Resolved by fleetsim from " << scenario.path << ": overrides applied, seed fixed, hardware copied.\n"
       << toml::toml_formatter(table) << "\n";
  return text.str();
}

Scenario read_scenario(const toml::table& table, const ScenarioRequest& request, const OverridePositions& overrides) {
  Scenario scenario;
  scenario.path = request.path;
  TomlReader root(table, request.path, "", &overrides);
  scenario.simulation = read_simulation(root, request.path);
  if (request.seed) scenario.simulation.seed = *request.seed;

  scenario.hardware = hw::Catalog::builtin();
  if (const toml::table* hw_table = root.optional_table("hw")) {
    TomlReader hw_reader = root.child(*hw_table, "hw");
    scenario.hardware.read_entries(hw_reader, false);
    hw_reader.finish();
  }

  const auto campus_tables = root.table_array("campus");
  if (campus_tables.empty()) root.fail("campus", "a scenario needs at least one [[campus]]");
  std::set<std::string> campus_names;
  SignalLoader signals(scenario);
  for (std::size_t i = 0; i < campus_tables.size(); ++i) {
    TomlReader reader = root.element(*campus_tables[i], "campus", i);
    CampusConfig campus = read_campus(reader, scenario, signals);
    require_unique(reader, campus_names, campus.name, "campus");
    scenario.campuses.push_back(std::move(campus));
  }

  std::set<std::pair<std::string, std::string>> linked;
  const auto link_tables = root.table_array("link");
  for (std::size_t i = 0; i < link_tables.size(); ++i) {
    TomlReader reader = root.element(*link_tables[i], "link", i);
    scenario.links.push_back(read_link(reader, scenario));
    const LinkConfig& link = scenario.links.back();
    if (!linked.insert(std::minmax(link.from, link.to)).second)
      reader.fail("to", "a link between these campuses already exists", reader.got("to"));
  }

  if (const toml::table* telemetry = root.optional_table("telemetry")) {
    TomlReader reader = root.child(*telemetry, "telemetry");
    scenario.telemetry = read_telemetry(reader, scenario.simulation, scenario.campuses.size());
  }
  if (const toml::table* reliability = root.optional_table("reliability")) {
    TomlReader reader = root.child(*reliability, "reliability");
    scenario.reliability = read_reliability(reader);
  }
  if (const toml::table* power = root.optional_table("power")) {
    TomlReader reader = root.child(*power, "power");
    scenario.power_smoothing = read_power_smoothing(reader);  // [power.smoothing]
    scenario.power = read_power(reader, scenario);             // the rest; finishes the table
  }
  if (const toml::table* economics = root.optional_table("economics")) {
    TomlReader reader = root.child(*economics, "economics");
    scenario.economics = read_economics(reader, scenario.hardware);
  }
  if (const toml::table* dispatch = root.optional_table("dispatch")) {
    TomlReader reader = root.child(*dispatch, "dispatch");
    scenario.dispatch = read_dispatch(reader);
  }
  if (const toml::table* scheduler = root.optional_table("scheduler")) {
    TomlReader reader = root.child(*scheduler, "scheduler");
    scenario.scheduler = read_scheduler(reader);
  }

  std::set<std::string> job_names;
  StepTimeCache steps;
  const auto job_tables = root.table_array("job");
  for (std::size_t i = 0; i < job_tables.size(); ++i) {
    TomlReader reader = root.element(*job_tables[i], "job", i);
    JobConfig job = read_job(reader, scenario, steps);
    require_unique(reader, job_names, job.name, "job");
    scenario.jobs.push_back(std::move(job));
  }
  std::set<std::string> service_names;
  const auto service_tables = root.table_array("service");
  for (std::size_t i = 0; i < service_tables.size(); ++i) {
    TomlReader reader = root.element(*service_tables[i], "service", i);
    ServiceConfig service = read_service(reader, scenario, i);
    require_unique(reader, service_names, service.name, "service");
    scenario.services.push_back(std::move(service));
  }
  const auto workload_tables = root.table_array("workload");
  for (std::size_t i = 0; i < workload_tables.size(); ++i) {
    TomlReader reader = root.element(*workload_tables[i], "workload", i);
    read_workload(reader, scenario, i, steps);
  }
  const auto maintenance_tables = root.table_array("maintenance");
  for (std::size_t i = 0; i < maintenance_tables.size(); ++i) {
    TomlReader reader = root.element(*maintenance_tables[i], "maintenance", i);
    scenario.maintenance.push_back(read_maintenance(reader, scenario));
  }
  root.finish();
  scenario.resolved_toml = resolved_text(table, scenario);
  return scenario;
}
}  // namespace

Scenario load_scenario_text(const std::string& text, const ScenarioRequest& request) {
  toml::table table = parse_toml(text, request.path);
  OverridePositions overrides;
  for (std::size_t i = 0; i < request.overrides.size(); ++i)
    apply_override(table, request.overrides[i], static_cast<int>(i + 1), overrides);
  return read_scenario(table, request, overrides);
}

Scenario load_scenario(const ScenarioRequest& request) {
  std::ifstream file(request.path, std::ios::binary);
  if (!file) throw InputError({request.path, 0}, "file", "cannot open scenario", std::strerror(errno));
  // A directory opens but reads as nothing, a device (/dev/zero) never ends; a scenario is a small text file.
  constexpr std::uintmax_t kMaxScenarioBytes = 64u << 20;
  std::error_code error;
  if (!std::filesystem::is_regular_file(request.path, error))
    throw InputError({request.path, 0}, "file", "a scenario must be a regular file");
  if (std::filesystem::file_size(request.path, error) > kMaxScenarioBytes)
    throw InputError({request.path, 0}, "file", "larger than 64 MiB: not a scenario");
  return load_scenario_text(read_small_file(request.path, kMaxScenarioBytes, "a scenario"), request);
}

}  // namespace fleetsim

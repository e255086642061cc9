#include "sim/scenario/dispatch_reader.hpp"

#include <algorithm>

#include "sim/core/name_list.hpp"

namespace fleetsim {

namespace {
const char* const kPolicies[] = {"least-wait", "lowest-carbon", "lowest-price", "most-headroom"};

std::string known_campuses(const Scenario& scenario) {
  return join_names(scenario.campuses, [](const CampusConfig& c) { return c.name; });
}

int campus_named(TomlReader& reader, const Scenario& scenario, const std::string& key, const std::string& name) {
  const int index = scenario.campus_index(name);
  if (index < 0) reader.fail(key, "unknown campus (known: " + known_campuses(scenario) + ")", quoted(name));
  return index;
}
}  // namespace

bool Scenario::has_dispatch() const {
  for (const JobConfig& job : jobs)
    if (job.dispatch) return true;
  for (const SyntheticWorkloadConfig& workload : workloads)
    if (workload.dispatch) return true;
  return false;
}

bool linked(const Scenario& scenario, int a, int b) {
  for (const LinkConfig& link : scenario.links) {
    const int from = scenario.campus_index(link.from), to = scenario.campus_index(link.to);
    if ((from == a && to == b) || (from == b && to == a)) return true;
  }
  return false;
}

// policy = "lowest-carbon" | { carbon = 0.7, wait = 0.3 }; reconsider = "1h" ("0s": never).
DispatchConfig read_dispatch(TomlReader& reader) {
  DispatchConfig config;
  const std::string known =
      "least-wait, lowest-carbon, lowest-price, most-headroom, or weights { wait, carbon, price, headroom }";
  if (const toml::node* policy = reader.node("policy")) {
    if (const toml::table* table = policy->as_table()) {
      TomlReader sub = reader.child(*table, "policy");
      config.policy = "weights";
      config.mix = true;
      std::fill(std::begin(config.weights), std::end(config.weights), 0.0);
      double total = 0;
      for (int m = 0; m < DispatchConfig::kMeasures; ++m)
        if (sub.node(measure_name(m))) {
          config.weights[m] = sub.number_at_least(measure_name(m), 0.0);
          total += config.weights[m];
        }
      if (table->empty()) reader.fail("policy", "a table of weights needs at least one of wait, carbon, price, headroom");
      sub.finish();
      if (!(total > 0)) reader.fail("policy", "weights must not all be zero", reader.got("policy"));
    } else if (policy->is_string()) {
      config.policy = reader.string("policy");
      const auto* found = std::find(std::begin(kPolicies), std::end(kPolicies), config.policy);
      if (found == std::end(kPolicies)) reader.fail("policy", "unknown dispatch policy (known: " + known + ")", quoted(config.policy));
      std::fill(std::begin(config.weights), std::end(config.weights), 0.0);
      config.weights[found - std::begin(kPolicies)] = 1;  // the names are in Measure order
    } else {
      reader.fail("policy", "must be a policy name or a table of weights (" + known + ")", reader.got("policy"));
    }
  }
  if (reader.node("reconsider")) config.reconsider_s = *reader.optional_duration_s("reconsider");
  reader.finish();
  return config;
}

CampusChoice read_campus_choice(TomlReader& reader, const Scenario& scenario) {
  CampusChoice choice;
  const toml::node* campus = reader.node("campus");
  const bool has_region = reader.node("region") != nullptr;
  if (campus && has_region) reader.fail("region", "give either campus or region, not both", reader.got("region"));
  if (campus && campus->is_string() && *campus->value<std::string>() != "any") {
    choice.campus = campus_named(reader, scenario, "campus", *campus->value<std::string>());
  } else if (campus && campus->is_string()) {
    for (std::size_t c = 0; c < scenario.campuses.size(); ++c) choice.listed.push_back(static_cast<int>(c));
  } else if (campus && campus->is_array()) {
    if (campus->as_array()->empty()) reader.fail("campus", "an empty list of campuses", reader.got("campus"));
    for (const toml::node& item : *campus->as_array()) {
      if (!item.is_string()) reader.fail("campus", "must be campus names", describe(item));
      const int index = campus_named(reader, scenario, "campus", *item.value<std::string>());
      if (std::find(choice.listed.begin(), choice.listed.end(), index) != choice.listed.end())
        reader.fail("campus", "campus listed twice", describe(item));
      choice.listed.push_back(index);
    }
  } else if (campus) {
    reader.fail("campus", "must be a campus name, \"any\" or a list of campus names", reader.got("campus"));
  } else if (has_region) {
    const std::string region = reader.string("region");
    for (std::size_t c = 0; c < scenario.campuses.size(); ++c)
      if (scenario.campuses[c].country == region) choice.listed.push_back(static_cast<int>(c));
    if (choice.listed.empty()) {
      std::vector<std::string> countries;
      for (const CampusConfig& c : scenario.campuses)
        if (!c.country.empty() && std::find(countries.begin(), countries.end(), c.country) == countries.end())
          countries.push_back(c.country);
      reader.fail("region", "no campus has this country (countries: " + join_names(countries) + ")", quoted(region));
    }
  }
  const bool dispatchable = !choice.listed.empty();
  for (const char* key : {"dataset_gb", "data_campus"})
    if (!dispatchable && reader.node(key))
      reader.fail(key, "only for a job that may move: campus = \"any\", a list of campuses, or region", reader.got(key));
  if (!dispatchable) return choice;
  DispatchTargets& targets = choice.dispatch.emplace();
  targets.campuses = choice.listed;
  std::sort(targets.campuses.begin(), targets.campuses.end());
  if (reader.node("dataset_gb")) targets.dataset_bytes = reader.number_at_least("dataset_gb", 0.0) * 1e9;
  if (reader.node("data_campus"))
    targets.data_campus = campus_named(reader, scenario, "data_campus", reader.string("data_campus"));
  if (targets.data_campus >= 0 && targets.dataset_bytes > 0) {
    bool reachable = false;
    for (int c : targets.campuses) reachable |= c == targets.data_campus || linked(scenario, c, targets.data_campus);
    if (!reachable)
      reader.fail("data_campus",
                  "no candidate campus is " + scenario.campuses[targets.data_campus].name +
                      " or joined to it by a [[link]]: the dataset cannot reach any",
                  reader.got("data_campus"));
  }
  return choice;
}

}  // namespace fleetsim

#include "sim/scenario/power_reader.hpp"

#include <cmath>

#include "sim/core/csv_row.hpp"
#include "sim/core/csv_table.hpp"
#include "sim/core/duration.hpp"
#include "sim/scenario/time_point_reader.hpp"

namespace fleetsim {

namespace {

const char* const kControls[] = {"admission", "cap", "preempt"};

bool known_control(const std::string& name) {
  for (const char* control : kControls)
    if (name == control) return true;
  return false;
}

// The campus a table names ("campus" key; absent = every campus).
int read_campus_key(TomlReader& reader, const Scenario& scenario) {
  const auto name = reader.optional_string("campus");
  if (!name) return -1;
  const int campus = scenario.campus_index(*name);
  if (campus < 0) reader.fail("campus", "unknown campus", reader.got("campus"));
  return campus;
}

// target_mw or fraction (of the grid connection), exactly one; the campuses it applies to need a connection for a
// fraction.
void read_target(TomlReader& reader, const Scenario& scenario, int campus, double& target_w, double& fraction) {
  const bool has_target = reader.node("target_mw") != nullptr, has_fraction = reader.node("fraction") != nullptr;
  if (has_target == has_fraction)
    reader.fail(has_target ? "fraction" : "target_mw", "give exactly one of target_mw and fraction");
  if (has_target) {
    target_w = reader.number_at_least("target_mw", 0.0) * 1e6;
    return;
  }
  fraction = reader.number_at_least("fraction", 0.0);
  if (fraction > 1) reader.fail("fraction", "must be from 0 to 1 (a share of the grid connection)", reader.got("fraction"));
  for (std::size_t c = 0; c < scenario.campuses.size(); ++c)
    if ((campus < 0 || campus == static_cast<int>(c)) && !(scenario.campuses[c].grid_connection_w > 0))
      reader.fail("fraction", "campus " + scenario.campuses[c].name + " has no grid_connection_mw to take a fraction of");
}

DemandResponseEvent read_event(TomlReader& reader, const Scenario& scenario) {
  DemandResponseEvent event;
  event.campus = read_campus_key(reader, scenario);
  if (!reader.node("start")) reader.fail("start", "missing: when the event begins, e.g. \"30d\"");
  event.start_s = *read_time_point_s(reader, "start", scenario.simulation.calendar);
  event.duration_s = reader.positive_duration_s("duration");
  event.notice_s = reader.optional_duration_s("notice").value_or(0);
  read_target(reader, scenario, event.campus, event.target_w, event.fraction);
  reader.finish();
  return event;
}

SignalRule read_rule(TomlReader& reader, const Scenario& scenario) {
  SignalRule rule;
  const std::string on = reader.string("signal");
  if (on == "price") rule.on = SignalRule::On::price;
  else if (on == "carbon") rule.on = SignalRule::On::carbon;
  else reader.fail("signal", "must be \"price\" (EUR/MWh) or \"carbon\" (g/kWh)", reader.got("signal"));
  rule.above = reader.number("above");
  rule.campus = read_campus_key(reader, scenario);
  read_target(reader, scenario, rule.campus, rule.target_w, rule.fraction);
  reader.finish();
  return rule;
}

}  // namespace

std::vector<DemandResponseEvent> read_demand_response_csv(const std::string& path, const Scenario& scenario) {
  CsvFile file(path);
  const auto index = file.required({"campus", "start", "duration"});
  const int target_column = column_index(file.header(), "target_mw");
  const int fraction_column = column_index(file.header(), "fraction");
  const int notice_column = column_index(file.header(), "notice");  // optional
  if (target_column < 0 && fraction_column < 0)
    throw InputError({path, static_cast<int>(file.header_line())}, "target_mw", "missing column: target_mw or fraction");
  std::vector<DemandResponseEvent> events;
  file.for_each_row([&](const CsvRow& row) {
    DemandResponseEvent event;
    const std::string& campus = row.text(index[0]);
    if (!campus.empty() && campus != "*") {
      event.campus = scenario.campus_index(campus);
      if (event.campus < 0) row.fail(index[0], "unknown campus");
    }
    std::string problem;
    const auto start = time_point_s(row.text(index[1]), scenario.simulation.calendar, problem);
    if (!problem.empty()) row.fail(index[1], problem);
    const auto duration = parse_duration_s(row.text(index[2]));
    if (!duration || !(*duration > 0)) row.fail(index[2], "must be a duration > 0 such as \"3h\"");
    event.start_s = *start;
    event.duration_s = *duration;
    if (notice_column >= 0 && !row.text(notice_column).empty()) {
      const auto notice = parse_duration_s(row.text(notice_column));
      if (!notice || *notice < 0) row.fail(notice_column, "must be a duration >= 0 such as \"1h\"");
      event.notice_s = *notice;
    }
    const bool has_target = target_column >= 0 && !row.text(target_column).empty();
    const bool has_fraction = fraction_column >= 0 && !row.text(fraction_column).empty();
    if (has_target == has_fraction)
      row.fail(has_target ? fraction_column : (target_column >= 0 ? target_column : fraction_column),
               "give exactly one of target_mw and fraction");
    if (has_target) {
      event.target_w = row.number(target_column, NumberRange{0, 1e9}) * 1e6;
    } else {
      event.fraction = row.number(fraction_column, NumberRange{0, 1});
      for (std::size_t c = 0; c < scenario.campuses.size(); ++c)
        if ((event.campus < 0 || event.campus == static_cast<int>(c)) && !(scenario.campuses[c].grid_connection_w > 0))
          row.fail(fraction_column, "campus " + scenario.campuses[c].name + " has no grid_connection_mw to take a fraction of");
    }
    events.push_back(event);
  });
  return events;
}

PowerConfig read_power(TomlReader& reader, const Scenario& scenario) {
  PowerConfig config;
  if (const toml::node* policy = reader.node("policy")) {
    std::vector<std::string> controls;
    if (policy->is_string()) {
      const std::string name = reader.string("policy");
      if (name != "none") controls.push_back(name);
    } else {
      controls = reader.optional_string_list("policy");
      if (controls.empty()) reader.fail("policy", "must not be an empty list (use \"none\")");
    }
    for (std::size_t i = 0; i < controls.size(); ++i) {
      if (!known_control(controls[i]))
        reader.fail("policy", "unknown control \"" + controls[i] +
                                  "\" (known: \"none\", \"admission\", \"cap\", \"preempt\", or a list of the last three)",
                    reader.got("policy"));
      for (std::size_t j = 0; j < i; ++j)
        if (controls[j] == controls[i]) reader.fail("policy", "lists \"" + controls[i] + "\" twice", reader.got("policy"));
    }
    config.controls = controls;
  }
  if (const auto mode = reader.optional_string("cap")) {
    if (*mode == "uniform") config.cap_mode = PowerConfig::CapMode::uniform;
    else if (*mode == "priority") config.cap_mode = PowerConfig::CapMode::priority;
    else reader.fail("cap", "must be \"uniform\" (every running GPU alike) or \"priority\" (lowest priority first)", reader.got("cap"));
  }
  if (reader.node("cap_step")) {
    config.cap_step = reader.positive_number("cap_step");
    if (config.cap_step > 0.5) reader.fail("cap_step", "must be from 0 to 0.5 (a share of each GPU's TDP)", reader.got("cap_step"));
  }
  if (reader.node("control_interval")) config.control_interval_s = reader.positive_duration_s("control_interval");
  if (reader.node("hysteresis")) {
    config.hysteresis = reader.number_at_least("hysteresis", 0.0);
    if (config.hysteresis >= 0.5) reader.fail("hysteresis", "must be from 0 to 0.5 (a share of the budget)", reader.got("hysteresis"));
  }
  if (const auto stop = reader.optional_string("stop")) {
    if (*stop == "checkpoint") config.stop_keeps = PowerConfig::StopKeeps::all;
    else if (*stop == "last-checkpoint") config.stop_keeps = PowerConfig::StopKeeps::last_checkpoint;
    else
      reader.fail("stop",
                  "must be \"checkpoint\" (a stopped job writes one as it stops and keeps its work) or \"last-checkpoint\" "
                  "(it resumes from its last periodic checkpoint)",
                  reader.got("stop"));
  }
  if (const auto pause = reader.optional_string("pause")) {
    if (*pause == "checkpoint") config.pause_at_checkpoint = true;
    else if (*pause != "none")
      reader.fail("pause", "must be \"none\" or \"checkpoint\" (ahead of announced grid events)", reader.got("pause"));
    if (config.pause_at_checkpoint && !config.uses("preempt"))
      reader.fail("pause", "pauses replace stops: the policy must list \"preempt\"", reader.got("pause"));
  }
  if (const auto file = reader.optional_string("events")) {
    const std::string path = scenario.resolve_path(*file);
    config.events = read_demand_response_csv(path, scenario);
  }
  const auto events = reader.table_array("event");
  for (std::size_t i = 0; i < events.size(); ++i) {
    TomlReader sub = reader.element(*events[i], "event", i);
    config.events.push_back(read_event(sub, scenario));
  }
  const auto rules = reader.table_array("rule");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    TomlReader sub = reader.element(*rules[i], "rule", i);
    config.rules.push_back(read_rule(sub, scenario));
  }
  reader.finish();
  return config;
}

}  // namespace fleetsim

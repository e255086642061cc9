#include "sim/sweep/sweep_index.hpp"

#include <cmath>
#include <ctime>
#include <optional>
#include <set>

#include "sim/core/version.hpp"
#include "sim/core/civil_time.hpp"
#include "sim/core/duration.hpp"

namespace fleetsim {

namespace {

constexpr std::size_t kIdBytes = 16, kStatusBytes = 8, kPathBytes = 64, kErrorBytes = 256, kTextMetricBytes = 48;

IndexColumn numbers(std::string name, std::string units) {
  IndexColumn column;
  column.name = std::move(name);
  column.kind = IndexColumn::Kind::number;
  column.units = std::move(units);
  return column;
}
IndexColumn integers(std::string name) {
  IndexColumn column = numbers(std::move(name), "1");
  column.kind = IndexColumn::Kind::integer;
  return column;
}
IndexColumn texts(std::string name, std::size_t bytes) {
  IndexColumn column;
  column.name = std::move(name);
  column.kind = IndexColumn::Kind::text;
  column.text_bytes = bytes;
  return column;
}

}  // namespace

SweepIndexTable build_sweep_index(const SweepPlan& plan, const SweepDirectory& directory) {
  const std::size_t n = plan.points.size();
  std::vector<PointStatus> statuses(n);
  std::vector<std::optional<PointSummary>> summaries(n);
  std::vector<std::string> errors(n);
  std::set<std::string> number_metrics, text_metrics;
  std::map<std::string, std::string> metric_units;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& id = plan.points[i].id;
    statuses[i] = directory.status(id);
    if (statuses[i] == PointStatus::done) {
      try {
        summaries[i] = read_point_summary(directory.result(id));
      } catch (const std::exception& error) {
        statuses[i] = PointStatus::failed;
        errors[i] = std::string("unreadable result file: ") + error.what();
        continue;
      }
      for (const auto& [name, value] : summaries[i]->numbers) number_metrics.insert(name);
      for (const auto& [name, value] : summaries[i]->texts) text_metrics.insert(name);
      for (const auto& [name, units] : summaries[i]->units) metric_units[name] = units;
    } else if (statuses[i] == PointStatus::failed) {
      const auto record = directory.read_error(id);
      errors[i] = record ? record->message : "";
    }
  }

  SweepIndexTable index;
  index.name = plan.name;
  index.scenario_path = plan.scenario_path;
  index.fleetsim_version = version();
  index.created_utc = utc_now();
  index.parameters = plan.parameters;
  index.points = static_cast<std::int64_t>(n);

  IndexColumn id = texts("id", kIdBytes), status = texts("status", kStatusBytes);
  IndexColumn replica = integers("replica"), seed = integers("seed");
  for (std::size_t i = 0; i < n; ++i) {
    id.texts.push_back(plan.points[i].id);
    status.texts.push_back(to_string(statuses[i]));
    replica.integers.push_back(plan.points[i].replica);
    seed.integers.push_back(plan.points[i].seed);
    (statuses[i] == PointStatus::done ? index.done : statuses[i] == PointStatus::failed ? index.failed : index.pending)++;
  }
  index.columns = {id, status, replica, seed};

  for (std::size_t p = 0; p < plan.parameters.size(); ++p) {
    bool numeric = true;
    std::size_t widest = 1;
    for (const SweepPoint& point : plan.points) {
      numeric = numeric && point.settings[p].value.number.has_value();
      widest = std::max(widest, point.settings[p].value.display.size());
    }
    // Numeric parameters get no units attribute: their --set key names them (power_cap_w, duration...).
    IndexColumn column = numeric ? numbers(plan.parameters[p], "") : texts(plan.parameters[p], widest + 1);
    for (const SweepPoint& point : plan.points) {
      if (numeric) column.numbers.push_back(*point.settings[p].value.number);
      else column.texts.push_back(point.settings[p].value.display);
    }
    index.columns.push_back(std::move(column));
    // Durations given as text ("5min", "30d") also get their value in seconds, in a column beside the text.
    if (numeric || plan.points.empty()) continue;
    IndexColumn seconds = numbers(plan.parameters[p] + "_s", "s");
    for (const SweepPoint& point : plan.points) {
      const auto value = parse_duration_s(point.settings[p].value.display);
      if (!value) break;
      seconds.numbers.push_back(*value);
    }
    if (seconds.numbers.size() == plan.points.size()) index.columns.push_back(std::move(seconds));
  }

  for (const std::string& name : number_metrics) {
    IndexColumn column = numbers(name, metric_units.count(name) ? metric_units[name] : "1");
    for (std::size_t i = 0; i < n; ++i) {
      const bool has = summaries[i] && summaries[i]->numbers.count(name);
      column.numbers.push_back(has ? summaries[i]->numbers.at(name) : NAN);
    }
    index.metrics.push_back(name);
    index.columns.push_back(std::move(column));
  }
  for (const std::string& name : text_metrics) {
    if (number_metrics.count(name)) continue;
    IndexColumn column = texts(name, kTextMetricBytes);
    for (std::size_t i = 0; i < n; ++i)
      column.texts.push_back(summaries[i] && summaries[i]->texts.count(name) ? summaries[i]->texts.at(name) : "");
    index.metrics.push_back(name);
    index.columns.push_back(std::move(column));
  }

  IndexColumn horizon = numbers("horizon_s", "s"), per_day = numbers("jobs_per_day", "1/d"),
              wall = numbers("wall_s", "s"), path = texts("path", kPathBytes), error = texts("error", kErrorBytes);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& summary = summaries[i];
    const double horizon_s = summary ? summary->horizon_s : NAN;
    horizon.numbers.push_back(horizon_s);
    const double completed = summary && summary->numbers.count("jobs_completed") ? summary->numbers.at("jobs_completed") : NAN;
    per_day.numbers.push_back(horizon_s > 0 ? completed / (horizon_s / 86400.0) : NAN);
    wall.numbers.push_back(statuses[i] == PointStatus::pending ? NAN : directory.wall_s(plan.points[i].id));
    path.texts.push_back(directory.result_relative(plan.points[i].id));
    error.texts.push_back(errors[i]);
  }
  index.metrics.push_back("jobs_per_day");
  for (IndexColumn* column : {&horizon, &per_day, &wall, &path, &error}) index.columns.push_back(std::move(*column));
  return index;
}

SweepIndexTable write_index(const SweepPlan& plan, const SweepDirectory& directory) {
  SweepIndexTable index = build_sweep_index(plan, directory);
  write_sweep_index(index, directory.index());
  return index;
}

}  // namespace fleetsim

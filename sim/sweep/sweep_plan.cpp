#include "sim/sweep/sweep_plan.hpp"

#include "sim/sweep/atomic_text_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "sim/core/input_file.hpp"
#include "sim/core/input_error.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/toml_reader.hpp"

namespace fleetsim {

namespace {

std::uint64_t fnv1a(const std::string& text, std::uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string hex(std::uint64_t value, int digits) {
  char text[20];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return std::string(text + 16 - digits);
}

using Combination = std::vector<PointSetting>;

// Cartesian product of `lists` (first list varies slowest).
std::vector<Combination> cartesian(const std::vector<const SweepParameter*>& parameters) {
  std::vector<Combination> combinations{{}};
  for (const SweepParameter* parameter : parameters) {
    std::vector<Combination> next;
    next.reserve(combinations.size() * parameter->values.size());
    for (const Combination& prefix : combinations)
      for (const ParameterValue& value : parameter->values) {
        Combination combination = prefix;
        combination.push_back({parameter->key, value});
        next.push_back(std::move(combination));
      }
    combinations = std::move(next);
  }
  return combinations;
}

std::vector<Combination> zipped(const std::vector<const SweepParameter*>& parameters) {
  if (parameters.empty()) return {{}};
  std::vector<Combination> combinations(parameters.front()->values.size());
  for (std::size_t i = 0; i < combinations.size(); ++i)
    for (const SweepParameter* parameter : parameters) combinations[i].push_back({parameter->key, parameter->values[i]});
  return combinations;
}

ParameterValue sampled_value(const SampleRange& range, double unit) {
  double value;
  if (range.log) value = std::exp(std::log(range.low) + unit * (std::log(range.high) - std::log(range.low)));
  else value = range.low + unit * (range.high - range.low);
  ParameterValue result;
  if (range.integer) {
    // Integers low..high each get an equal share of [0, 1).
    const double low = std::ceil(range.low), high = std::floor(range.high);
    const double integer = range.log ? std::round(value)
                                     : std::min(high, low + std::floor(unit * (high - low + 1)));
    result.set_text = result.display = std::to_string(static_cast<long long>(std::clamp(integer, low, high)));
    result.number = std::clamp(integer, low, high);
    return result;
  }
  result.set_text = result.display = format_number(value);
  result.number = value;
  return result;
}

// N samples of the ranges: Latin hypercube (each range cut in N strata, each stratum used once, strata
// shuffled independently per parameter) or plain uniform random. Each parameter draws from its own
// named stream, so adding a parameter does not move the others' values.
std::vector<Combination> sampled(const SweepSpec& spec, const std::vector<const SweepParameter*>& parameters) {
  if (parameters.empty() || spec.sample_points == 0) return {{}};
  const std::size_t count = static_cast<std::size_t>(spec.sample_points);
  std::vector<Combination> combinations(count);
  for (const SweepParameter* parameter : parameters) {
    RandomStream stream(spec.sample_seed, "sweep.sample." + parameter->key);
    std::vector<std::size_t> strata(count);
    std::iota(strata.begin(), strata.end(), 0);
    if (spec.sample_method == "lhs")
      for (std::size_t i = count; i > 1; --i) std::swap(strata[i - 1], strata[stream.next_u64() % i]);
    for (std::size_t i = 0; i < count; ++i) {
      const double unit = spec.sample_method == "lhs" ? (static_cast<double>(strata[i]) + stream.uniform01()) / count
                                                      : stream.uniform01();
      combinations[i].push_back({parameter->key, sampled_value(parameter->range, unit)});
    }
  }
  return combinations;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(separator, start);
    fields.push_back(line.substr(start, end - start));
    if (end == std::string::npos) return fields;
    start = end + 1;
  }
}

}  // namespace

std::string point_id(const std::vector<PointSetting>& settings, std::int64_t seed) {
  std::vector<std::string> parts;
  for (const PointSetting& setting : settings) parts.push_back(setting.key + "=" + setting.value.set_text);
  std::sort(parts.begin(), parts.end());
  std::string canonical;
  for (const std::string& part : parts) canonical += part + "\n";
  canonical += "seed=" + std::to_string(seed);
  return "p" + hex(fnv1a(canonical), 12);
}

SweepPlan expand_sweep(const SweepSpec& spec, std::uint64_t scenario_seed, const std::string& base_text) {
  SweepPlan plan;
  plan.name = spec.name;
  plan.scenario_path = spec.scenario_path;
  plan.fixed_sets = spec.fixed_sets;
  plan.point_timeout_s = spec.point_timeout_s;
  std::string digest_input = base_text;
  for (const std::string& assignment : spec.fixed_sets) digest_input += "\n--set " + assignment;
  plan.base_digest = hex(fnv1a(digest_input), 16);

  std::vector<const SweepParameter*> grid, zip, sample;
  for (const SweepParameter& parameter : spec.parameters) {
    plan.parameters.push_back(parameter.key);
    (parameter.group == ParameterGroup::grid ? grid : parameter.group == ParameterGroup::zip ? zip : sample)
        .push_back(&parameter);
  }
  std::vector<std::int64_t> seeds = spec.seeds.value_or(std::vector<std::int64_t>{});
  if (!spec.seeds)
    for (int r = 0; r < spec.replicas; ++r) seeds.push_back(static_cast<std::int64_t>(scenario_seed) + r);

  const auto grid_points = cartesian(grid);
  const auto zip_points = zipped(zip);
  const auto sample_points = sampled(spec, sample);
  std::set<std::string> ids;
  for (const Combination& g : grid_points)
    for (const Combination& z : zip_points)
      for (const Combination& s : sample_points) {
        // Settings in the plan's parameter order.
        std::map<std::string, ParameterValue> by_key;
        for (const Combination* part : {&g, &z, &s})
          for (const PointSetting& setting : *part) by_key[setting.key] = setting.value;
        std::vector<PointSetting> settings;
        for (const std::string& key : plan.parameters) settings.push_back({key, by_key.at(key)});
        for (std::size_t r = 0; r < seeds.size(); ++r) {
          SweepPoint point{point_id(settings, seeds[r]), static_cast<int>(r), seeds[r], settings};
          if (ids.insert(point.id).second) plan.points.push_back(std::move(point));
        }
      }
  return plan;
}

std::vector<std::string> point_overrides(const SweepPlan& plan, const SweepPoint& point) {
  std::vector<std::string> overrides = plan.fixed_sets;
  for (const PointSetting& setting : point.settings) overrides.push_back(setting.key + "=" + setting.value.set_text);
  return overrides;
}

void write_plan(const SweepPlan& plan, const std::string& path) {
  std::ostringstream out;
  out << "# fleetsim sweep plan v1\n";
  out << "# name\t" << plan.name << "\n";
  out << "# scenario\t" << plan.scenario_path << "\n";
  out << "# digest\t" << plan.base_digest << "\n";
  if (plan.point_timeout_s > 0) out << "# point_timeout_s\t" << format_number(plan.point_timeout_s) << "\n";
  for (const std::string& assignment : plan.fixed_sets) out << "# set\t" << assignment << "\n";
  out << "id\treplica\tseed";
  for (const std::string& key : plan.parameters) out << "\t" << key;
  out << "\n";
  for (const SweepPoint& point : plan.points) {
    out << point.id << "\t" << point.replica << "\t" << point.seed;
    for (const PointSetting& setting : point.settings) out << "\t" << setting.value.set_text;
    out << "\n";
  }
  write_text_atomically(path, out.str());
}

SweepPlan read_plan(const std::string& path) {
  if (!std::ifstream(path)) throw InputError({path, 0}, "file", "cannot open sweep plan (is this a sweep directory?)", std::strerror(errno));
  std::istringstream in(read_small_file(path, kMaxTextFileBytes, "a sweep plan"));
  SweepPlan plan;
  std::string line;
  int number = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line, '\t');
    if (line[0] == '#') {
      if (number == 1 && line != "# fleetsim sweep plan v1")
        throw InputError({path, number}, "header", "not a fleetsim sweep plan", line);
      if (fields.size() == 2 && fields[0] == "# name") plan.name = fields[1];
      if (fields.size() == 2 && fields[0] == "# scenario") plan.scenario_path = fields[1];
      if (fields.size() == 2 && fields[0] == "# digest") plan.base_digest = fields[1];
      if (fields.size() == 2 && fields[0] == "# set") plan.fixed_sets.push_back(fields[1]);
      if (fields.size() == 2 && fields[0] == "# point_timeout_s") plan.point_timeout_s = std::strtod(fields[1].c_str(), nullptr);
      continue;
    }
    if (!header_seen) {
      if (fields.size() < 3 || fields[0] != "id" || fields[1] != "replica" || fields[2] != "seed")
        throw InputError({path, number}, "header", "expected columns id, replica, seed, parameters...", line);
      plan.parameters.assign(fields.begin() + 3, fields.end());
      header_seen = true;
      continue;
    }
    if (fields.size() != plan.parameters.size() + 3)
      throw InputError({path, number}, "row", "expected " + std::to_string(plan.parameters.size() + 3) + " columns",
                       std::to_string(fields.size()));
    SweepPoint point;
    point.id = fields[0];
    try {
      point.replica = std::stoi(fields[1]);
      point.seed = std::stoll(fields[2]);
    } catch (const std::exception&) {
      throw InputError({path, number}, "replica/seed", "must be integers", fields[1] + ", " + fields[2]);
    }
    for (std::size_t i = 0; i < plan.parameters.size(); ++i) {
      ParameterValue value;
      value.set_text = fields[i + 3];
      const std::string& text = value.set_text;
      if (text.size() >= 2 && text.front() == '"') {
        // A TOML basic string written by write_plan: only \" and \\ are escaped.
        for (std::size_t c = 1; c + 1 < text.size(); ++c) value.display += text[c] == '\\' ? text[++c] : text[c];
      } else {
        value.display = text;
        char* end = nullptr;
        const double number_value = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && text != "true" && text != "false")
          value.number = number_value;
      }
      point.settings.push_back({plan.parameters[i], value});
    }
    plan.points.push_back(std::move(point));
  }
  if (!header_seen) throw InputError({path, number}, "header", "no column header: not a fleetsim sweep plan");
  return plan;
}

}  // namespace fleetsim

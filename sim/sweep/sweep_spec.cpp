#include "sim/sweep/sweep_spec.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "sim/core/input_file.hpp"
#include "sim/core/duration.hpp"
#include "sim/core/toml_reader.hpp"

namespace fleetsim {

namespace {

constexpr std::size_t kMaxSweepPoints = 1'000'000;

std::string quoted_toml_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// A scalar TOML value as a parameter value; nullopt for arrays, tables and dates.
std::optional<ParameterValue> parameter_value(const toml::node& node) {
  ParameterValue value;
  if (auto text = node.value_exact<std::string>()) {
    value.set_text = quoted_toml_string(*text);
    value.display = *text;
  } else if (auto integer = node.value_exact<std::int64_t>()) {
    value.set_text = value.display = std::to_string(*integer);
    value.number = static_cast<double>(*integer);
  } else if (auto real = node.value_exact<double>()) {
    if (!std::isfinite(*real)) return std::nullopt;
    value.set_text = value.display = format_number(*real);
    value.number = *real;
  } else if (auto flag = node.value_exact<bool>()) {
    value.set_text = value.display = *flag ? "true" : "false";
  } else {
    return std::nullopt;
  }
  return value;
}

bool is_range_table(const toml::table& table) { return table.contains("min") || table.contains("max"); }

// Leaves of a [grid]/[zip]/[sample.ranges] table, as (dotted key, node), in file order. A leaf is an
// array, or (ranges) a table with min/max; other tables are TOML dotted keys and are walked.
void collect_leaves(const toml::table& table, const std::string& prefix, bool ranges,
                    std::vector<std::pair<std::string, const toml::node*>>& leaves) {
  for (const auto& [key, node] : table) {
    const std::string full = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const toml::table* inner = node.as_table(); inner && !(ranges && is_range_table(*inner)))
      collect_leaves(*inner, full, ranges, leaves);
    else
      leaves.emplace_back(full, &node);
  }
}

std::vector<std::pair<std::string, const toml::node*>> leaves_in_file_order(const toml::table& table, bool ranges) {
  std::vector<std::pair<std::string, const toml::node*>> leaves;
  collect_leaves(table, "", ranges, leaves);
  std::stable_sort(leaves.begin(), leaves.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.second->source().begin;
    const auto& pb = b.second->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return leaves;
}

class SpecReader {
 public:
  SpecReader(const std::string& path, SweepSpec& spec) : path_(path), spec_(spec) {}

  [[noreturn]] void fail(int line, const std::string& key, const std::string& problem,
                         const std::string& got = {}) const {
    throw InputError({path_, line}, key, problem, got);
  }

  void check_key(const std::string& key, int line, const std::string& where) {
    if (key.empty()) fail(line, where, "parameter key must not be empty");
    if (key == "simulation.seed")
      fail(line, where + "." + key, "vary the seed with [sweep] seeds = [...] or replicas = N");
    if (!keys_.insert(key).second) fail(line, where + "." + key, "parameter appears twice in the sweep");
  }

  void values_group(const toml::table& table, const std::string& where, ParameterGroup group) {
    for (const auto& [key, node] : leaves_in_file_order(table, false)) {
      const int line = line_of(*node);
      check_key(key, line, where);
      const std::string label = where + "." + key;
      const toml::array* array = node->as_array();
      if (!array || array->empty()) fail(line, label, "must be a non-empty array of values", describe(*node));
      SweepParameter parameter{key, line, group, {}, {}};
      std::set<std::string> seen;
      for (const toml::node& item : *array) {
        auto value = parameter_value(item);
        if (!value) fail(line, label, "values must be numbers, strings or booleans", describe(item));
        if (value->display.find_first_of("\t\n\r") != std::string::npos)
          fail(line, label, "values must not contain tabs or line breaks", describe(item));
        if (!seen.insert(value->set_text).second) fail(line, label, "value listed twice", describe(item));
        parameter.values.push_back(*value);
      }
      spec_.parameters.push_back(std::move(parameter));
    }
  }

  void ranges(const toml::table& table) {
    for (const auto& [key, node] : leaves_in_file_order(table, true)) {
      const int line = line_of(*node);
      check_key(key, line, "sample.ranges");
      const std::string label = "sample.ranges." + key;
      SampleRange range;
      if (const toml::array* pair = node->as_array()) {
        if (pair->size() != 2 || !(*pair)[0].is_number() || !(*pair)[1].is_number())
          fail(line, label, "must be [low, high] or { min = .., max = .. }", describe(*node));
        range.low = *number_of((*pair)[0]);
        range.high = *number_of((*pair)[1]);
        range.integer = (*pair)[0].is_integer() && (*pair)[1].is_integer();
      } else if (const toml::table* options = node->as_table()) {
        TomlReader reader(*options, path_, label);
        range.low = reader.number("min");
        range.high = reader.number("max");
        for (const char* flag : {"integer", "log"})
          if (const std::optional<bool> set = reader.optional_bool(flag))
            (std::strcmp(flag, "log") == 0 ? range.log : range.integer) = *set;
        reader.finish();
      } else {
        fail(line, label, "must be [low, high] or { min = .., max = .. }", describe(*node));
      }
      if (!std::isfinite(range.low) || !std::isfinite(range.high) || !(range.low < range.high))
        fail(line, label, "needs low < high", describe(*node));
      if (range.log && !(range.low > 0)) fail(line, label, "a log range needs low > 0", describe(*node));
      spec_.parameters.push_back({key, line, ParameterGroup::sample, {}, range});
    }
  }

 private:
  std::string path_;
  SweepSpec& spec_;
  std::set<std::string> keys_;
};

// SLURM's --time: accepts SLURM's own forms (MM, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]) or a duration ("30min").
std::string slurm_time(TomlReader& reader) {
  const std::string text = reader.string("time");
  static const std::regex slurm_form(R"(^(\d+-)?\d+(:\d{1,2}){0,2}$)");
  if (std::regex_match(text, slurm_form)) return text;
  auto seconds = parse_duration_s(text);
  if (!seconds || *seconds < 1)
    reader.fail("time", "must be a SLURM time (HH:MM:SS, D-HH:MM:SS) or a duration like \"30min\"", quoted_toml_string(text));
  // A bound before the conversion to whole seconds (a larger double does not fit a long: found by fuzzing). A
  // year is beyond any partition's MaxTime.
  constexpr double kMaxSeconds = 365.0 * 86400;
  if (*seconds > kMaxSeconds) reader.fail("time", "must be at most 365 days", quoted_toml_string(text));
  const long total = static_cast<long>(std::ceil(*seconds));
  char formatted[40];
  std::snprintf(formatted, sizeof formatted, "%ld-%02ld:%02ld:%02ld", total / 86400, total % 86400 / 3600,
                total % 3600 / 60, total % 60);
  return formatted;
}

SlurmOptions read_slurm(TomlReader reader) {
  SlurmOptions slurm;
  slurm.partition = reader.optional_string("partition").value_or("");
  slurm.account = reader.optional_string("account").value_or("");
  if (reader.node("time")) slurm.time = slurm_time(reader);
  if (auto mem = reader.optional_string("mem")) {
    static const std::regex memory_form(R"(^\d+[KMGT]?$)");
    if (!std::regex_match(*mem, memory_form))
      reader.fail("mem", "must be a SLURM memory size like 4G or 500M", quoted_toml_string(*mem));
    slurm.mem = *mem;
  }
  if (reader.node("cpus_per_task")) slurm.cpus_per_task = static_cast<int>(reader.positive_integer("cpus_per_task", 1024));
  if (reader.node("throttle")) slurm.throttle = static_cast<int>(reader.positive_integer("throttle", 100000));
  if (reader.node("points_per_task"))
    slurm.points_per_task = static_cast<int>(reader.positive_integer("points_per_task", 100000));
  slurm.modules = reader.optional_string_list("modules");
  slurm.setup = reader.optional_string_list("setup");
  slurm.sbatch = reader.optional_string_list("sbatch");
  for (const std::string& option : slurm.sbatch)
    if (option.rfind("-", 0) != 0 || option.find('\n') != std::string::npos)
      reader.fail("sbatch", "each entry must be one sbatch option starting with '-'", quoted_toml_string(option));
  if (reader.node("poll")) slurm.poll_s = reader.positive_duration_s("poll");
  reader.finish();
  return slurm;
}

}  // namespace

SweepSpec load_sweep_spec(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError({path, 0}, "file", "cannot open sweep file", std::strerror(errno));
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw InputError({path, 0}, "file", "a sweep file must be a regular file");
  const toml::table table = parse_toml(read_small_file(path, kMaxTextFileBytes, "a sweep file"), path);

  SweepSpec spec;
  spec.path = path;
  TomlReader root(table, path, "");
  const toml::table* sweep = root.optional_table("sweep");
  if (!sweep) root.fail("sweep", "required table is missing ([sweep] with name and scenario)");
  {
    TomlReader reader = root.child(*sweep, "sweep");
    spec.name = reader.name("name", 64);
    const std::filesystem::path scenario = reader.string("scenario");
    spec.scenario_path = scenario.is_absolute()
                             ? scenario.string()
                             : (std::filesystem::path(path).parent_path() / scenario).lexically_normal().string();
    std::error_code missing;  // a name too long for the file system is not found either, not an exception
    if (std::filesystem::is_directory(spec.scenario_path, missing))
      reader.fail("scenario", "is a directory, not a scenario file", quoted_toml_string(spec.scenario_path));
    if (!std::filesystem::is_regular_file(spec.scenario_path, missing))
      reader.fail("scenario", "scenario file not found", quoted_toml_string(spec.scenario_path));
    spec.fixed_sets = reader.optional_string_list("set");
    for (const std::string& assignment : spec.fixed_sets)
      if (assignment.find('=') == std::string::npos || assignment.front() == '=')
        reader.fail("set", "each entry must be KEY=VALUE", quoted_toml_string(assignment));
    if (const toml::node* seeds = reader.node("seeds")) {
      const toml::array* list = seeds->as_array();
      if (!list || list->empty()) reader.fail("seeds", "must be a non-empty array of integers >= 0", describe(*seeds));
      std::vector<std::int64_t> values;
      std::set<std::int64_t> seen;
      for (const toml::node& item : *list) {
        auto seed = item.value_exact<std::int64_t>();
        if (!seed || *seed < 0) reader.fail("seeds", "must be a non-empty array of integers >= 0", describe(item));
        if (!seen.insert(*seed).second) reader.fail("seeds", "seed listed twice", describe(item));
        values.push_back(*seed);
      }
      spec.seeds = values;
    }
    if (reader.node("point_timeout")) spec.point_timeout_s = reader.positive_duration_s("point_timeout");
    if (reader.node("replicas")) {
      if (spec.seeds) reader.fail("replicas", "give either seeds or replicas, not both");
      spec.replicas = static_cast<int>(reader.positive_integer("replicas", 100000));
    }
    reader.finish();
  }

  SpecReader parameters(path, spec);
  if (const toml::table* grid = root.optional_table("grid")) parameters.values_group(*grid, "grid", ParameterGroup::grid);
  if (const toml::table* zip = root.optional_table("zip")) {
    parameters.values_group(*zip, "zip", ParameterGroup::zip);
    std::size_t length = 0;
    for (const SweepParameter& parameter : spec.parameters) {
      if (parameter.group != ParameterGroup::zip) continue;
      if (length == 0) length = parameter.values.size();
      else if (parameter.values.size() != length)
        parameters.fail(parameter.line, "zip." + parameter.key,
                        "zipped lists must have the same length (" + std::to_string(length) + ")",
                        std::to_string(parameter.values.size()) + " values");
    }
  }
  if (const toml::table* sample = root.optional_table("sample")) {
    TomlReader reader = root.child(*sample, "sample");
    spec.sample_method = reader.optional_string("method").value_or("lhs");
    if (spec.sample_method != "lhs" && spec.sample_method != "random")
      reader.fail("method", "unknown sampling method (known: lhs, random)", quoted_toml_string(spec.sample_method));
    spec.sample_points = static_cast<int>(reader.positive_integer("points", 100000));
    if (auto seed = reader.optional_integer("seed")) {
      if (*seed < 0) reader.fail("seed", "must be >= 0", reader.got("seed"));
      spec.sample_seed = static_cast<std::uint64_t>(*seed);
    }
    const toml::table* ranges = reader.optional_table("ranges");
    if (!ranges || ranges->empty()) reader.fail("ranges", "required: [sample.ranges] KEY = [low, high]");
    parameters.ranges(*ranges);
    reader.finish();
  }
  if (const toml::table* slurm = root.optional_table("slurm")) spec.slurm = read_slurm(root.child(*slurm, "slurm"));
  root.finish();

  double points = static_cast<double>(spec.seeds ? spec.seeds->size() : spec.replicas);
  bool zip_counted = false;
  for (const SweepParameter& parameter : spec.parameters) {
    if (parameter.group == ParameterGroup::grid) points *= static_cast<double>(parameter.values.size());
    if (parameter.group == ParameterGroup::zip && !zip_counted) {
      points *= static_cast<double>(parameter.values.size());
      zip_counted = true;
    }
  }
  if (spec.sample_points > 0) points *= spec.sample_points;
  if (points > static_cast<double>(kMaxSweepPoints))
    throw InputError({path, 0}, "sweep", "too many points (at most " + std::to_string(kMaxSweepPoints) + ")",
                     format_number(points));
  return spec;
}

}  // namespace fleetsim

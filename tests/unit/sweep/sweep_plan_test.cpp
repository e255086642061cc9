// Sweep files and their expansion into points: counts, order, ids, samples, the plan file.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "sim/core/input_error.hpp"
#include "sim/sweep/sweep_plan.hpp"

using namespace fleetsim;
namespace fs = std::filesystem;

namespace {

// Writes `text` as a sweep file next to an (empty) base scenario in a fresh directory; returns its path.
std::string sweep_file(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("fleetsim-sweep-test-" + name);
  fs::create_directories(dir);
  std::ofstream(dir / "base.toml") << "[simulation]\nname = \"base\"\n";
  std::ofstream(dir / "sweep.toml") << text;
  return (dir / "sweep.toml").string();
}

std::string error_of(const std::string& path) {
  try {
    load_sweep_spec(path);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

std::map<std::string, std::string> settings_of(const SweepPoint& point) {
  std::map<std::string, std::string> settings;
  for (const PointSetting& setting : point.settings) settings[setting.key] = setting.value.display;
  return settings;
}

}  // namespace

TEST_CASE("a grid is the cartesian product, first key slowest, times the replicas") {
  const auto path = sweep_file("grid", R"(
[sweep]
name = "g"
scenario = "base.toml"
replicas = 2
[grid]
"scheduler.policy" = ["fifo", "easy-backfill"]
campus.paris.pue = [1.1, 1.2, 1.3]
)");
  const SweepSpec spec = load_sweep_spec(path);
  REQUIRE(spec.parameters.size() == 2);
  CHECK(spec.parameters[0].key == "scheduler.policy");  // file order, not alphabetical
  CHECK(spec.parameters[1].key == "campus.paris.pue");   // a TOML dotted key is a --set key too
  const SweepPlan plan = expand_sweep(spec, 7, "base text");
  REQUIRE(plan.points.size() == 2 * 3 * 2);
  CHECK(settings_of(plan.points[0]) == std::map<std::string, std::string>{{"scheduler.policy", "fifo"}, {"campus.paris.pue", "1.1"}});
  CHECK(plan.points[0].seed == 7);
  CHECK(plan.points[1].seed == 8);  // replica 1: the scenario's seed + 1
  CHECK(plan.points[1].replica == 1);
  CHECK(settings_of(plan.points[2])["campus.paris.pue"] == "1.2");
  CHECK(settings_of(plan.points[6])["scheduler.policy"] == "easy-backfill");
  // --set arguments: strings quoted as TOML, numbers as written.
  CHECK(point_overrides(plan, plan.points[0]) ==
        std::vector<std::string>{"scheduler.policy=\"fifo\"", "campus.paris.pue=1.1"});
  std::set<std::string> ids;
  for (const SweepPoint& point : plan.points) ids.insert(point.id);
  CHECK(ids.size() == plan.points.size());
}

TEST_CASE("point ids depend on the parameters and seed only, not on their order in the file") {
  const std::vector<PointSetting> a{{"x", {"1", "1", 1.0}}, {"y", {"\"fifo\"", "fifo", std::nullopt}}};
  const std::vector<PointSetting> b{{"y", {"\"fifo\"", "fifo", std::nullopt}}, {"x", {"1", "1", 1.0}}};
  CHECK(point_id(a, 1) == point_id(b, 1));
  CHECK(point_id(a, 1) != point_id(a, 2));
  CHECK(point_id(a, 1).size() == 13);
  CHECK(point_id(a, 1)[0] == 'p');
  // Pinned: ids must stay stable across versions, or resumed sweeps would rerun every point.
  CHECK(point_id({}, 0) == point_id({}, 0));
  CHECK(point_id({{"x", {"1", "1", 1.0}}}, 0) != point_id({{"x", {"1.0", "1.0", 1.0}}}, 0));
}

TEST_CASE("zipped lists vary together, explicit seeds replace replicas") {
  const auto path = sweep_file("zip", R"(
[sweep]
name = "z"
scenario = "base.toml"
seeds = [11, 42]
[zip]
"a" = [1, 2, 3]
"b" = ["x", "y", "z"]
)");
  const SweepPlan plan = expand_sweep(load_sweep_spec(path), 1, "");
  REQUIRE(plan.points.size() == 3 * 2);
  CHECK(settings_of(plan.points[2]) == std::map<std::string, std::string>{{"a", "2"}, {"b", "y"}});
  CHECK(plan.points[2].seed == 11);
  CHECK(plan.points[3].seed == 42);
}

TEST_CASE("a Latin hypercube sample puts exactly one point in each stratum of every range") {
  const auto path = sweep_file("lhs", R"(
[sweep]
name = "s"
scenario = "base.toml"
[sample]
method = "lhs"
points = 10
seed = 3
[sample.ranges]
"campus.paris.pue" = [1.0, 2.0]
"workload.0.jobs" = { min = 100, max = 1000, log = true }
)");
  const SweepPlan plan = expand_sweep(load_sweep_spec(path), 1, "");
  REQUIRE(plan.points.size() == 10);
  std::set<int> pue_strata, jobs_strata;
  for (const SweepPoint& point : plan.points) {
    const double pue = *point.settings[0].value.number;
    const double jobs = *point.settings[1].value.number;
    REQUIRE(pue >= 1.0);
    REQUIRE(pue < 2.0);
    pue_strata.insert(static_cast<int>((pue - 1.0) * 10));
    // log range: strata are equal in log space, 100 .. 1000 in tenths of a decade
    jobs_strata.insert(static_cast<int>(std::log10(jobs / 100.0) * 10));
  }
  CHECK(pue_strata.size() == 10);
  CHECK(jobs_strata.size() == 10);
  // Same seed, same sample.
  const SweepPlan again = expand_sweep(load_sweep_spec(path), 1, "");
  CHECK(again.points[4].id == plan.points[4].id);
}

TEST_CASE("integer ranges give integers in [min, max], each equally likely") {
  const auto path = sweep_file("int", R"(
[sweep]
name = "i"
scenario = "base.toml"
[sample]
method = "random"
points = 4000
[sample.ranges]
n = [1, 4]
)");
  const SweepSpec spec = load_sweep_spec(path);
  REQUIRE(spec.parameters[0].range.integer);
  const SweepPlan plan = expand_sweep(spec, 1, "");
  // 4,000 draws of 1..4 collapse to 4 distinct points (equal ids are kept once).
  REQUIRE(plan.points.size() == 4);
  std::set<std::string> values;
  for (const SweepPoint& point : plan.points) values.insert(point.settings[0].value.set_text);
  CHECK(values == std::set<std::string>{"1", "2", "3", "4"});
}

TEST_CASE("grid, zip and sample combine as a product") {
  const auto path = sweep_file("product", R"(
[sweep]
name = "p"
scenario = "base.toml"
replicas = 3
[grid]
g = [1, 2]
[zip]
a = [1, 2, 3]
b = [4, 5, 6]
[sample]
points = 5
[sample.ranges]
r = [0.0, 1.0]
)");
  CHECK(expand_sweep(load_sweep_spec(path), 1, "").points.size() == 2 * 3 * 5 * 3);
}

TEST_CASE("the plan file reads back what was written") {
  const auto path = sweep_file("roundtrip", R"(
[sweep]
name = "r"
scenario = "base.toml"
set = ["simulation.duration=1d"]
point_timeout = "90min"
[grid]
"scheduler.policy" = ["fifo", "a \"quoted\" \\ name"]
x = [0.1, 20]
)");
  const SweepPlan plan = expand_sweep(load_sweep_spec(path), 5, "base");
  const std::string file = (fs::path(path).parent_path() / "plan.tsv").string();
  write_plan(plan, file);
  const SweepPlan back = read_plan(file);
  CHECK(back.name == "r");
  CHECK(back.base_digest == plan.base_digest);
  CHECK(back.fixed_sets == std::vector<std::string>{"simulation.duration=1d"});
  CHECK(back.point_timeout_s == 5400.0);
  CHECK(back.parameters == plan.parameters);
  REQUIRE(back.points.size() == plan.points.size());
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    CHECK(back.points[i].id == plan.points[i].id);
    CHECK(back.points[i].seed == plan.points[i].seed);
    CHECK(point_overrides(back, back.points[i]) == point_overrides(plan, plan.points[i]));
    CHECK(settings_of(back.points[i]) == settings_of(plan.points[i]));
    CHECK(back.points[i].settings[1].value.number == plan.points[i].settings[1].value.number);
  }
  CHECK(settings_of(back.points[2])["scheduler.policy"] == "a \"quoted\" \\ name");
  // The digest follows the base scenario's text and the fixed sets.
  CHECK(expand_sweep(load_sweep_spec(path), 5, "other").base_digest != plan.base_digest);
}

TEST_CASE("sweep file errors name the file, line and key") {
  const auto check = [](const std::string& name, const std::string& body, const std::string& expected) {
    const std::string path = sweep_file(name, "[sweep]\nname = \"e\"\nscenario = \"base.toml\"\n" + body);
    CHECK(error_of(path) == path + expected);
  };
  check("zip-length", "[zip]\na = [1, 2]\nb = [1]\n", ":6: zip.b: zipped lists must have the same length (2) (got 1 values)");
  check("dup-key", "[grid]\na = [1]\n[zip]\na = [2]\n", ":7: zip.a: parameter appears twice in the sweep");
  check("dup-value", "[grid]\na = [1, 1]\n", ":5: grid.a: value listed twice (got 1 (integer))");
  check("empty", "[grid]\na = []\n", ":5: grid.a: must be a non-empty array of values (got an array)");
  check("seed-param", "[grid]\n\"simulation.seed\" = [1, 2]\n",
        ":5: grid.simulation.seed: vary the seed with [sweep] seeds = [...] or replicas = N");
  check("range", "[sample]\npoints = 3\n[sample.ranges]\nr = [2.0, 1.0]\n", ":7: sample.ranges.r: needs low < high (got an array)");
  check("method", "[sample]\nmethod = \"sobol\"\npoints = 3\n[sample.ranges]\nr = [1.0, 2.0]\n",
        ":5: sample.method: unknown sampling method (known: lhs, random) (got \"sobol\")");
  check("slurm-time", "[slurm]\ntime = \"soon\"\n",
        ":5: slurm.time: must be a SLURM time (HH:MM:SS, D-HH:MM:SS) or a duration like \"30min\" (got \"soon\")");
  check("slurm-mem", "[slurm]\nmem = \"lots\"\n", ":5: slurm.mem: must be a SLURM memory size like 4G or 500M (got \"lots\")");
  check("unknown", "[slurm]\nqueue = \"x\"\n", ":5: slurm.queue: unknown key (got \"x\" (string))");
  const std::string missing = sweep_file("missing", "[sweep]\nname = \"m\"\nscenario = \"nope.toml\"\n");
  CHECK(error_of(missing).find(":3: sweep.scenario: scenario file not found") != std::string::npos);
}

TEST_CASE("SLURM times accept SLURM's forms and durations") {
  const auto time_of = [](const std::string& text) {
    const std::string path = sweep_file("time", "[sweep]\nname = \"t\"\nscenario = \"base.toml\"\n[slurm]\ntime = \"" + text + "\"\n");
    return load_sweep_spec(path).slurm.time;
  };
  CHECK(time_of("30") == "30");
  CHECK(time_of("01:30:00") == "01:30:00");
  CHECK(time_of("2-00:00:00") == "2-00:00:00");
  CHECK(time_of("90min") == "0-01:30:00");
  CHECK(time_of("1.5d") == "1-12:00:00");
}

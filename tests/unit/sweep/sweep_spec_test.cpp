// Sweep files read by load_sweep_spec: bounds found by fuzzing (tests/fuzz/corpus/sweep/).
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/core/input_error.hpp"
#include "sim/sweep/sweep_spec.hpp"

using namespace fleetsim;
namespace fs = std::filesystem;

namespace {
fs::path test_dir() { return fs::temp_directory_path() / ("fleetsim-sweep-spec-test-" + std::to_string(::getpid())); }

// A sweep over an (empty) base scenario with the given [slurm] time.
std::string sweep_with_slurm_time(const std::string& time) {
  const fs::path dir = test_dir();
  fs::create_directories(dir);
  std::ofstream(dir / "base.toml") << "[simulation]\nname = \"base\"\n";
  std::ofstream(dir / "sweep.toml") << "[sweep]\nname = \"s\"\nscenario = \"base.toml\"\n[grid]\n\"x\" = [1, 2]\n"
                                    << "[slurm]\ntime = \"" << time << "\"\n";
  return (dir / "sweep.toml").string();
}
}  // namespace

TEST_CASE("a SLURM time given as a duration is written as D-HH:MM:SS, up to a year, and beyond is an input error") {
  CHECK(load_sweep_spec(sweep_with_slurm_time("90min")).slurm.time == "0-01:30:00");
  CHECK(load_sweep_spec(sweep_with_slurm_time("365d")).slurm.time == "365-00:00:00");
  const std::string path = sweep_with_slurm_time("366d");
  CHECK_THROWS_WITH(load_sweep_spec(path), path + ":7: slurm.time: must be at most 365 days (got \"366d\")");
  // Found by fuzzing: a duration too large for a long was converted anyway (undefined behaviour).
  CHECK_THROWS_AS(load_sweep_spec(sweep_with_slurm_time("82222222222222222222222222222222222222222222210min")),
                  InputError);
  fs::remove_all(fs::path(path).parent_path());
}

TEST_CASE("a sweep naming a scenario whose name is too long for the file system is an input error, not an exception") {
  // Found by fuzzing: std::filesystem::is_regular_file threw filesystem_error (ENAMETOOLONG) out of the loader.
  const fs::path dir = test_dir();
  fs::create_directories(dir);
  const std::string scenario = "../" + std::string(300, 'x') + ".toml";
  std::ofstream(dir / "long.toml") << "[sweep]\nname = \"s\"\nscenario = \"" << scenario << "\"\n";
  const std::string path = (dir / "long.toml").string();
  CHECK_THROWS_WITH(load_sweep_spec(path),
                    Catch::Matchers::StartsWith(path + ":3: sweep.scenario: scenario file not found"));
  fs::remove_all(dir);
}

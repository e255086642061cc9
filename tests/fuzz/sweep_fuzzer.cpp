// libFuzzer target: a sweep file (load_sweep_spec) and its plan (expand_sweep), as `fleetsim sweep` reads them.
// The input is written to <scratch>/sweeps/fuzz.toml; <scratch>/examples, validation, bench link to the repository's
// scenarios/ folders, so a sweep naming "../examples/quickstart.toml" finds its scenario.
#include <cstdint>
#include <string>

#include "sim/core/input_error.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

std::filesystem::path sweep_path() {
  const std::filesystem::path& dir = fleetsim::fuzz::scratch_dir();
  std::filesystem::create_directories(dir / "sweeps");
  for (const char* folder : {"examples", "validation", "bench", "seed"}) {
    const std::filesystem::path target = std::filesystem::path(FLEETSIM_SOURCE_DIR "/scenarios") / folder;
    std::error_code ignored;
    if (std::filesystem::is_directory(target)) std::filesystem::create_directory_symlink(target, dir / folder, ignored);
  }
  return dir / "sweeps" / "fuzz.toml";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path = sweep_path();
  fleetsim::fuzz::write_input(path, data, size);
  try {
    const fleetsim::SweepSpec spec = fleetsim::load_sweep_spec(path.string());
    fleetsim::expand_sweep(spec, 1, "");
  } catch (const fleetsim::InputError&) {
  }
  return 0;
}

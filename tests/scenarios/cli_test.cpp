// The fleetsim binary as a user runs it: exit codes, help, outputs, interruption, determinism.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;

namespace {
struct Result {
  int exit_code;
  std::string output;  // stdout and stderr
};

Result run(const std::string& arguments) {
  const std::string command = std::string(FLEETSIM_BINARY) + " " + arguments + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("fleetsim-cli-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Raw bytes of a dataset, as stored (the file's own types).
std::vector<char> dataset_bytes(const std::string& file_path, const std::string& dataset_path) {
  hid_t file = H5Fopen(file_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t dataset = H5Dopen2(file, dataset_path.c_str(), H5P_DEFAULT);
  hid_t type = H5Dget_type(dataset);
  hid_t space = H5Dget_space(dataset);
  std::vector<char> bytes(H5Tget_size(type) * H5Sget_simple_extent_npoints(space));
  if (!bytes.empty()) H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(dataset);
  H5Fclose(file);
  return bytes;
}

const std::string kQuickstart = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.toml";
}  // namespace

TEST_CASE("cli: help for every command, exit codes 0 and 2") {
  CHECK(run("--help").exit_code == 0);
  for (const char* command : {"run", "validate", "catalog"}) {
    Result help = run(std::string(command) + " --help");
    CHECK(help.exit_code == 0);
    CHECK(help.output.find("usage: fleetsim") != std::string::npos);
  }
  CHECK(run("").exit_code == 2);
  CHECK(run("frobnicate").exit_code == 2);
  CHECK(run("run --no-such-flag x.toml").exit_code == 2);
}

TEST_CASE("cli: catalog lists the H100 hardware") {
  Result catalog = run("catalog");
  CHECK(catalog.exit_code == 0);
  CHECK(catalog.output.find("h100-sxm") != std::string::npos);
  CHECK(catalog.output.find("dgx-h100") != std::string::npos);
}

TEST_CASE("cli: validate accepts the quick start and reports a bad --set with exit 2") {
  CHECK(run("validate " + kQuickstart).exit_code == 0);
  Result bad = run("validate " + kQuickstart + " --set campus.paris.grid_connection_mw=-1");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output == "--set:1: campus.paris.grid_connection_mw: must be > 0 (got -1 (integer))\n");
}

TEST_CASE("cli: a missing output directory is bad input and nothing is written") {
  fs::path dir = scratch("nodir");
  Result result = run("run " + kQuickstart + " -o " + (dir / "missing" / "out.h5").string() + " --quiet");
  CHECK(result.exit_code == 2);
  CHECK(fs::is_empty(dir));
}

TEST_CASE("cli: an output directory whose name is too long for the file system is bad input, not an internal error") {
  fs::path dir = scratch("longdir");
  Result result = run("run " + kQuickstart + " -o " + (dir / std::string(300, 'x') / "out.h5").string() + " --quiet");
  CHECK(result.exit_code == 2);
  CHECK(fs::is_empty(dir));
}

TEST_CASE("cli: same seed gives byte-identical /jobs and /campuses and another seed differs") {
  fs::path dir = scratch("determinism");
  const std::string common = " --quiet --set simulation.duration=2d";
  REQUIRE(run("run " + kQuickstart + " -o " + (dir / "a.h5").string() + common).exit_code == 0);
  REQUIRE(run("run " + kQuickstart + " -o " + (dir / "b.h5").string() + common).exit_code == 0);
  REQUIRE(run("run " + kQuickstart + " -o " + (dir / "c.h5").string() + common + " --seed 2").exit_code == 0);
  const std::string a = (dir / "a.h5").string(), b = (dir / "b.h5").string(), c = (dir / "c.h5").string();
  CHECK(dataset_bytes(a, "/jobs").size() > 1000);
  CHECK(dataset_bytes(a, "/jobs") == dataset_bytes(b, "/jobs"));
  for (const char* campus : {"paris", "lyon", "warsaw", "essonne"}) {
    const std::string series = std::string("/campuses/") + campus + "/timeseries";
    CHECK(dataset_bytes(a, series) == dataset_bytes(b, series));
  }
  CHECK(dataset_bytes(a, "/jobs") != dataset_bytes(c, "/jobs"));
  fs::remove_all(dir);
}

TEST_CASE("cli: an interrupted run leaves no file under the final name or the temporary one") {
  fs::path dir = scratch("sigint");
  const fs::path out = dir / "big.h5";
  const std::string scenario = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/bench/fleet-1gw-year-10th.toml";
  const pid_t child = fork();
  if (child == 0) {
    execl(FLEETSIM_BINARY, FLEETSIM_BINARY, "run", scenario.c_str(), "-o", out.c_str(), "--quiet",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // SIGINT once the temporary output exists (the handler is installed before it is created), not after a fixed
  // delay: a slow start (a sanitizer build, a loaded machine) would otherwise be killed before it handles signals.
  int status = 0;
  bool exited = false;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!exited && std::chrono::steady_clock::now() < give_up) {
    bool temporary_exists = false;
    for (const auto& entry : fs::directory_iterator(dir))
      temporary_exists = temporary_exists || entry.path().extension() == ".tmp";
    if (temporary_exists) break;
    exited = waitpid(child, &status, WNOHANG) == child;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    kill(child, SIGINT);
    waitpid(child, &status, 0);
  }
  const bool finished_first = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!finished_first) {
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + SIGINT);
    CHECK_FALSE(fs::exists(out));
  }
  // No temporary file (OUT.h5.<pid>.tmp) is left, whatever its name: only the finished output, if any.
  for (const auto& entry : fs::directory_iterator(dir)) CHECK(entry.path() == out);
  fs::remove_all(dir);
}

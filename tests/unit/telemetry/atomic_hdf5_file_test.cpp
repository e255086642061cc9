// AtomicHdf5File: the one way a result file and the sweep index are put in place (whole, or not at all; never
// through a link, never over another writer's temporary file, never over a non-regular file).
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/telemetry/atomic_hdf5_file.hpp"
#include "sim/telemetry/hdf5_sink.hpp"

using namespace fleetsim;
namespace fs = std::filesystem;

namespace {

fs::path fresh_directory(const char* name) {
  const fs::path directory = fs::temp_directory_path() / ("fleetsim-atomic-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

std::string text_of(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_marker(hid_t file) {
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t attribute = H5Acreate2(file, "marker", H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT);
  const int value = 42;
  H5Awrite(attribute, H5T_NATIVE_INT, &value);
  H5Aclose(attribute);
  H5Sclose(space);
}

int read_marker(const fs::path& path) {
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  hid_t attribute = H5Aopen(file, "marker", H5P_DEFAULT);
  int value = 0;
  H5Aread(attribute, H5T_NATIVE_INT, &value);
  H5Aclose(attribute);
  H5Fclose(file);
  return value;
}

}  // namespace

TEST_CASE("a file written atomically is whole at its name, through a temporary name of this process only") {
  const fs::path directory = fresh_directory("whole");
  const fs::path path = directory / "sweep.h5";
  const fs::path precious = directory / "precious.txt";
  std::ofstream(precious) << "keep me";
  fs::create_symlink(precious, directory / "sweep.h5.tmp");  // the old fixed temporary name
  hdf5::write_file_atomically(path.string(), [&](hid_t file) {
    CHECK(fs::is_regular_file(temporary_path(path.string())));
    CHECK_FALSE(fs::exists(path));  // not at its name until whole
    write_marker(file);
  });
  CHECK(read_marker(path) == 42);
  CHECK(text_of(precious) == "keep me");                      // the link was not followed
  CHECK(fs::is_symlink(directory / "sweep.h5.tmp"));          // nor removed: it is not ours
  CHECK_FALSE(fs::exists(fs::symlink_status(temporary_path(path.string()))));
  fs::remove_all(directory);
}

TEST_CASE("a link or a file at this process's temporary name is neither followed nor replaced nor removed") {
  const fs::path directory = fresh_directory("taken");
  const fs::path path = directory / "sweep.h5";
  const fs::path precious = directory / "precious.txt";
  std::ofstream(precious) << "keep me";
  fs::create_symlink(precious, temporary_path(path.string()));
  CHECK_THROWS_WITH(hdf5::write_file_atomically(path.string(), write_marker),
                    Catch::Contains("cannot create " + temporary_path(path.string()) + ": File exists"));
  CHECK(text_of(precious) == "keep me");
  CHECK(fs::is_symlink(temporary_path(path.string())));
  CHECK_FALSE(fs::exists(path));
  fs::remove_all(directory);
}

TEST_CASE("a non-regular file at the name is never replaced, and no temporary file is left") {
  const fs::path directory = fresh_directory("special");
  const fs::path precious = directory / "precious.txt";
  std::ofstream(precious) << "keep me";
  const fs::path link = directory / "link.h5";
  fs::create_symlink(precious, link);
  const fs::path folder = directory / "folder.h5";
  fs::create_directory(folder);
  for (const fs::path& path : {link, folder}) {
    CHECK_THROWS_WITH(hdf5::write_file_atomically(path.string(), write_marker),
                      Catch::Contains("exists and is not a regular file (it is never replaced)"));
    CHECK_FALSE(fs::exists(fs::symlink_status(temporary_path(path.string()))));
  }
  CHECK(fs::is_symlink(link));
  CHECK(text_of(precious) == "keep me");
  CHECK(fs::is_directory(folder));
  fs::remove_all(directory);
}

TEST_CASE("a failed write leaves the previous file as it was and no temporary file") {
  const fs::path directory = fresh_directory("failed");
  const fs::path path = directory / "sweep.h5";
  hdf5::write_file_atomically(path.string(), write_marker);
  CHECK_THROWS_WITH(hdf5::write_file_atomically(path.string(), [](hid_t) { throw std::runtime_error("disk full"); }),
                    "disk full");
  CHECK(read_marker(path) == 42);
  CHECK(std::distance(fs::directory_iterator(directory), fs::directory_iterator()) == 1);
  fs::remove_all(directory);
}

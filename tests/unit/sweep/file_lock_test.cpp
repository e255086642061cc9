// FileLock: how a sweep owns its directory and a point's process owns its point.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/sweep/file_lock.hpp"
#include "sim/sweep/sweep_directory.hpp"

using namespace fleetsim;
namespace fs = std::filesystem;

namespace {
fs::path fresh_directory(const char* name) {
  const fs::path directory = fs::temp_directory_path() / ("fleetsim-lock-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}
}  // namespace

TEST_CASE("a lock is held once: a second try fails naming the holder, and a released lock leaves no file") {
  const fs::path directory = fresh_directory("once");
  const std::string path = (directory / "sweep.lock").string();
  auto first = FileLock::try_acquire(path);
  REQUIRE(first);
  pid_t holder = -1;
  CHECK_FALSE(FileLock::try_acquire(path, &holder));  // another open file description: refused
  CHECK(holder == getpid());
  first->release();
  CHECK_FALSE(fs::exists(path));
  auto second = FileLock::try_acquire(path, &holder);
  CHECK(second);
  CHECK(holder == 0);
  fs::remove_all(directory);
}

TEST_CASE("a child that inherits the lock holds it after its parent let go, until it ends") {
  const fs::path directory = fresh_directory("child");
  const std::string path = (directory / "p1.lock").string();
  int ready[2], go[2];
  REQUIRE(pipe(ready) == 0);
  REQUIRE(pipe(go) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // the point's process: takes the lock, then waits to be told to end
    auto lock = FileLock::try_acquire(path);
    char byte = lock ? 'y' : 'n';
    if (write(ready[1], &byte, 1) != 1) _exit(2);
    if (read(go[0], &byte, 1) != 1) _exit(2);
    _exit(0);  // no destructor: the lock is released by the kernel, the file stays
  }
  char byte = 0;
  REQUIRE(read(ready[0], &byte, 1) == 1);
  REQUIRE(byte == 'y');
  pid_t holder = 0;
  CHECK_FALSE(FileLock::try_acquire(path, &holder));
  CHECK(holder == child);
  REQUIRE(write(go[1], "x", 1) == 1);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(fs::exists(path));               // left by a process that died holding it
  CHECK(FileLock::try_acquire(path));    // and free: a lock is never held by a dead process
  fs::remove_all(directory);
}

TEST_CASE("a lock file is never created through a link") {
  const fs::path directory = fresh_directory("link");
  std::ofstream(directory / "precious.txt") << "keep me";
  fs::create_symlink(directory / "precious.txt", directory / "sweep.lock");
  CHECK_THROWS_WITH(FileLock::try_acquire((directory / "sweep.lock").string()),
                    Catch::Contains("cannot open lock file"));
  std::ifstream in(directory / "precious.txt");
  std::string text;
  std::getline(in, text);
  CHECK(text == "keep me");
  fs::remove_all(directory);
}

TEST_CASE("a done point's lock file left by a killed sweep is removed, unless someone holds it") {
  const fs::path directory = fresh_directory("stale");
  const SweepDirectory sweep(directory.string());
  sweep.create();
  CHECK_FALSE(sweep.remove_stale_lock("p1"));  // no file: nothing to do
  std::ofstream(sweep.point_lock("p1")).put('\n');  // what a SIGKILLed sweep leaves: a file nobody locks
  CHECK(sweep.remove_stale_lock("p1"));
  CHECK_FALSE(fs::exists(sweep.point_lock("p1")));
  auto held = FileLock::try_acquire(sweep.point_lock("p2"));  // a point still held (an orphan writing on)
  REQUIRE(held);
  CHECK_FALSE(sweep.remove_stale_lock("p2"));
  CHECK(fs::exists(sweep.point_lock("p2")));
  held->release();
  fs::remove_all(directory);
}

#pragma once
// What the fuzz targets share: a scratch directory of their own in /dev/shm (one per process, removed at exit)
// where an input is written when the code under test reads a file, and the rule for exceptions: an InputError
// is the expected answer to bad input; any other exception escapes and libFuzzer reports it as a crash.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fleetsim::fuzz {

// /dev/shm/fleetsim-fuzz-<pid>/ (or $TMPDIR when /dev/shm is absent), removed when the process exits.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::filesystem::path made = base / ("fleetsim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(made);
    static const std::filesystem::path removed_at_exit = made;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(removed_at_exit, ignored);
    });
    return made;
  }();
  return dir;
}

// Writes the input to one file (the same each time in this process) and returns its path.
inline std::string write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  file.close();
  if (!file) std::abort();  // the scratch file system is full: nothing to learn from this input
  return path.string();
}

}  // namespace fleetsim::fuzz

#pragma once
// The fleetsim binary as a user runs it, for end-to-end tests: its exit code and what it printed.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace fleetsim::testing {

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout, and stderr after it
};

inline CliResult run_fleetsim(const std::string& arguments) {
  const std::string command = std::string(FLEETSIM_BINARY) + " " + arguments + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  CliResult result;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace fleetsim::testing

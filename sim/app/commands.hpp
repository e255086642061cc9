#pragma once
// One function per CLI command; each returns the process exit code (0 ok, 2 bad input, 1 internal error).
#include <string>
#include <vector>

namespace fleetsim {

struct Scenario;

constexpr int kExitOk = 0;
constexpr int kExitInternalError = 1;
constexpr int kExitBadInput = 2;

// The whole command line (argv without the program name): dispatches to a command and turns errors into
// one line on stderr and the exit code.
int run_cli(std::vector<std::string> args);

int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
// `validate`'s warnings: campuses whose installed nameplate exceeds their grid connection (by how much) or racks their
// limit.
std::vector<std::string> budget_warnings(const Scenario& scenario);
int catalog_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);
int step_command(const std::vector<std::string>& args);

}  // namespace fleetsim

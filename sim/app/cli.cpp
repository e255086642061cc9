// The fleetsim command line: usage, dispatch to the commands, and the exit-code contract.
#include <boost/program_options/errors.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "sim/app/commands.hpp"
#include "sim/core/input_error.hpp"
#include "sim/core/version.hpp"

namespace {
constexpr const char* kUsage = R"(usage: fleetsim COMMAND [options]

commands:
  run SCENARIO.toml [-o OUT.h5] [--set KEY=VALUE]... [--seed N] [--quiet]
                      run a scenario and write its results (HDF5)
  serve SCENARIO.toml [--service NAME] [--duration 1h] [--replicas N | --find-pool] [--json]
                      request-level run of an inference service: TTFT/TPOT, SLO attainment, capacity curve
  validate SCENARIO.toml [--set KEY=VALUE]... [--print]
                      check a scenario without running it
  catalog [--sources] list the built-in hardware
  sweep SWEEP.toml [--backend local|slurm] [--jobs N] [-o DIR] [--dry-run] [--no-wait]
                      run the points of a parameter sweep (locally or as a SLURM job array)
  sweep collect DIR   rebuild a sweep's index DIR/sweep.h5 from its point files
  step SCENARIO.toml --job NAME [--steps N] [--json] [--set KEY=VALUE]...
                      simulate a training job's steps on the SimGrid network of its nodes (detailed mode)

`fleetsim COMMAND --help` shows a command's options.
exit codes: 0 success, 2 bad input, 1 internal error)";
}  // namespace

namespace fleetsim {
int run_cli(std::vector<std::string> args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage << "\n";
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "fleetsim " << version() << " (" << git_commit() << ")\n";
    return kExitOk;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "run") return run_command(args);
    if (command == "validate") return validate_command(args);
    if (command == "catalog") return catalog_command(args);
    if (command == "sweep") return sweep_command(args);
    if (command == "serve") return serve_command(args);
    if (command == "step") return step_command(args);
    std::cerr << "fleetsim: unknown command \"" << command << "\" (known: run, serve, step, validate, catalog, sweep)\n";
    return kExitBadInput;
  } catch (const InputError& error) {
    std::cerr << error.what() << "\n";
    return kExitBadInput;
  } catch (const boost::program_options::error& error) {
    std::cerr << "fleetsim " << command << ": " << error.what() << " (see fleetsim " << command << " --help)\n";
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "fleetsim: internal error: " << error.what() << "\n";
    return kExitInternalError;
  }
}
}  // namespace fleetsim

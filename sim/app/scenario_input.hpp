#pragma once
// Options shared by commands that read a scenario (run, validate): the file, --set, --seed.
#include <boost/program_options.hpp>

#include "sim/scenario/scenario_loader.hpp"

namespace fleetsim {

// Adds --set and --seed to `options`.
void add_scenario_options(boost::program_options::options_description& options);
// The request from parsed options (scenario path under "scenario").
ScenarioRequest scenario_request(const boost::program_options::variables_map& values);

// Parses `args` with `options` plus a positional "scenario"; prints help (returns false) on --help.
// Throws boost::program_options::error on bad usage.
bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        boost::program_options::options_description& options,
                        boost::program_options::variables_map& values);

}  // namespace fleetsim

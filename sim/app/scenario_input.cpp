#include "sim/app/scenario_input.hpp"

#include <iostream>

namespace fleetsim {

namespace po = boost::program_options;

void add_scenario_options(po::options_description& options) {
  options.add_options()
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override a scenario value; dotted key, array elements by name (campus.paris.pue=1.2); repeatable")
      ("seed", po::value<std::int64_t>()->value_name("N"), "random seed (overrides simulation.seed)");
}

ScenarioRequest scenario_request(const po::variables_map& values) {
  ScenarioRequest request;
  request.path = values["scenario"].as<std::string>();
  if (values.count("set")) request.overrides = values["set"].as<std::vector<std::string>>();
  if (values.count("seed")) {
    const std::int64_t seed = values["seed"].as<std::int64_t>();
    if (seed < 0) throw InputError({"--seed", 0}, "--seed", "must be >= 0", std::to_string(seed));
    request.seed = static_cast<std::uint64_t>(seed);
  }
  return request;
}

bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        po::options_description& options, po::variables_map& values) {
  options.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(options);
  all.add_options()("scenario", po::value<std::string>(), "scenario file");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
  if (values.count("help")) {
    std::cout << usage << "\n\n" << options << "\n";
    return false;
  }
  po::notify(values);
  if (!values.count("scenario")) throw po::error("missing SCENARIO.toml");
  return true;
}

}  // namespace fleetsim

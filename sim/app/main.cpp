// fleetsim: discrete-event simulator of AI data-center fleets.
#include <string>
#include <vector>

#include "sim/app/commands.hpp"

int main(int argc, char** argv) { return fleetsim::run_cli(std::vector<std::string>(argv + 1, argv + argc)); }

// fleetsim: discrete-event simulator of AI data-center fleets.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "sim/app/commands.hpp"
#include "sim/app/huge_page_heap.hpp"

int main(int argc, char** argv) {
  fleetsim::rerun_with_huge_page_heap(argc, argv);  // returns when it does not (see huge_page_heap.hpp)
  const int code = fleetsim::run_cli(std::vector<std::string>(argv + 1, argv + argc));
  // Every output is closed, synced and renamed by now: what the exit handlers would do is free memory, and
  // SimGrid's (its engine, a 10 GW fleet's 628,300 hosts and links) took 2 s of a 55 s run. Sanitizer builds exit
  // normally, so that the leak checker still runs.
#if defined(FLEETSIM_SANITIZED)
  return code;
#else
  std::cout.flush();
  std::fflush(nullptr);
  std::_Exit(code);
#endif
}

#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/scenario/trace_formats.hpp"
#include "sim/workload/trace/trace_reader.hpp"

using namespace fleetsim;

TEST_CASE("every trace format a scenario may name has a reader, and every reader is named") {
  std::vector<std::string> named = trace_formats();
  std::vector<std::string> readers = trace_reader_formats();
  std::sort(named.begin(), named.end());
  std::sort(readers.begin(), readers.end());
  CHECK(named == readers);
}

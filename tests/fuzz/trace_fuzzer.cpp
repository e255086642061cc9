// libFuzzer target: one trace format (FLEETSIM_TRACE_FORMAT, one executable per format) read through
// open_trace from a file, every job: strictly when the input's length is even (an InputError at the first bad row
// is fine), with skip_bad_rows when it is odd (bad rows counted; an InputError only for what cannot be skipped,
// e.g. a bad header). One mode per input halves the time per execution; the mutator flips the length freely.
#include <cstdint>
#include <string>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/trace_reader.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

void read_all(const std::string& path, bool skip_bad_rows) {
  fleetsim::TraceOptions options;
  options.skip_bad_rows = skip_bad_rows;
  try {
    std::unique_ptr<fleetsim::TraceReader> reader = fleetsim::open_trace(FLEETSIM_TRACE_FORMAT, path, options);
    fleetsim::TraceJob job;
    while (reader->next(job)) {
    }
  } catch (const fleetsim::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path = fleetsim::fuzz::scratch_dir() / "trace";
  fleetsim::fuzz::write_input(path, data, size);
  read_all(path.string(), size % 2 == 1);
  return 0;
}

#pragma once
// Streaming readers for public GPU-cluster traces. A reader yields one job at a time and never loads the
// whole file: multi-GB traces replay in constant memory. A malformed row is an InputError naming file, line
// and column; with skip_bad_rows it is counted (and the first few kept as messages) instead.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace fleetsim {

// One job of a trace, in SI units, before mapping onto the simulated fleet.
struct TraceJob {
  std::string id;                 // the trace's job id (or name)
  double submit_s = 0;            // seconds since the trace's own epoch/start (readers do not shift)
  double duration_s = 0;          // measured run time (end - start) where the trace has it
  double estimate_s = std::numeric_limits<double>::quiet_NaN();  // user's requested/estimated run time, if any
  double gpus = 0;                // GPUs requested; fractional (< 1) for shared-GPU pods (openb gpu_milli)
  int nodes = 0;                  // nodes requested, 0 if the trace does not say
  double cpu_milli = 0;           // CPU request in thousandths of a core, 0 if the trace does not say
  double memory_mib = 0;          // memory request, 0 if the trace does not say
  std::string gpu_model;          // GPU type constraint as named in the trace, empty if none
  std::string qos;                // QoS / priority class / queue as named in the trace, empty if none
  std::string user;               // user or group, empty if none
  std::string status;             // final status in the trace (completed, failed, killed...), empty if none
};

struct TraceOptions {
  bool skip_bad_rows = false;
};

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Next job in file order; false at the end of the file.
  virtual bool next(TraceJob& job) = 0;
  // Rows skipped as malformed (only with skip_bad_rows) and the first messages.
  std::uint64_t bad_rows() const { return bad_rows_; }
  const std::vector<std::string>& bad_row_messages() const { return bad_row_messages_; }

 protected:
  void note_bad_row(const std::string& message) {
    ++bad_rows_;
    if (bad_row_messages_.size() < 10) bad_row_messages_.push_back(message);
  }

 private:
  std::uint64_t bad_rows_ = 0;
  std::vector<std::string> bad_row_messages_;
};

// Known formats: "swf", "philly", "helios", "acme", "alibaba-pai-2020", "alibaba-openb-2023".
std::unique_ptr<TraceReader> open_trace(const std::string& format, const std::string& path, const TraceOptions& options);
// Formats with a reader (the scenario's list, sim/scenario/trace_formats.hpp, must name the same).
std::vector<std::string> trace_reader_formats();

}  // namespace fleetsim

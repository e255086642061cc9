#pragma once
// Streaming readers for public GPU-cluster traces. A reader yields one job at a time and never loads the
// whole file: multi-GB traces replay in constant memory. A malformed row is an InputError naming file, line
// and column; with skip_bad_rows it is counted (and the first few kept as messages) instead.
//
// TraceReader is also the one base every format's reader shares: the bad-row loop, the file (a regular file read
// through InputFile: read errors are errors, a byte order mark is skipped), lines and CSV records, numbers parsed
// strictly and range-checked, and errors that echo at most kEchoedFieldBytes of a field. A format's reader only maps
// its columns or keys onto a TraceJob.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/csv_table.hpp"
#include "sim/core/input_file.hpp"

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

// What the simulator can hold: a job's GPUs and nodes become ints (Job::gpus, placement counts), so a trace row
// asking for more is a bad row, never an overflow. Times are finite and >= 0 (seconds from the trace's origin).
constexpr double kMaxTraceCount = std::numeric_limits<int>::max();
constexpr NumberRange kTraceTimeRange{0, std::numeric_limits<double>::infinity(), false};
constexpr NumberRange kTraceGpuRange{0, kMaxTraceCount, false};    // fractional for shared GPUs
constexpr NumberRange kTraceCountRange{0, kMaxTraceCount, true};   // nodes, whole GPUs, instances

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Next job in file order; false at the end of the file. A malformed row throws InputError, or with
  // skip_bad_rows is counted and passed over; a read error, an overlong line or a JSON syntax error always throws.
  bool next(TraceJob& job);
  // Rows skipped as malformed (only with skip_bad_rows) and the first messages.
  std::uint64_t bad_rows() const { return bad_rows_; }
  const std::vector<std::string>& bad_row_messages() const { return bad_row_messages_; }

 protected:
  TraceReader(std::unique_ptr<InputFile> file, const TraceOptions& options);

  // The format's two steps. read_record: the next record of the file, false at its end; an error here ends the
  // read (the reader could not find the next record). convert: that record as a job; false for one the format
  // passes over silently (a job that never ran); an InputError for a malformed record (a bad row).
  virtual bool read_record() = 0;
  virtual bool convert(TraceJob& job) = 0;

  const std::string& path() const { return file_->name(); }
  std::istream& stream() { return file_->stream(); }
  int record_line() const { return static_cast<int>(record_line_); }
  long line() const { return line_; }  // physical lines consumed so far
  void set_record_line(long line) { record_line_ = line; }

  // The next physical line (without its line break), the record being that line; false at the end.
  bool read_line(std::string& text);
  // The next CSV record that is not a blank line; false at the end.
  bool read_csv_record(std::vector<std::string>& fields);
  // A CSV file's header line: InputError when the file has none.
  std::vector<std::string> read_csv_header();
  // The current CSV record (from read_csv_record) against `header`: field count checked, typed access.
  CsvRow csv_row(const std::vector<std::string>& header, const std::vector<std::string>& fields) const {
    return CsvRow(path(), record_line(), header, fields);
  }

  // InputError at the current record: "PATH:LINE: KEY: PROBLEM (got GOT)", GOT shortened and escaped.
  [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& got = {}) const;
  // `text` as a number within `range`, or fail(key, "must be ...", text).
  double number(const std::string& text, const std::string& key, const NumberRange& range) const;

 private:
  void note_bad_row(const std::string& message);

  std::unique_ptr<InputFile> file_;
  TraceOptions options_;
  long line_ = 0;
  long record_line_ = 0;
  std::uint64_t bad_rows_ = 0;
  std::vector<std::string> bad_row_messages_;
};

// Known formats: "swf", "philly", "helios", "acme", "alibaba-pai-2020", "alibaba-openb-2023".
std::unique_ptr<TraceReader> open_trace(const std::string& format, const std::string& path, const TraceOptions& options);
// The same reader over any byte source (tests: a source that fails mid-file; fuzzing from memory).
std::unique_ptr<TraceReader> open_trace(const std::string& format, std::unique_ptr<InputFile> file,
                                        const TraceOptions& options);
// Formats with a reader (the scenario's list, sim/scenario/trace_formats.hpp, must name the same).
std::vector<std::string> trace_reader_formats();

}  // namespace fleetsim

#pragma once
// Helpers shared by the trace reader tests (tests/unit/workload/trace_*_test.cpp): every reader takes a file path
// and yields TraceJobs one at a time, so the tests all write small files, drain readers and check bad-row handling
// the same way.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim::testing {

// The open_*_trace functions all have this signature, so one helper can exercise any format.
using TraceOpener = std::unique_ptr<TraceReader> (*)(const std::string& path, const TraceOptions& options);

// Every job the reader yields, in order: most checks are about the whole file's result.
inline std::vector<TraceJob> read_all(TraceReader& reader) {
  std::vector<TraceJob> jobs;
  TraceJob job;
  while (reader.next(job)) jobs.push_back(job);
  return jobs;
}

// A folder of this process's own, removed when it exits: ctest runs each TEST_CASE in its own process, possibly
// in parallel, so files written by different tests never clash and none are left behind.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("fleetsim-trace-" + std::to_string(getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

// Writes `text` byte for byte (CRLF kept) to `name` in the process's TempDir and returns the path: readers take
// paths, and their error messages start with it.
inline std::string temp_file(const std::string& name, const std::string& text) {
  static const TempDir dir;
  const auto path = dir.path / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

// Options that count malformed rows and go on instead of throwing.
inline TraceOptions skipping_bad_rows() {
  TraceOptions options;
  options.skip_bad_rows = true;
  return options;
}

// For a file whose second job is malformed: the reader yields the first job, then throws `message` (which names
// file, line and column). REQUIRE: without the first job the throw check would say nothing.
inline void check_throws_after_first_job(TraceOpener open, const std::string& path, const std::string& message,
                                         const TraceOptions& options = {}) {
  const auto reader = open(path, options);
  TraceJob job;
  REQUIRE(reader->next(job));
  CHECK_THROWS_WITH(reader->next(job), message);
}

// For a file of four rows with ids 1 to 4 whose rows 2 and 3 are malformed: strict, the reader throws `first_error`
// after row 1; with skip_bad_rows it yields rows 1 and 4, counts both bad rows and keeps their messages, the second
// being `second_error`. Returns the jobs read with skip_bad_rows for any format-specific checks.
inline std::vector<TraceJob> check_two_bad_rows_skipped(TraceOpener open, const std::string& path,
                                                        const std::string& first_error,
                                                        const std::string& second_error) {
  check_throws_after_first_job(open, path, first_error);
  const auto reader = open(path, skipping_bad_rows());
  auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[1].id == "4");
  CHECK(reader->bad_rows() == 2);
  REQUIRE(reader->bad_row_messages().size() == 2);
  CHECK(reader->bad_row_messages()[1] == second_error);
  return jobs;
}

// For a file of good, bad, good rows (one case of a table of malformed rows): strict, the reader yields the first
// job then throws `expected`; with skip_bad_rows it yields both good jobs and keeps `expected` as the one bad-row
// message. CHECK rather than REQUIRE where it can, so one failing case does not hide the others.
inline void check_one_bad_row_skipped(TraceOpener open, const std::string& path, const std::string& expected) {
  {
    const auto strict = open(path, {});
    TraceJob job;
    CHECK(strict->next(job));
    CHECK_THROWS_WITH(strict->next(job), expected);
  }
  const auto lenient = open(path, skipping_bad_rows());
  CHECK(read_all(*lenient).size() == 2);
  CHECK(lenient->bad_rows() == 1);
  REQUIRE(lenient->bad_row_messages().size() == 1);
  CHECK(lenient->bad_row_messages()[0] == expected);
}

}  // namespace fleetsim::testing

#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/swf_reader.hpp"
#include "tests/support/trace_files.hpp"

using fleetsim::InputError;
using namespace fleetsim::testing;

TEST_CASE("swf: the shipped NASA iPSC/860 sample reads 100 jobs with their submit, run time and size") {
  const auto reader =
      fleetsim::open_swf_trace(FLEETSIM_SOURCE_DIR "/data/traces/swf/NASA-iPSC-1993-3-first100.swf", {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 100);
  CHECK(reader->bad_rows() == 0);

  // Line "1 10000 -1 200 120 -1 -1 -1 -1 -1 -1 1 1 -1 1 -1 -1 -1": job 1, 120 nodes for 200 s, batch queue.
  CHECK(jobs[0].id == "1");
  CHECK(jobs[0].submit_s == 10000);
  CHECK(jobs[0].duration_s == 200);
  CHECK(jobs[0].gpus == 120);
  CHECK(std::isnan(jobs[0].estimate_s));  // this log has no requested times
  CHECK(jobs[0].user == "1");
  CHECK(jobs[0].qos == "batch");          // "; Queue:  1 batch" in the header
  CHECK(jobs[0].status.empty());          // status -1: unknown

  // Job 6: a 3 s single-node interactive job (queue 0) of user 3.
  CHECK(jobs[5].id == "6");
  CHECK(jobs[5].submit_s == 20205);
  CHECK(jobs[5].duration_s == 3);
  CHECK(jobs[5].gpus == 1);
  CHECK(jobs[5].user == "3");
  CHECK(jobs[5].qos == "interactive");

  CHECK(jobs[99].id == "100");
  CHECK(jobs[99].submit_s == 32634);
  CHECK(jobs[99].duration_s == 17);

  // Column sums over the 100 lines (field 4 and field 5), computed with awk on the file.
  double run_time_sum = 0, processor_sum = 0;
  for (const auto& job : jobs) {
    run_time_sum += job.duration_s;
    processor_sum += job.gpus;
  }
  CHECK(run_time_sum == 33364);
  CHECK(processor_sum == 1025);
}

TEST_CASE("swf: requested time is the estimate, requested processors stand in for unknown allocated ones") {
  // Constructed lines (not from a real log).
  const auto path = temp_file("swf_estimate.swf",
                              "; constructed for this test\n"
                              "1 0 5 100 -1 -1 -1 16 3600 -1 1 7 1 -1 2 -1 -1 -1\n"
                              "2 10 -1 -1 8 -1 -1 8 600 -1 5 7 1 -1 2 -1 -1 -1\n"
                              "3 20 0 50.5 4 -1 -1 4 -1 -1 0 8 1 -1 -1 -1 -1 -1\n");
  const auto reader = fleetsim::open_swf_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);  // job 2 never ran (run time -1): skipped, not a bad row
  CHECK(reader->bad_rows() == 0);
  CHECK(jobs[0].gpus == 16);
  CHECK(jobs[0].estimate_s == 3600);
  CHECK(jobs[0].status == "completed");
  CHECK(jobs[0].qos == "2");  // no "; Queue:" comment names queue 2
  CHECK(jobs[1].id == "3");
  CHECK(jobs[1].duration_s == 50.5);
  CHECK(std::isnan(jobs[1].estimate_s));
  CHECK(jobs[1].status == "failed");
  CHECK(jobs[1].qos.empty());
}

TEST_CASE("swf: a malformed line names file, line and field, and skip_bad_rows counts it and goes on") {
  const std::string text =
      "; constructed for this test\n"
      "1 0 5 100 4 -1 -1 4 3600 -1 1 7 1 -1 1 -1 -1 -1\n"
      "2 10 5 abc 4 -1 -1 4 3600 -1 1 7 1 -1 1 -1 -1 -1\n"
      "3 20 5 100 4 -1 -1 4 3600 -1 1 7 1 -1 1 -1 -1\n"
      "4 30 5 100 4 -1 -1 4 3600 -1 1 7 1 -1 1 -1 -1 -1\n";
  const auto path = temp_file("swf_malformed.swf", text);
  check_two_bad_rows_skipped(fleetsim::open_swf_trace, path, path + ":3: run_time: must be a number (got abc)",
                             path + ":4: fields: expected 18 whitespace-separated fields (got 17)");
}

TEST_CASE("swf: a missing file is an input error") {
  CHECK_THROWS_AS(fleetsim::open_swf_trace("/nonexistent/trace.swf", {}), InputError);
}

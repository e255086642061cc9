#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/helios_reader.hpp"
#include "tests/support/trace_files.hpp"

using fleetsim::TraceJob;
using namespace fleetsim::testing;

namespace {

const std::string helios_header =
    "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n";

}  // namespace

TEST_CASE("helios: the upstream README's three example rows read with sizes, times and states") {
  const auto reader =
      fleetsim::open_helios_trace(FLEETSIM_SOURCE_DIR "/data/traces/helios/cluster_log_readme_rows.csv", {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 3);
  CHECK(reader->bad_rows() == 0);

  CHECK(jobs[0].id == "1425511");
  CHECK(jobs[0].user == "uXBbc");
  CHECK(jobs[0].qos == "vcJkd");
  CHECK(jobs[0].gpus == 1);
  CHECK(jobs[0].nodes == 1);
  CHECK(jobs[0].status == "COMPLETED");
  // 2020-06-09 18:41:01 wall clock read as UTC: 1591660800 (2020-06-09 00:00) + 67261 s.
  CHECK(jobs[0].submit_s == 1591728061);
  // 18:41:01 to 04:55:09 next day = 10 h 14 min 8 s = 36848 s, the row's duration.
  CHECK(jobs[0].duration_s == 36848);
  CHECK(std::isnan(jobs[0].estimate_s));

  CHECK(jobs[1].gpus == 4);
  CHECK(jobs[1].status == "FAILED");
  CHECK(jobs[1].duration_s == 249);
  CHECK(jobs[1].submit_s - jobs[0].submit_s == 26);
  // 7 d 19 h 33 min 53 s.
  CHECK(jobs[2].duration_s == 675233);
  CHECK(jobs[2].status == "CANCELLED");
}

TEST_CASE("helios: columns are found by name, and a row without times falls back to duration") {
  // Constructed rows, columns reordered.
  const auto path = temp_file("helios_reordered.csv",
                              "duration,job_id,submit_time,gpu_num,start_time,end_time,state\n"
                              "60,7,2020-06-01 00:00:00,8,,,COMPLETED\n"
                              ",8,2020-06-01 00:00:00,8,,,CANCELLED\n");
  const auto reader = fleetsim::open_helios_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 1);  // job 8 never ran: skipped, not a bad row
  CHECK(jobs[0].id == "7");
  CHECK(jobs[0].duration_s == 60);
  CHECK(jobs[0].nodes == 0);
  CHECK(jobs[0].qos.empty());
  CHECK(reader->bad_rows() == 0);
}

TEST_CASE("helios: a malformed row names file, line and column, and skip_bad_rows counts it and goes on") {
  const std::string text = helios_header +
                           "1,uA,vc1,1,1,1,COMPLETED,2020-06-01 00:00:00,2020-06-01 00:00:00,2020-06-01 00:01:00,60,0\n"
                           "2,uA,vc1,x,1,1,COMPLETED,2020-06-01 00:00:00,2020-06-01 00:00:00,2020-06-01 00:01:00,60,0\n"
                           "3,uA,vc1,1,1,1,COMPLETED,2020-06-01 00:00:00,2020-06-01 00:00:00\n"
                           "4,uA,vc1,2,1,1,COMPLETED,2020-06-01 00:00:00,2020-06-01 00:00:00,2020-06-01 00:01:00,60,0\n";
  const auto path = temp_file("helios_malformed.csv", text);
  check_two_bad_rows_skipped(fleetsim::open_helios_trace, path, path + ":3: gpu_num: must be a number from 0 to 2147483647 (got x)",
                             path + ":4: row: expected 12 fields like the header (got 9)");
}

TEST_CASE("helios: a bad time and a header without required columns are input errors") {
  const auto bad_time =
      temp_file("helios_bad_time.csv", helios_header + "1,uA,vc1,1,1,1,COMPLETED,2020-13-01 00:00:00,,,60,0\n");
  const auto reader = fleetsim::open_helios_trace(bad_time, {});
  TraceJob job;
  CHECK_THROWS_WITH(reader->next(job),
                    bad_time + ":2: submit_time: must be a time \"YYYY-MM-DD HH:MM:SS[+HH:MM]\" (got 2020-13-01 00:00:00)");

  const auto no_gpus = temp_file("helios_no_gpus.csv", "job_id,submit_time,duration\n1,2020-06-01 00:00:00,5\n");
  CHECK_THROWS_WITH(fleetsim::open_helios_trace(no_gpus, {}),
                    no_gpus + ":1: header: missing column gpu_num (got job_id,submit_time,duration)");
}

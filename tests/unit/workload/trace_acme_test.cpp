#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/helios_reader.hpp"
#include "tests/support/trace_files.hpp"

using namespace fleetsim::testing;

TEST_CASE("acme: Seren README rows convert +08:00 times to UTC and keep duration = end - start") {
  const auto reader =
      fleetsim::open_acme_trace(FLEETSIM_SOURCE_DIR "/data/traces/acme/trace_seren_readme_rows.csv", {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].id == "5778432");
  CHECK(jobs[0].user == "u5907");
  // 2023-03-01 00:18:22+08:00 = 2023-02-28 16:18:22 UTC = 1677542400 (02-28 00:00 UTC) + 58702 s.
  CHECK(jobs[0].submit_s == 1677601102);
  CHECK(jobs[0].duration_s == 117);  // 00:18:54 to 00:20:51
  CHECK(jobs[0].gpus == 8);
  CHECK(jobs[0].nodes == 1);
  CHECK(jobs[0].status == "FAILED");
  CHECK(jobs[0].qos.empty());  // Acme's `queue` is a wait in seconds and `type` a workload kind
  CHECK(std::isnan(jobs[0].estimate_s));
  CHECK(jobs[1].duration_s == 2693);  // 00:24:11 to 01:09:04
  CHECK(jobs[1].status == "COMPLETED");
}

TEST_CASE("acme: Kalos README rows take end - start, not the duration column that includes the wait") {
  const auto reader =
      fleetsim::open_acme_trace(FLEETSIM_SOURCE_DIR "/data/traces/acme/trace_kalos_readme_rows.csv", {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].id == "dlctk696s0jbvitv");
  CHECK(jobs[0].submit_s == 1684321258);  // 2023-05-17 11:00:58+00:00
  CHECK(jobs[0].duration_s == 8);         // 11:01:08 to 11:01:16; the row's duration column says 18
  CHECK(jobs[0].gpus == 64);
  CHECK(jobs[0].nodes == 8);
  CHECK(jobs[1].duration_s == 70);        // 11:28:54 to 11:30:04; the column says 82
  CHECK(jobs[1].status == "CANCELLED");
}

TEST_CASE("acme: a malformed row names file, line and column, and skip_bad_rows counts it and goes on") {
  // Constructed rows in the Seren layout.
  const std::string text =
      "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time\n"
      "1,u1,1,8,128,SFT,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:01:10+08:00,60,10,480.0\n"
      "2,u1,1.5,8,128,SFT,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:01:10+08:00,60,10,480.0\n"
      "3,u1,1,8,128,SFT,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:00:05+08:00,60,10,480.0\n"
      "4,u1,2,16,256,Pretrain,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:01:10+08:00,60,10,960.0\n";
  const auto path = temp_file("acme_malformed.csv", text);
  const auto jobs = check_two_bad_rows_skipped(
      fleetsim::open_acme_trace, path, path + ":3: node_num: must be a whole number from 0 to 2147483647 (got 1.5)",
      path + ":4: end_time: must not be before start_time (got 2023-03-01 00:00:05+08:00)");
  CHECK(jobs[1].nodes == 2);
}

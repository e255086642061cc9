#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/helios_reader.hpp"

using fleetsim::TraceJob;
using fleetsim::TraceOptions;

namespace {

std::string write_temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("fleetsim_trace_acme_" + name);
  std::ofstream(path) << text;
  return path.string();
}

std::vector<TraceJob> read_all(fleetsim::TraceReader& reader) {
  std::vector<TraceJob> jobs;
  TraceJob job;
  while (reader.next(job)) jobs.push_back(job);
  return jobs;
}

}  // namespace

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

TEST_CASE("acme: a malformed row names file, line and column; skip_bad_rows counts it and goes on") {
  // Constructed rows in the Seren layout.
  const std::string text =
      "job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time\n"
      "1,u1,1,8,128,SFT,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:01:10+08:00,60,10,480.0\n"
      "2,u1,1.5,8,128,SFT,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:01:10+08:00,60,10,480.0\n"
      "3,u1,1,8,128,SFT,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:00:05+08:00,60,10,480.0\n"
      "4,u1,2,16,256,Pretrain,COMPLETED,2023-03-01 00:00:00+08:00,2023-03-01 00:00:10+08:00,2023-03-01 00:01:10+08:00,60,10,960.0\n";
  const auto path = write_temp_file("malformed.csv", text);
  {
    const auto reader = fleetsim::open_acme_trace(path, {});
    TraceJob job;
    REQUIRE(reader->next(job));
    CHECK_THROWS_WITH(reader->next(job), path + ":3: node_num: must be a whole number (got 1.5)");
  }
  TraceOptions skip;
  skip.skip_bad_rows = true;
  const auto reader = fleetsim::open_acme_trace(path, skip);
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[1].id == "4");
  CHECK(jobs[1].nodes == 2);
  CHECK(reader->bad_rows() == 2);
  REQUIRE(reader->bad_row_messages().size() == 2);
  CHECK(reader->bad_row_messages()[1] ==
        path + ":4: end_time: must not be before start_time (got 2023-03-01 00:00:05+08:00)");
}

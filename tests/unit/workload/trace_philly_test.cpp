#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/philly_reader.hpp"
#include "tests/support/trace_files.hpp"

using fleetsim::TraceJob;
using namespace fleetsim::testing;

namespace {

// One constructed job (not from the trace) with one attempt.
std::string job_json(const std::string& id, const std::string& start, const std::string& end, int gpus) {
  std::string gpu_list;
  for (int i = 0; i < gpus; ++i) gpu_list += (i ? ", \"gpu" : "\"gpu") + std::to_string(i) + "\"";
  return "{\"status\": \"Pass\", \"vc\": \"vc1\", \"jobid\": \"" + id + "\", \"user\": \"u1\",\n"
         " \"submitted_time\": \"" + start + "\",\n"
         " \"attempts\": [{\"start_time\": \"" + start + "\", \"end_time\": \"" + end + "\",\n"
         "               \"detail\": [{\"ip\": \"m1\", \"gpus\": [" + gpu_list + "]}]}]}";
}

}  // namespace

TEST_CASE("philly: the upstream README's example job reads with two attempts and 8 GPUs") {
  const auto reader =
      fleetsim::open_philly_trace(FLEETSIM_SOURCE_DIR "/data/traces/philly/cluster_job_log_readme_example.json", {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 1);
  const TraceJob& job = jobs[0];
  CHECK(job.id == "application_1506638472019_14199");
  // Submitted 2017-10-07 01:11:39 PDT = 08:11:39 UTC = 1507334400 (2017-10-07 00:00 UTC) + 29499 s.
  CHECK(job.submit_s == 1507363899);
  // First start 2017-10-07 01:12:09 to last end 2017-10-09 06:53:12: 2 d 5 h 41 min 3 s.
  CHECK(job.duration_s == 2 * 86400 + 5 * 3600 + 41 * 60 + 3);
  CHECK(job.gpus == 8);
  CHECK(job.nodes == 0);
  CHECK(std::isnan(job.estimate_s));
  CHECK(job.qos == "ee9e8c");
  CHECK(job.user == "ce2f4c");
  CHECK(job.status == "Pass");
}

TEST_CASE("philly: Pacific times become UTC, so durations are right across daylight-saving changes") {
  // Constructed jobs. 2017-11-05 00:30 PDT to 03:30 PST is 4 h; 2017-03-12 01:30 PST to 03:30 PDT is 1 h.
  const auto path =
      temp_file("philly_dst.json", "[" + job_json("autumn", "2017-11-05 00:30:00", "2017-11-05 03:30:00", 2) + ",\n" +
                                       job_json("spring", "2017-03-12 01:30:00", "2017-03-12 03:30:00", 1) + ",\n" +
                                       job_json("winter", "2017-12-01 00:00:00", "2017-12-01 00:00:10", 1) + "]");
  const auto reader = fleetsim::open_philly_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].duration_s == 4 * 3600);
  CHECK(jobs[0].gpus == 2);
  CHECK(jobs[1].duration_s == 3600);
  CHECK(jobs[2].submit_s == 1512086400 + 8 * 3600);  // 2017-12-01 00:00 UTC + 8 h (PST)
}

TEST_CASE("philly: an end in the repeated autumn hour before its start is read as the PST hour") {
  // Constructed jobs around the 2017-11-05 change (02:00 PDT = 09:00 UTC becomes 01:00 PST). Found when
  // replaying the real Philly run-time list (tests/python/test_trace_replay.py): a job started 01:50 PDT
  // and ran 20 min, so its log says end 01:10, which read as PDT is before the start.
  const std::string two_attempts =
      "{\"jobid\": \"retried\", \"submitted_time\": \"2017-11-05 01:40:00\",\n"
      " \"attempts\": [{\"start_time\": \"2017-11-05 01:45:00\", \"end_time\": \"2017-11-05 01:55:00\",\n"
      "               \"detail\": [{\"ip\": \"m1\", \"gpus\": [\"gpu0\"]}]},\n"
      "              {\"start_time\": \"2017-11-05 01:05:00\", \"end_time\": \"2017-11-05 01:15:00\",\n"
      "               \"detail\": [{\"ip\": \"m1\", \"gpus\": [\"gpu0\"]}]}]}";
  const auto path = temp_file(
      "philly_repeated_hour.json",
      "[" + job_json("across", "2017-11-05 01:50:00", "2017-11-05 01:10:00", 1) + ",\n" +  // 01:50 PDT -> 01:10 PST
          job_json("within", "2017-11-05 01:10:00", "2017-11-05 01:50:00", 1) + ",\n" +  // both read as PDT
          job_json("after", "2017-11-05 01:50:00", "2017-11-05 02:10:00", 1) + ",\n" +   // 01:50 PDT -> 02:10 PST
          two_attempts + "]");
  const auto reader = fleetsim::open_philly_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 4);
  CHECK(jobs[0].submit_s == 1509871800);  // 2017-11-05 01:50 PDT = 08:50 UTC
  CHECK(jobs[0].duration_s == 20 * 60);
  CHECK(jobs[1].duration_s == 40 * 60);
  CHECK(jobs[2].duration_s == 80 * 60);
  // 01:45 PDT to the second attempt's end at 01:15 PST (the clocks went back at 02:00 PDT): 30 min.
  CHECK(jobs[3].duration_s == 30 * 60);
  CHECK(reader->bad_rows() == 0);
}

TEST_CASE("philly: an end more than an hour before its start is still an error") {
  const auto path = temp_file("philly_backwards.json",
                              "[" + job_json("backwards", "2017-11-05 01:50:00", "2017-11-05 00:40:00", 1) + "]");
  const auto reader = fleetsim::open_philly_trace(path, {});
  CHECK_THROWS_WITH(read_all(*reader), Catch::Contains("attempts[0].end_time: must not be before start_time"));
}

TEST_CASE("philly: jobs that never ran or are still running are skipped without being bad rows") {
  const auto path = temp_file(
      "philly_skips.json",
      "[{\"status\": \"Killed\", \"jobid\": \"no_attempts\", \"submitted_time\": \"2017-10-01 00:00:00\", "
      "\"attempts\": []},\n"
      " {\"status\": \"Pass\", \"jobid\": \"running\", \"submitted_time\": \"2017-10-01 00:00:00\", "
      "\"attempts\": [{\"start_time\": \"2017-10-01 00:00:05\", \"end_time\": null, \"detail\": []}]},\n"
      " {\"status\": \"Pass\", \"jobid\": \"none_string\", \"submitted_time\": \"2017-10-01 00:00:00\", "
      "\"attempts\": [{\"start_time\": \"None\", \"end_time\": \"2017-10-01 00:01:00\", \"detail\": []}]},\n" +
          job_json("kept", "2017-10-01 00:00:00", "2017-10-01 00:01:00", 1) + "]");
  const auto reader = fleetsim::open_philly_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].id == "kept");
  CHECK(reader->bad_rows() == 0);
}

TEST_CASE("philly: a malformed job names file, line and key, and skip_bad_rows counts it and goes on") {
  const std::string text = "[\n" + job_json("good", "2017-10-01 00:00:00", "2017-10-01 00:01:00", 1) + ",\n" +
                           job_json("bad", "2017-10-01 0:00:00", "2017-10-01 00:01:00", 1) + ",\n" +
                           job_json("also_good", "2017-10-02 00:00:00", "2017-10-02 00:01:00", 1) + "\n]\n";
  // Line 1 "[", the good job on lines 2-5, the bad one on 6-9: its submitted_time is on line 7.
  const auto path = temp_file("philly_malformed.json", text);
  check_throws_after_first_job(
      fleetsim::open_philly_trace, path,
      path + ":7: submitted_time: must be a time \"YYYY-MM-DD HH:MM:SS\" (got 2017-10-01 0:00:00)");
  const auto reader = fleetsim::open_philly_trace(path, skipping_bad_rows());
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[1].id == "also_good");
  CHECK(reader->bad_rows() == 1);
}

TEST_CASE("philly: a value of the wrong type is a bad row naming its key path") {
  const auto path =
      temp_file("philly_type.json",
                "[{\"jobid\": \"j\", \"submitted_time\": \"2017-10-01 00:00:00\",\n"
                "  \"attempts\": [{\"start_time\": \"2017-10-01 00:00:00\", \"end_time\": \"2017-10-01 00:00:09\",\n"
                "                 \"detail\": [{\"ip\": \"m1\", \"gpus\": 8}]}]}]");
  const auto reader = fleetsim::open_philly_trace(path, {});
  TraceJob job;
  CHECK_THROWS_WITH(reader->next(job), path + ":3: attempts[0].detail[0].gpus: must be an array (got a number)");
}

TEST_CASE("philly: a JSON syntax error stops the reader even with skip_bad_rows") {
  const auto path =
      temp_file("philly_syntax.json", "[" + job_json("a", "2017-10-01 00:00:00", "2017-10-01 00:01:00", 1) + "\n" +
                                          job_json("b", "2017-10-01 00:00:00", "2017-10-01 00:01:00", 1) + "]");
  check_throws_after_first_job(fleetsim::open_philly_trace, path,
                               path + ":5: json: expected ',' or ']' between jobs (got '{')", skipping_bad_rows());
}

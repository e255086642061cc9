#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/pai_reader.hpp"
#include "tests/support/trace_files.hpp"

using namespace fleetsim;
using namespace fleetsim::testing;

// No real pai_task_table rows could be obtained (data/traces/alibaba-pai-2020/PROVENANCE.md): apart from the
// example row printed by the upstream README, every row below is CONSTRUCTED to look like the table.

namespace {
// The example task of the upstream cluster-trace-gpu-v2020 README, its fields joined in column order.
const std::string kReadmeRow =
    "4f057009a5d481acec67b088,tensorflow,1.0,Terminated,1739162.0,1739200.0,600.0,29.296875,50.0,MISC";
}  // namespace

TEST_CASE("PAI 2020: one job per task, gpus = plan_gpu / 100 * inst_num, submit = task start") {
  const std::string path =
      temp_file("pai_tasks.csv", kReadmeRow + "\n" +
                                     // constructed rows:
                                     "j2,worker,4.0,Terminated,100.0,3700.0,800.0,30.0,100.0,V100\n"
                                     "j2,ps,2.0,Failed,100.0,200.0,400.0,10.0,,\n"
                                     "j3,worker,3.0,Terminated,50.0,80.0,400.0,10.0,25.0,T4\n");
  auto reader = open_pai_trace(path, {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 4);

  CHECK(jobs[0].id == "4f057009a5d481acec67b088/tensorflow");
  CHECK(jobs[0].submit_s == 1739162);
  CHECK(jobs[0].duration_s == 38);
  CHECK(jobs[0].gpus == 0.5);  // 50 % of one GPU, one instance
  CHECK(jobs[0].gpu_model == "MISC");
  CHECK(jobs[0].status == "Terminated");
  CHECK(jobs[0].nodes == 0);
  CHECK(jobs[0].qos.empty());
  CHECK(jobs[0].user.empty());
  CHECK(std::isnan(jobs[0].estimate_s));

  CHECK(jobs[1].id == "j2/worker");
  CHECK(jobs[1].gpus == 4);  // 4 instances x 100 %
  CHECK(jobs[1].duration_s == 3600);
  CHECK(jobs[1].gpu_model == "V100");

  CHECK(jobs[2].id == "j2/ps");  // a CPU-only task: plan_gpu and gpu_type empty
  CHECK(jobs[2].gpus == 0);
  CHECK(jobs[2].gpu_model.empty());
  CHECK(jobs[2].status == "Failed");

  CHECK(jobs[3].gpus == Approx(0.75));  // 3 instances x 25 %
  CHECK(reader->bad_rows() == 0);
}

TEST_CASE("PAI 2020: tasks without a start or an end time are skipped and counted, not errors") {
  // Constructed: a start/end of 0 or empty means the trace has none (as the upstream analysis utils read it).
  const std::string path = temp_file("pai_unfinished.csv",
                                     "j1,worker,1.0,Waiting,,,600.0,29.0,100.0,\n"
                                     "j2,tensorflow,1.0,Failed,0.0,0.0,600.0,29.0,100.0,P100\n"
                                     "j3,worker,2.0,Running,500.0,,600.0,29.0,100.0,T4\n" +
                                         kReadmeRow + "\n");
  PaiTaskReader reader(std::make_unique<InputFile>(path), {});
  const auto jobs = read_all(reader);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].id == "4f057009a5d481acec67b088/tensorflow");
  CHECK(reader.tasks_never_started() == 2);
  CHECK(reader.tasks_without_end() == 1);
  CHECK(reader.bad_rows() == 0);
}

TEST_CASE("PAI 2020: a copy with the upstream header line prepended reads the same") {
  std::ifstream header_file(std::string(FLEETSIM_SOURCE_DIR) + "/data/traces/alibaba-pai-2020/pai_task_table.header");
  std::stringstream header;
  header << header_file.rdbuf();
  REQUIRE(header.str() ==
          "job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type\n");
  auto reader = open_pai_trace(temp_file("pai_with_header.csv", header.str() + kReadmeRow + "\r\n"), {});
  const auto jobs = read_all(*reader);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].gpus == 0.5);
}

TEST_CASE("PAI 2020: a malformed row is an error naming file, line and column, skip_bad_rows counts it instead") {
  struct Case {
    std::string row;      // constructed
    std::string message;  // after "PATH:2: "
  };
  const std::vector<Case> cases = {
      {"j9,worker,x,Terminated,10.0,20.0,600.0,29.0,100.0,T4", "inst_num: must be a whole number from 1 to 2147483647 (got x)"},
      {"j9,worker,0.5,Terminated,10.0,20.0,600.0,29.0,100.0,T4", "inst_num: must be a whole number from 1 to 2147483647 (got 0.5)"},
      {"j9,worker,1.0,Terminated,ten,20.0,600.0,29.0,100.0,T4", "start_time: must be a number >= 0 (got ten)"},
      {"j9,worker,1.0,Terminated,30.0,20.0,600.0,29.0,100.0,T4",
       "end_time: must not be before start_time 30.0 (got 20.0)"},
      {"j9,worker,1.0,Terminated,10.0,20.0,600.0,29.0,-50.0,T4",
       "plan_gpu: must be a number from 0 to 214748364700 (got -50.0)"},
      {",worker,1.0,Terminated,10.0,20.0,600.0,29.0,100.0,T4", "job_name: must not be empty (got an empty field)"},
      {"j9,worker,1.0,Terminated,10.0,20.0,600.0,29.0,100.0",
       "row: expected 10 fields like the header (got 9)"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string path =
        temp_file("pai_bad" + std::to_string(i) + ".csv", kReadmeRow + "\n" + cases[i].row + "\n" + kReadmeRow + "\n");
    const std::string expected = path + ":2: " + cases[i].message;
    INFO(cases[i].row);
    check_one_bad_row_skipped(open_pai_trace, path, expected);
  }
}

TEST_CASE("PAI 2020: an empty file has no jobs, and a missing file is an InputError") {
  auto reader = open_pai_trace(temp_file("pai_empty.csv", ""), {});
  TraceJob job;
  CHECK_FALSE(reader->next(job));
  CHECK_THROWS_AS(open_pai_trace("/nonexistent/pai_task_table.csv", {}), InputError);
  CHECK_THROWS_WITH(open_pai_trace("/nonexistent/pai_task_table.csv", {}),
                    Catch::StartsWith("/nonexistent/pai_task_table.csv:0: file: cannot be opened"));
}

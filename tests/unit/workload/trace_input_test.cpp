// What every trace reader gets from the shared base (TraceReader, InputFile): read errors are errors, a byte order
// mark is skipped, echoed fields are short and escaped, counts and times are range-checked, impossible dates are
// rejected. Constructed inputs throughout.
#include <catch2/catch.hpp>

#include <cerrno>
#include <sstream>
#include <system_error>

#include "sim/core/input_error.hpp"
#include "sim/core/input_file.hpp"
#include "sim/workload/trace/trace_reader.hpp"
#include "tests/support/trace_files.hpp"

using namespace fleetsim;
using namespace fleetsim::testing;

namespace {

// Serves `text`, then fails with `error` (EIO: what a failing disk returns) instead of reaching its end.
class FailingBytes final : public std::stringbuf {
 public:
  FailingBytes(const std::string& text, int error) : std::stringbuf(text, std::ios::in), error_(error) {}

 protected:
  int_type underflow() override {
    const int_type c = std::stringbuf::underflow();
    if (c == traits_type::eof()) throw std::system_error(error_, std::generic_category());
    return c;
  }
  int_type uflow() override {
    const int_type c = std::stringbuf::uflow();
    if (c == traits_type::eof()) throw std::system_error(error_, std::generic_category());
    return c;
  }

 private:
  int error_;
};

std::unique_ptr<InputFile> failing(const std::string& name, const std::string& text) {
  return std::make_unique<InputFile>(name, std::make_unique<FailingBytes>(text, EIO));
}

const std::string kOpenbHeader = "name,num_gpu,gpu_milli,creation_time,deletion_time,scheduled_time\n";
const std::string kOpenbRow = "p1,1,1000,0,60,0\n";
const std::string kHeliosHeader = "job_id,gpu_num,submit_time,start_time,end_time\n";
const std::string kPhillyJob =
    "{\"jobid\": \"j1\", \"submitted_time\": \"2017-10-01 00:00:00\",\n"
    " \"attempts\": [{\"start_time\": \"2017-10-01 00:00:00\", \"end_time\": \"2017-10-01 00:01:00\",\n"
    "               \"detail\": [{\"ip\": \"m1\", \"gpus\": [\"gpu0\"]}]}]}";

// One good row of each format, for the checks every reader must pass.
struct Sample {
  const char* format;
  std::string text;
};
const std::vector<Sample> kSamples = {
    {"swf", "1 0 -1 60 8 -1 -1 8 -1 -1 1 1 1 -1 1 -1 -1 -1\n"},
    {"philly", "[" + kPhillyJob + "]\n"},
    {"helios", kHeliosHeader + "1,8,2020-06-01 00:00:00,2020-06-01 00:00:00,2020-06-01 00:01:00\n"},
    {"acme", kHeliosHeader + "1,8,2020-06-01 00:00:00+08:00,2020-06-01 00:00:00+08:00,2020-06-01 00:01:00+08:00\n"},
    {"alibaba-pai-2020", "j1,worker,1.0,Terminated,10.0,70.0,600.0,29.0,100.0,T4\n"},
    {"alibaba-openb-2023", kOpenbHeader + kOpenbRow},
};

std::string first_error(const std::string& format, const std::string& path) {
  try {
    const auto reader = open_trace(format, path, {});
    read_all(*reader);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("trace input: a read error mid-file is an error naming file and line, for every format") {
  for (const auto& sample : kSamples) {
    INFO(sample.format);
    // The good file, then EIO where the rest of it should be: never "the file ended here". (Philly: the array is
    // still open, so the reader reads on.)
    const std::string text = sample.format == std::string("philly") ? "[" + kPhillyJob + ",\n" : sample.text;
    const auto reader = open_trace(sample.format, failing("disk.trace", text), {});
    TraceJob job;
    REQUIRE(reader->next(job));
    CHECK_THROWS_WITH(reader->next(job), Catch::StartsWith("disk.trace:") && Catch::EndsWith(": read error: Input/output error"));
  }
  // The line is the one being read: SWF line 2.
  const auto swf = open_trace("swf", failing("disk.swf", kSamples[0].text + "2 10 -1 6"), {});
  TraceJob job;
  REQUIRE(swf->next(job));
  CHECK_THROWS_WITH(swf->next(job), "disk.swf:2: read error: Input/output error");
  // skip_bad_rows does not skip it: the rest of the file is unknown.
  const auto lenient = open_trace("alibaba-openb-2023", failing("disk.csv", kOpenbHeader + kOpenbRow), skipping_bad_rows());
  REQUIRE(lenient->next(job));
  CHECK_THROWS_WITH(lenient->next(job), "disk.csv:3: read error: Input/output error");
}

TEST_CASE("trace input: a directory given as a trace is a read error or not a regular file, never an empty trace") {
  const std::string dir = std::filesystem::path(temp_file("in_dir_probe", "")).parent_path().string();
  for (const auto& sample : kSamples) {
    INFO(sample.format);
    CHECK(first_error(sample.format, dir) == dir + ":0: file: not a regular file");
  }
  CHECK(first_error("swf", "/nonexistent/trace.swf") == "/nonexistent/trace.swf:0: file: cannot be opened: No such file or directory");
}

TEST_CASE("trace input: a UTF-8 byte order mark before the first line is skipped by every format") {
  for (const auto& sample : kSamples) {
    INFO(sample.format);
    const auto path = temp_file(std::string("bom_") + sample.format, "\xEF\xBB\xBF" + sample.text);
    const auto reader = open_trace(sample.format, path, {});
    const auto jobs = read_all(*reader);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].duration_s == 60);
  }
  // Two of its three bytes are not a mark: they stay, and are a bad first field.
  CHECK(first_error("swf", temp_file("half_bom.swf", "\xEF\xBB" + kSamples[0].text)) ==
        temp_file("half_bom.swf", "\xEF\xBB" + kSamples[0].text) + ":1: job_number: must be a number (got \\xef\\xbb1)");
}

TEST_CASE("trace input: an echoed field is at most 60 bytes, control characters and non-UTF-8 bytes escaped") {
  const std::string long_id(5000, '7');
  const auto swf = temp_file("long.swf", long_id + "x 0 -1 60 8 -1 -1 8 -1 -1 1 1 1 -1 1 -1 -1 -1\n");
  CHECK(first_error("swf", swf) == swf + ":1: job_number: must be a number (got " + std::string(60, '7') + "... (5001 bytes))");
  // A quoted CSV field may hold a line break and any byte.
  const auto openb = temp_file("ctl.csv", kOpenbHeader + "p1,\"1\n\x01\xff\",1000,0,60,0\n");
  CHECK(first_error("alibaba-openb-2023", openb) ==
        openb + ":2: num_gpu: must be a whole number from 0 to 2147483647 (got 1\\u000a\\u0001\\xff)");
  // A header that is not the format's (the first line of any file): echoed short.
  const auto header = temp_file("not_a_header.csv", std::string(300, 'h') + "\n");
  CHECK(first_error("alibaba-openb-2023", header) ==
        header + ":1: header: missing columns name, num_gpu, gpu_milli, creation_time, deletion_time, scheduled_time (got " +
            std::string(60, 'h') + "... (300 bytes))");
}

TEST_CASE("trace input: GPU and node counts beyond an int, negative and non-finite times are bad rows") {
  struct Case {
    const char* format;
    std::string text;
    std::string message;  // after "PATH:"
  };
  const std::vector<Case> cases = {
      {"swf", "1 0 -1 60 3e9 -1 -1 8 -1 -1 1 1 1 -1 1 -1 -1 -1\n",
       "1: allocated_processors: must be a number from -1 to 2147483647 (got 3000000000)"},
      {"swf", "1 -5 -1 60 8 -1 -1 8 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "1: submit_time: must be >= 0 (got -5)"},
      {"swf", "1 inf -1 60 8 -1 -1 8 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "1: submit_time: must be a number (got inf)"},
      {"helios", kHeliosHeader + "1,1e10,2020-06-01 00:00:00,2020-06-01 00:00:00,2020-06-01 00:01:00\n",
       "2: gpu_num: must be a number from 0 to 2147483647 (got 1e10)"},
      {"helios", kHeliosHeader + "1,8,-60,0,60\n", "2: submit_time: must not be before 1970-01-01 00:00 UTC (got -60)"},
      {"helios", kHeliosHeader + "1,8,nan,0,60\n", "2: submit_time: must be a time \"YYYY-MM-DD HH:MM:SS[+HH:MM]\" (got nan)"},
      {"acme", "job_id,gpu_num,node_num,submit_time,duration\n1,8,99999999999,0,60\n",
       "2: node_num: must be a whole number from 0 to 2147483647 (got 99999999999)"},
      {"alibaba-pai-2020", "j1,worker,1e6,Terminated,10.0,70.0,600.0,29.0,1e6,T4\n",
       "1: plan_gpu: must ask at most 2147483647 GPUs in all over inst_num 1e6 instances (percent of one GPU each) (got 1e6)"},
      {"alibaba-pai-2020", "j1,worker,1,Terminated,-10.0,70.0,600.0,29.0,100,T4\n",
       "1: start_time: must be a number >= 0 (got -10.0)"},
      {"alibaba-openb-2023", kOpenbHeader + "p1,4294967296,1000,0,60,0\n",
       "2: num_gpu: must be a whole number from 0 to 2147483647 (got 4294967296)"},
      {"alibaba-openb-2023", kOpenbHeader + "p1,1,1000,-inf,60,0\n", "2: creation_time: must be a number >= 0 (got -inf)"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].text);
    const auto path = temp_file("bounds" + std::to_string(i), cases[i].text);
    CHECK(first_error(cases[i].format, path) == path + ":" + cases[i].message);
  }
}

TEST_CASE("trace input: dates that do not exist are errors, 29 February only in leap years") {
  const auto helios = [](const std::string& date) {
    return temp_file("date_" + date.substr(0, 10), kHeliosHeader + "1,8," + date + ",,\n");
  };
  for (const std::string bad : {"2021-02-29 00:00:00", "2020-02-30 00:00:00", "2020-04-31 00:00:00", "2020-13-01 00:00:00",
                                "2020-06-01 24:00:00"}) {
    INFO(bad);
    CHECK(first_error("helios", helios(bad)) ==
          helios(bad) + ":2: submit_time: must be a time \"YYYY-MM-DD HH:MM:SS[+HH:MM]\" (got " + bad + ")");
  }
  CHECK(first_error("helios", helios("2020-02-29 00:00:00")) == "(no error)");  // a job without times: skipped
  std::string philly = kPhillyJob;
  philly.replace(philly.find("2017-10-01 00:00:00"), 19, "2017-02-30 00:00:00");
  const auto path = temp_file("philly_feb30.json", "[" + philly + "]");
  CHECK(first_error("philly", path) == path + ":1: submitted_time: must be a time \"YYYY-MM-DD HH:MM:SS\" (got 2017-02-30 00:00:00)");
}

TEST_CASE("philly: truncated JSON, garbage and deep nesting end the read with the file's line") {
  const auto truncated = temp_file("philly_truncated.json", "[" + kPhillyJob.substr(0, 80));
  CHECK(first_error("philly", truncated) ==
        truncated + ":2: json: syntax error while parsing object key - invalid string: missing closing quote; expected string "
                    "literal (got '\"start_t')");
  const auto cut = temp_file("philly_cut.json", "[" + kPhillyJob + ",\n");
  CHECK(first_error("philly", cut) ==
        cut + ":4: json: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal (got end of file)");
  const auto unclosed = temp_file("philly_unclosed.json", "[" + kPhillyJob);
  CHECK(first_error("philly", unclosed) == unclosed + ":3: json: expected ',' or ']' between jobs (got end of file)");
  const auto binary = temp_file("philly_binary.json", std::string("\x7f" "ELF\x02\x01", 6));
  CHECK(first_error("philly", binary) ==
        binary + ":1: json: expected '[' at the start of a Philly cluster_job_log (a JSON array of jobs) (got '\\u007f')");
  const auto deep = temp_file("philly_deep.json", "[" + std::string(100000, '[') + "]");
  CHECK(first_error("philly", deep) == deep + ":1: json: nesting deeper than 64 levels");
}

TEST_CASE("philly: values of the wrong JSON type are bad rows naming the key path and its line") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[1, " + kPhillyJob + "]", ":1: job: must be a JSON object (got a number)"},
      {"[{\"jobid\": 7}, " + kPhillyJob + "]", ":1: jobid: must be a string (got a number)"},
      {"[{\"jobid\": \"a\", \"submitted_time\": 5}, " + kPhillyJob + "]", ":1: submitted_time: must be a time string (got a number)"},
      {"[{\"jobid\": \"a\", \"submitted_time\": \"2017-10-01 00:00:00\",\n \"attempts\": {}}, " + kPhillyJob + "]",
       ":2: attempts: must be an array (got an object)"},
      {"[{\"jobid\": \"a\", \"user\": [], \"submitted_time\": \"2017-10-01 00:00:00\", \"attempts\": []}, " + kPhillyJob + "]",
       ":1: user: must be a string (got an array)"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].first);
    const auto path = temp_file("philly_type" + std::to_string(i) + ".json", cases[i].first);
    CHECK(first_error("philly", path) == path + cases[i].second);
    const auto lenient = open_trace("philly", path, skipping_bad_rows());
    CHECK(read_all(*lenient).size() == 1);
    CHECK(lenient->bad_rows() == 1);
  }
}

TEST_CASE("philly: a job longer than 16 MiB (a file that is not a log) is an error, not all of memory") {
  const auto path = temp_file("philly_endless.json", "[\n{\"jobid\": \"" + std::string(17 << 20, 'x') + "\"}]");
  CHECK(first_error("philly", path) == path + ":2: json: a job longer than 16 MiB: not a Philly cluster_job_log");
}

// Standard Workload Format reader. Schema: https://www.cs.huji.ac.il/labs/parallel/workload/swf.html
// (version 2.2): one job per line, 18 whitespace-separated numeric fields, -1 for unknown, header and
// comment lines starting with ';'.
#include "sim/workload/trace/swf_reader.hpp"

#include <array>
#include <map>
#include <sstream>

namespace fleetsim {

namespace {

constexpr int swf_field_count = 18;

// Field names in the order of the SWF definition, used in error messages.
constexpr std::array<const char*, swf_field_count> swf_field_names = {
    "job_number",          "submit_time",     "wait_time",        "run_time",
    "allocated_processors", "average_cpu_time", "used_memory",      "requested_processors",
    "requested_time",      "requested_memory", "status",           "user_id",
    "group_id",            "executable_number", "queue_number",    "partition_number",
    "preceding_job_number", "think_time"};

enum SwfField {
  job_number = 0,
  submit_time = 1,
  run_time = 3,
  allocated_processors = 4,
  requested_processors = 7,
  requested_time = 8,
  status = 10,
  user_id = 11,
  queue_number = 14,
};

// Integer-valued fields print without ".0" (ids, queue numbers).
std::string integer_text(double value) {
  std::ostringstream text;
  text.precision(17);
  text << value;
  return text.str();
}

class SwfReader final : public TraceReader {
 public:
  SwfReader(std::unique_ptr<InputFile> file, const TraceOptions& options) : TraceReader(std::move(file), options) {}

 private:
  // The next job line: blank lines are passed over, header comments (';') read.
  bool read_record() override {
    while (read_line(text_)) {
      const auto first = text_.find_first_not_of(" \t");
      if (first == std::string::npos) continue;
      if (text_[first] != ';') return true;
      note_header_comment(text_.substr(first + 1));
    }
    return false;
  }

  // "; Queue: 1 batch" names queue numbers (SWF 2.1+); other header comments are not needed here.
  void note_header_comment(const std::string& comment) {
    std::istringstream words(comment);
    std::string key;
    long number = 0;
    std::string name;
    if (!(words >> key) || key != "Queue:") return;
    if (!(words >> number >> name)) return;
    queue_names_[number] = name;
  }

  // False when the job cannot be replayed (unknown run time or size); throws on a malformed line.
  bool convert(TraceJob& job) override {
    std::array<double, swf_field_count> field{};
    std::istringstream words(text_);
    std::string word;
    int count = 0;
    while (words >> word) {
      if (count == swf_field_count) fail("fields", "expected 18 whitespace-separated fields", "more than 18");
      field[count] = number(word, swf_field_names[count], NumberRange{});
      ++count;
    }
    if (count < swf_field_count) fail("fields", "expected 18 whitespace-separated fields", std::to_string(count));
    if (field[submit_time] < 0) fail(swf_field_names[submit_time], "must be >= 0", integer_text(field[submit_time]));
    // -1 is "unknown" in every field; a count beyond an int cannot be simulated.
    for (const int count_field : {allocated_processors, requested_processors})
      if (field[count_field] > kMaxTraceCount)
        fail(swf_field_names[count_field], number_requirement({-1, kMaxTraceCount, false}), integer_text(field[count_field]));
    const double processors =
        field[allocated_processors] >= 0 ? field[allocated_processors] : field[requested_processors];
    if (field[run_time] < 0 || processors < 0) return false;

    job = TraceJob{};
    job.id = integer_text(field[job_number]);
    job.submit_s = field[submit_time];
    job.duration_s = field[run_time];
    if (field[requested_time] >= 0) job.estimate_s = field[requested_time];
    job.gpus = processors;
    if (field[user_id] >= 0) job.user = integer_text(field[user_id]);
    if (field[queue_number] >= 0) {
      // Looked up only when it can be a long: converting a larger double is undefined.
      const bool can_be_named = field[queue_number] < 9e18;
      const auto name = can_be_named ? queue_names_.find(static_cast<long>(field[queue_number])) : queue_names_.end();
      job.qos = name != queue_names_.end() ? name->second : integer_text(field[queue_number]);
    }
    job.status = swf_status_name(field[status] >= -1 && field[status] <= 5 ? static_cast<int>(field[status]) : -1);
    return true;
  }

  std::string text_;
  std::map<long, std::string> queue_names_;
};

}  // namespace

std::string swf_status_name(int code) {
  switch (code) {
    case 0: return "failed";
    case 1: return "completed";
    case 2: return "partial";
    case 3: return "partial_completed";
    case 4: return "partial_failed";
    case 5: return "cancelled";
    default: return "";
  }
}

std::unique_ptr<TraceReader> open_swf_trace(std::unique_ptr<InputFile> file, const TraceOptions& options) {
  return std::make_unique<SwfReader>(std::move(file), options);
}

}  // namespace fleetsim

// Helios and Acme job-log readers. Schemas: S-Lab-System-Group/HeliosData README.md (cluster_log.csv) and
// InternLM/AcmeTrace README.md (data/job_trace/trace_*.csv); see helios_reader.hpp for the mapping.
#include "sim/workload/trace/helios_reader.hpp"

#include <optional>
#include <vector>

#include "sim/core/civil_time.hpp"

namespace fleetsim {

namespace {

// "YYYY-MM-DD HH:MM:SS[.fff][+HH:MM|-HH:MM|Z]" (a 'T' may separate date and time) or a plain number of
// seconds since 1970-01-01 UTC. Without an offset the wall clock is taken as UTC.
std::optional<double> parse_time_s(const std::string& text) {
  if (double seconds = 0; parse_number(text, seconds)) return seconds;
  std::size_t at = 0;
  WallClock clock;
  if (!read_wall_clock(text, at, clock)) return std::nullopt;
  double fraction = 0;
  if (at < text.size() && text[at] == '.') {
    double scale = 0.1;
    ++at;
    if (at >= text.size() || text[at] < '0' || text[at] > '9') return std::nullopt;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10) fraction += (text[at] - '0') * scale;
  }
  int offset_s = 0;
  if (at < text.size() && text[at] == 'Z') {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int sign = text[at] == '-' ? -1 : 1;
    ++at;
    int offset_h = 0, offset_m = 0;
    if (!read_digits(text, at, 2, offset_h) || !expect_char(text, at, ':') || !read_digits(text, at, 2, offset_m))
      return std::nullopt;
    offset_s = sign * (offset_h * 3600 + offset_m * 60);
  }
  if (at != text.size()) return std::nullopt;
  return clock.seconds - offset_s + fraction;
}

// Which optional column feeds TraceJob::qos.
struct JobLogFlavor {
  const char* qos_column;  // nullptr: the format has no queue name
};

constexpr JobLogFlavor helios_flavor{"vc"};
constexpr JobLogFlavor acme_flavor{nullptr};

class JobLogReader final : public TraceReader {
 public:
  JobLogReader(std::unique_ptr<InputFile> file, const TraceOptions& options, JobLogFlavor flavor)
      : TraceReader(std::move(file), options), flavor_(flavor), header_(read_csv_header()) {
    const auto index = required_columns(header_, {"job_id", "gpu_num", "submit_time"}, path(), line());
    job_id_ = index[0];
    gpu_num_ = index[1];
    submit_time_ = index[2];
    start_time_ = column_index(header_, "start_time");
    end_time_ = column_index(header_, "end_time");
    duration_ = column_index(header_, "duration");
    node_num_ = column_index(header_, "node_num");
    user_ = column_index(header_, "user");
    state_ = column_index(header_, "state");
    qos_ = flavor_.qos_column ? column_index(header_, flavor_.qos_column) : -1;
    if (duration_ < 0 && (start_time_ < 0 || end_time_ < 0))
      fail("header", "missing column duration (or start_time and end_time)");
  }

 private:
  bool read_record() override { return read_csv_record(fields_); }

  // A time, nullopt when the column is absent or the field empty.
  std::optional<double> time(const CsvRow& row, int column) const {
    if (column < 0 || row.text(column).empty()) return std::nullopt;
    const auto seconds = parse_time_s(row.text(column));
    if (!seconds) row.fail(column, "must be a time \"YYYY-MM-DD HH:MM:SS[+HH:MM]\"");
    if (*seconds < 0) row.fail(column, "must not be before 1970-01-01 00:00 UTC");
    return seconds;
  }

  // False for a job that never ran (no start/end times and no duration).
  bool convert(TraceJob& job) override {
    const CsvRow row = csv_row(header_, fields_);
    TraceJob out;
    out.id = row.text(job_id_);
    if (out.id.empty()) row.fail(job_id_, "must not be empty");
    const auto submit = time(row, submit_time_);
    if (!submit) row.fail(submit_time_, "must not be empty");
    out.submit_s = *submit;
    // Both READMEs define duration = end_time - start_time, but the Acme Kalos example rows give
    // end_time - submit_time (18 s for a job that ran 11:01:08-11:01:16): the times win when present.
    const auto start = time(row, start_time_);
    const auto end = time(row, end_time_);
    if (start && end) {
      if (*end < *start) row.fail(end_time_, "must not be before start_time");
      out.duration_s = *end - *start;
    } else if (duration_ >= 0 && !row.text(duration_).empty()) {
      out.duration_s = row.number(duration_, kTraceTimeRange);
    } else {
      return false;
    }
    out.gpus = row.number(gpu_num_, kTraceGpuRange);
    if (node_num_ >= 0 && !row.text(node_num_).empty()) out.nodes = static_cast<int>(row.number(node_num_, kTraceCountRange));
    out.user = row.text(user_);
    out.status = row.text(state_);
    out.qos = row.text(qos_);
    job = std::move(out);
    return true;
  }

  JobLogFlavor flavor_;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  int job_id_ = -1, gpu_num_ = -1, submit_time_ = -1;
  int start_time_ = -1, end_time_ = -1, duration_ = -1, node_num_ = -1, user_ = -1, state_ = -1, qos_ = -1;  // optional
};

}  // namespace

std::unique_ptr<TraceReader> open_helios_trace(std::unique_ptr<InputFile> file, const TraceOptions& options) {
  return std::make_unique<JobLogReader>(std::move(file), options, helios_flavor);
}

std::unique_ptr<TraceReader> open_acme_trace(std::unique_ptr<InputFile> file, const TraceOptions& options) {
  return std::make_unique<JobLogReader>(std::move(file), options, acme_flavor);
}

}  // namespace fleetsim

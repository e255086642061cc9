// Helios and Acme job-log readers. Schemas: S-Lab-System-Group/HeliosData README.md (cluster_log.csv) and
// InternLM/AcmeTrace README.md (data/job_trace/trace_*.csv); see helios_reader.hpp for the mapping.
#include "sim/workload/trace/helios_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <vector>

#include "sim/core/civil_time.hpp"
#include "sim/core/input_error.hpp"
#include "sim/core/csv_row.hpp"

namespace fleetsim {

namespace {

// "YYYY-MM-DD HH:MM:SS[.fff][+HH:MM|-HH:MM|Z]" (a 'T' may separate date and time) or a plain number of
// seconds since 1970-01-01 UTC. Without an offset the wall clock is taken as UTC.
std::optional<double> parse_time_s(const std::string& text) {
  {
    char* end = nullptr;
    errno = 0;
    const double seconds = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0' && errno != ERANGE && std::isfinite(seconds)) return seconds;
  }
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, at, 4, year) || !expect_char(text, at, '-') || !read_digits(text, at, 2, month) ||
      !expect_char(text, at, '-') || !read_digits(text, at, 2, day))
    return std::nullopt;
  if (at >= text.size() || (text[at] != ' ' && text[at] != 'T')) return std::nullopt;
  ++at;
  if (!read_digits(text, at, 2, hour) || !expect_char(text, at, ':') || !read_digits(text, at, 2, minute) ||
      !expect_char(text, at, ':') || !read_digits(text, at, 2, second))
    return std::nullopt;
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
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] + (month == 2 && leap) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  const long long days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second - offset_s) + fraction;
}

// Which columns a format needs and which optional column feeds TraceJob::qos.
struct JobLogFlavor {
  const char* name;
  const char* qos_column;  // nullptr: the format has no queue name
};

constexpr JobLogFlavor helios_flavor{"helios", "vc"};
constexpr JobLogFlavor acme_flavor{"acme", nullptr};

class JobLogReader : public TraceReader {
 public:
  JobLogReader(std::string path, TraceOptions options, JobLogFlavor flavor)
      : path_(std::move(path)), options_(options), flavor_(flavor), in_(path_) {
    if (!in_) throw InputError({path_, 0}, "trace", "cannot open file");
    read_header();
  }

  bool next(TraceJob& job) override {
    std::vector<std::string> fields;
    while (true) {
      const long first_line = line_ + 1;
      if (!read_csv_row(in_, fields, line_, path_)) return false;
      if (fields.size() == 1 && fields[0].empty()) continue;
      try {
        if (convert(fields, static_cast<int>(first_line), job)) return true;
      } catch (const InputError& error) {
        if (!options_.skip_bad_rows) throw;
        note_bad_row(error.what());
      }
    }
  }

 private:
  void read_header() {
    std::vector<std::string> header;
    if (!read_csv_row(in_, header, line_, path_)) throw InputError({path_, 1}, "header", "file is empty");
    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);  // UTF-8 BOM
    header_size_ = header.size();
    for (std::size_t i = 0; i < header.size(); ++i) column_[header[i]] = i;
    for (const char* required : {"job_id", "gpu_num", "submit_time"}) {
      if (!column_.count(required))
        throw InputError({path_, 1}, "header", std::string("missing column '") + required + "' of the " +
                                                   flavor_.name + " job log");
    }
    if (!column_.count("duration") && !(column_.count("start_time") && column_.count("end_time")))
      throw InputError({path_, 1}, "header",
                       std::string("missing column 'duration' (or 'start_time' and 'end_time') of the ") +
                           flavor_.name + " job log");
  }

  const std::string* cell(const std::vector<std::string>& fields, const char* name) const {
    const auto found = column_.find(name);
    return found == column_.end() ? nullptr : &fields[found->second];
  }

  double number(const std::vector<std::string>& fields, const char* name, int line) const {
    const std::string& text = *cell(fields, name);
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end == text.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(value))
      throw InputError({path_, line}, name, "must be a number", text.empty() ? "empty" : text);
    if (value < 0) throw InputError({path_, line}, name, "must be >= 0", text);
    return value;
  }

  std::optional<double> time(const std::vector<std::string>& fields, const char* name, int line) const {
    const std::string* text = cell(fields, name);
    if (!text || text->empty()) return std::nullopt;
    const auto seconds = parse_time_s(*text);
    if (!seconds) throw InputError({path_, line}, name, "must be a time \"YYYY-MM-DD HH:MM:SS[+HH:MM]\"", *text);
    return seconds;
  }

  // False for a job that never ran (no start/end times and no duration).
  bool convert(const std::vector<std::string>& fields, int line, TraceJob& job) const {
    if (fields.size() != header_size_)
      throw InputError({path_, line}, "fields",
                       "expected " + std::to_string(header_size_) + " comma-separated fields, as in the header",
                       std::to_string(fields.size()));
    TraceJob out;
    out.id = *cell(fields, "job_id");
    if (out.id.empty()) throw InputError({path_, line}, "job_id", "must not be empty");
    const auto submit = time(fields, "submit_time", line);
    if (!submit) throw InputError({path_, line}, "submit_time", "must not be empty");
    out.submit_s = *submit;
    // Both READMEs define duration = end_time - start_time, but the Acme Kalos example rows give
    // end_time - submit_time (18 s for a job that ran 11:01:08-11:01:16): the times win when present.
    const auto start = time(fields, "start_time", line);
    const auto end = time(fields, "end_time", line);
    const std::string* duration = cell(fields, "duration");
    if (start && end) {
      if (*end < *start)
        throw InputError({path_, line}, "end_time", "must not be before start_time", *cell(fields, "end_time"));
      out.duration_s = *end - *start;
    } else if (duration && !duration->empty()) {
      out.duration_s = number(fields, "duration", line);
    } else {
      return false;
    }
    out.gpus = number(fields, "gpu_num", line);
    if (const std::string* nodes = cell(fields, "node_num"); nodes && !nodes->empty()) {
      const double value = number(fields, "node_num", line);
      if (value != std::floor(value)) throw InputError({path_, line}, "node_num", "must be a whole number", *nodes);
      out.nodes = static_cast<int>(value);
    }
    if (const std::string* user = cell(fields, "user")) out.user = *user;
    if (const std::string* state = cell(fields, "state")) out.status = *state;
    if (flavor_.qos_column) {
      if (const std::string* qos = cell(fields, flavor_.qos_column)) out.qos = *qos;
    }
    job = std::move(out);
    return true;
  }

  std::string path_;
  TraceOptions options_;
  JobLogFlavor flavor_;
  std::ifstream in_;
  long line_ = 0;
  std::size_t header_size_ = 0;
  std::map<std::string, std::size_t> column_;
};

}  // namespace

std::unique_ptr<TraceReader> open_helios_trace(const std::string& path, const TraceOptions& options) {
  return std::make_unique<JobLogReader>(path, options, helios_flavor);
}

std::unique_ptr<TraceReader> open_acme_trace(const std::string& path, const TraceOptions& options) {
  return std::make_unique<JobLogReader>(path, options, acme_flavor);
}

}  // namespace fleetsim

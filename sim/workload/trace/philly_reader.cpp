// Philly job-log reader. Schema: msr-fiddle/philly-traces README.md (`cluster_job_log`) and its analysis
// notebook (analysis/Philly Trace Analysis.ipynb: run time = last end - first start; a missing time may be
// null, "" or "None"). See philly_reader.hpp for the mapping.
#include "sim/workload/trace/philly_reader.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/civil_time.hpp"

namespace fleetsim {

namespace {

using Json = nlohmann::json;

const char* kind_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "a binary value";
  }
}

// The bytes of the log as nlohmann's parser pulls them, one at a time, counting lines: the parser's own position
// restarts with each job, and errors name the file's line. Also lets the reader look at the next byte and put
// back the one byte the parser reads past a number.
// A job is bounded too, as a line of a CSV trace is (kMaxLineBytes): a file that is not a log (one endless string)
// is an error, not all of memory. Real jobs are a few kB (one object per attempt and machine).
constexpr long kMaxJobBytes = 16L << 20;

class CountingBytes final : public std::streambuf {
 public:
  CountingBytes(std::streambuf& from, const std::string& path) : from_(from), path_(path) {}
  long line() const { return line_; }
  void start_job() { job_bytes_ = 0; }
  int last() const { return last_; }
  void put_back_last() {
    peeked_ = last_;
    if (last_ == '\n') --line_;
  }

 protected:
  int_type underflow() override {
    if (peeked_ == kNothing) peeked_ = from_.sbumpc();
    return peeked_;
  }
  int_type uflow() override {
    const int_type c = underflow();
    peeked_ = kNothing;
    last_ = c;
    if (c == '\n') ++line_;
    if (++job_bytes_ > kMaxJobBytes)
      throw InputError({path_, static_cast<int>(line_)}, "json", "a job longer than 16 MiB: not a Philly cluster_job_log");
    return c;
  }

 private:
  static constexpr int_type kNothing = -2;  // not a byte and not EOF (-1)
  std::streambuf& from_;
  const std::string& path_;
  long job_bytes_ = 0;
  int_type peeked_ = kNothing;
  int_type last_ = kNothing;
  long line_ = 1;
};

// Builds one job (one element of the top-level array) as a Json value, keeping the line of every value under its
// key path ("attempts[0].detail[1].gpus"), the name errors give it. Nesting is bounded: a job is a few levels deep.
class JobBuilder final : public nlohmann::json_sax<Json> {
 public:
  static constexpr std::size_t kMaxDepth = 64;

  explicit JobBuilder(const CountingBytes& bytes) : bytes_(bytes) {}

  Json job;
  std::map<std::string, long> lines;  // key path -> line of its value
  std::string error;                   // why the parse stopped, when it did
  std::string got;                     // and what it read last

  bool null() override { return add(Json(nullptr)); }
  bool boolean(bool value) override { return add(Json(value)); }
  bool number_integer(number_integer_t value) override { return add(Json(value), true); }
  bool number_unsigned(number_unsigned_t value) override { return add(Json(value), true); }
  bool number_float(number_float_t value, const string_t&) override { return add(Json(value), true); }
  bool string(string_t& value) override { return add(Json(std::move(value))); }
  bool binary(binary_t&) override { return add(Json(nullptr)); }
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    key_ = std::move(name);
    return true;
  }
  bool parse_error(std::size_t, const std::string& last_token, const nlohmann::detail::exception& failure) override {
    // nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error while parsing
    // object - invalid literal; last read: '...'": its position counts from this job, the file's line is ours.
    std::string what = failure.what();
    if (const auto colon = what.find(": ", what.find("parse error")); colon != std::string::npos) what.erase(0, colon + 2);
    if (const auto read = what.find("; last read: '"); read != std::string::npos) {
      const auto expected = what.find("'; expected ", read);
      what.erase(read, expected == std::string::npos ? std::string::npos : expected + 1 - read);
    }
    error = what;
    got = last_token.empty() ? "end of file" : "'" + last_token + "'";
    return false;
  }

 private:
  std::string child_path() const {
    if (stack_.empty()) return {};
    const std::string& parent = paths_.back();
    if (stack_.back()->is_array()) return parent + "[" + std::to_string(stack_.back()->size()) + "]";
    return parent.empty() ? key_ : parent + "." + key_;
  }

  // A value ends here; a number's last byte is the one after it (the parser reads one past a number).
  bool add(Json value, bool number = false) {
    const long line = bytes_.line() - (number && bytes_.last() == '\n' ? 1 : 0);
    insert(std::move(value), line);
    return true;
  }

  Json* insert(Json value, long line) {
    const std::string path = child_path();
    lines[path] = line;
    if (stack_.empty()) {
      job = std::move(value);
      return &job;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    Json& slot = parent[key_];
    slot = std::move(value);
    return &slot;
  }

  bool open(Json container) {
    if (stack_.size() == kMaxDepth) {
      error = "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
      return false;
    }
    const std::string path = child_path();
    stack_.push_back(insert(std::move(container), bytes_.line()));
    paths_.push_back(path);
    return true;
  }

  bool close() {
    stack_.pop_back();
    paths_.pop_back();
    return true;
  }

  const CountingBytes& bytes_;
  std::vector<Json*> stack_;       // open containers; pointers stay valid: only the innermost one grows
  std::vector<std::string> paths_;  // their key paths
  std::string key_;
};

// ---- Times: "YYYY-MM-DD HH:MM:SS" US Pacific wall clock -> seconds since 1970-01-01 UTC. ----

// Day of the month of the n-th Sunday (n >= 1) of a month.
unsigned nth_sunday(long long year, unsigned month, unsigned n) {
  const long long first = days_from_civil(year, month, 1);
  const unsigned weekday = static_cast<unsigned>(((first + 4) % 7 + 7) % 7);  // 0 = Sunday; 1970-01-01 a Thursday
  return 1 + (7 - weekday) % 7 + 7 * (n - 1);
}

// A wall-clock time read as UTC seconds. Wall clock 01:00-02:00 on the autumn change day happens twice;
// it is read as its first (PDT) occurrence and flagged, so that a job's later times can be read as the
// second (PST) occurrence when the first would put them before an earlier time of the same job.
struct PacificTime {
  double utc_s = 0;
  bool repeated_hour = false;
};

// US Pacific to UTC. Daylight time from the second Sunday of March, 02:00 PST, to the first Sunday of
// November, 02:00 PDT (Energy Policy Act of 2005, in force since 2007; the Philly log is from 2017).
PacificTime pacific_to_utc(long long year, double local_s) {
  const double dst_start = (days_from_civil(year, 3, nth_sunday(year, 3, 2)) * 86400.0) + 2 * 3600;
  const double dst_end = (days_from_civil(year, 11, nth_sunday(year, 11, 1)) * 86400.0) + 2 * 3600;
  const bool daylight = local_s >= dst_start && local_s < dst_end;
  return {local_s + (daylight ? 7 : 8) * 3600.0, local_s >= dst_end - 3600 && local_s < dst_end};
}

std::optional<PacificTime> parse_pacific_time(const std::string& text) {
  std::size_t at = 0;
  WallClock clock;
  if (!read_wall_clock(text, at, clock) || at != text.size()) return std::nullopt;
  return pacific_to_utc(clock.year, clock.seconds);
}

// ---- The reader. ----

class PhillyReader final : public TraceReader {
 public:
  PhillyReader(std::unique_ptr<InputFile> file, const TraceOptions& options)
      : TraceReader(std::move(file), options), bytes_(*stream().rdbuf(), path()), in_(&bytes_) {
    expect('[', "at the start of a Philly cluster_job_log (a JSON array of jobs)");
    if (peek() == ']') finished_ = true;
  }

 private:
  // The next element of the array, parsed whole (one job at a time: the log is hundreds of MB).
  bool read_record() override {
    if (finished_) return false;
    if (!first_) {
      if (peek() == ']') {
        bytes_.sbumpc();
        finished_ = true;
        return false;
      }
      expect(',', "or ']' between jobs");
    }
    first_ = false;
    peek();
    set_record_line(bytes_.line());
    bytes_.start_job();
    JobBuilder builder(bytes_);
    bool parsed = false;
    try {
      parsed = Json::sax_parse(in_, &builder, Json::input_format_t::json, /*strict=*/false);
    } catch (const std::system_error& error) {
      throw read_error(path(), bytes_.line(), error);
    }
    if (!parsed) {
      set_record_line(bytes_.line());
      fail("json", builder.error, builder.got);
    }
    if (builder.job.is_number()) bytes_.put_back_last();  // the parser reads one byte past a number
    job_ = std::move(builder.job);
    lines_ = std::move(builder.lines);
    return true;
  }

  // Next byte that is not JSON white space, not consumed; EOF at the end.
  int peek() {
    try {
      for (;;) {
        const int c = bytes_.sgetc();
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
        bytes_.sbumpc();
      }
    } catch (const std::system_error& error) {
      throw read_error(path(), bytes_.line(), error);
    }
  }

  void expect(char wanted, const char* where) {
    const int c = peek();
    if (c != wanted) {
      set_record_line(bytes_.line());
      fail("json", std::string("expected '") + wanted + "' " + where,
           c == EOF ? std::string("end of file") : "'" + std::string(1, static_cast<char>(c)) + "'");
    }
    bytes_.sbumpc();
  }

  [[noreturn]] void wrong(const std::string& at, const std::string& key, const std::string& problem,
                          const std::string& got = {}) {
    const auto line = lines_.find(at);
    set_record_line(line == lines_.end() ? record_line() : line->second);
    fail(key, problem, got);
  }

  const Json* member(const Json& object, const std::string& key) const {
    const auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
  }

  const Json& require(const Json& object, const std::string& at, const std::string& key, Json::value_t kind,
                      const char* kind_text) {
    const std::string name = at.empty() ? key : at + "." + key;
    const Json* value = member(object, key);
    if (!value) wrong(at, name, "missing");
    if (value->type() != kind) wrong(name, name, std::string("must be ") + kind_text, kind_name(*value));
    return *value;
  }

  // Optional string member: "" when absent or null.
  std::string text(const Json& object, const std::string& key) {
    const Json* value = member(object, key);
    if (!value || value->is_null()) return {};
    if (!value->is_string()) wrong(key, key, "must be a string", kind_name(*value));
    return value->get<std::string>();
  }

  // A time member; nullopt when the log has none (null, "", "None" — see the upstream notebook).
  std::optional<PacificTime> time(const Json& object, const std::string& at, const std::string& key) {
    const std::string name = at.empty() ? key : at + "." + key;
    const Json* value = member(object, key);
    if (!value || value->is_null()) return std::nullopt;
    if (!value->is_string()) wrong(name, name, "must be a time string", kind_name(*value));
    const auto& text = value->get_ref<const std::string&>();
    if (text.empty() || text == "None") return std::nullopt;
    const auto time = parse_pacific_time(text);
    if (!time) wrong(name, name, "must be a time \"YYYY-MM-DD HH:MM:SS\"", text);
    if (time->utc_s < 0) wrong(name, name, "must not be before 1970-01-01 00:00 UTC", text);
    return time;
  }

  // An attempt time in UTC seconds. Attempt times follow each other (start, end, next start, ...); a time in
  // the repeated autumn hour that would come before the job's latest attempt time as PDT, but not as PST,
  // is its PST occurrence: e.g. a start at 01:50 PDT and an end at 01:10 PST, 20 min later, which reading
  // both as PDT would make end before start.
  static std::optional<double> in_order(const std::optional<PacificTime>& time, std::optional<double>& latest) {
    if (!time) return std::nullopt;
    double utc_s = time->utc_s;
    if (time->repeated_hour && latest && utc_s < *latest && utc_s + 3600 >= *latest) utc_s += 3600;
    latest = latest ? std::max(*latest, utc_s) : utc_s;
    return utc_s;
  }

  // False for a job that cannot be replayed (no attempts, or a missing first start / last end).
  bool convert(TraceJob& job) override {
    const Json& value = job_;
    if (!value.is_object()) wrong("", "job", "must be a JSON object", kind_name(value));
    TraceJob out;
    out.id = require(value, "", "jobid", Json::value_t::string, "a string").get<std::string>();
    if (out.id.empty()) wrong("jobid", "jobid", "must not be empty");
    const auto submitted = time(value, "", "submitted_time");
    if (!submitted) wrong("", "submitted_time", "missing");
    out.submit_s = submitted->utc_s;
    out.user = text(value, "user");
    out.qos = text(value, "vc");
    out.status = text(value, "status");

    const Json& attempts = require(value, "", "attempts", Json::value_t::array, "an array");
    std::optional<double> first_start;
    std::optional<double> last_end;
    std::optional<double> latest;  // the latest attempt time read so far
    double last_gpus = 0;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      const Json& attempt = attempts[i];
      const std::string name = "attempts[" + std::to_string(i) + "]";
      if (!attempt.is_object()) wrong(name, name, "must be an object", kind_name(attempt));
      const auto start = in_order(time(attempt, name, "start_time"), latest);
      const auto end = in_order(time(attempt, name, "end_time"), latest);
      if (start && end && *end < *start) wrong(name, name + ".end_time", "must not be before start_time");
      if (i == 0) first_start = start;
      last_end = end;
      last_gpus = 0;
      if (const Json* detail = member(attempt, "detail"); detail && !detail->is_null()) {
        if (!detail->is_array()) wrong(name + ".detail", name + ".detail", "must be an array", kind_name(*detail));
        for (std::size_t d = 0; d < detail->size(); ++d) {
          const std::string where = name + ".detail[" + std::to_string(d) + "]";
          if (!(*detail)[d].is_object()) wrong(where, where, "must be an object", kind_name((*detail)[d]));
          last_gpus += static_cast<double>(require((*detail)[d], where, "gpus", Json::value_t::array, "an array").size());
        }
      }
    }
    if (!first_start || !last_end) return false;
    if (*last_end < *first_start) wrong("attempts", "attempts", "last end_time must not be before the first start_time");
    out.duration_s = *last_end - *first_start;
    out.gpus = last_gpus;
    job = std::move(out);
    return true;
  }

  CountingBytes bytes_;
  std::istream in_;
  Json job_;
  std::map<std::string, long> lines_;
  bool first_ = true;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<TraceReader> open_philly_trace(std::unique_ptr<InputFile> file, const TraceOptions& options) {
  return std::make_unique<PhillyReader>(std::move(file), options);
}

}  // namespace fleetsim

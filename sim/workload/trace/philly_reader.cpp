// Philly job-log reader. Schema: msr-fiddle/philly-traces README.md (`cluster_job_log`) and its analysis
// notebook (analysis/Philly Trace Analysis.ipynb: run time = last end - first start; a missing time may be
// null, "" or "None"). See philly_reader.hpp for the mapping.
#include "sim/workload/trace/philly_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <vector>

#include "sim/core/civil_time.hpp"
#include "sim/core/input_error.hpp"

namespace fleetsim {

namespace {

// ---- A minimal JSON value and a streaming parser that reads one value at a time. ----

struct JsonValue {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<JsonValue> items;         // array elements, or object member values
  std::vector<std::string> keys;        // object member names, parallel to items
  int line = 0;

  const JsonValue* member(const std::string& key) const {
    if (kind != Kind::object) return nullptr;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return &items[i];
    return nullptr;
  }
};

const char* kind_name(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::null: return "null";
    case JsonValue::Kind::boolean: return "a boolean";
    case JsonValue::Kind::number: return "a number";
    case JsonValue::Kind::string: return "a string";
    case JsonValue::Kind::array: return "an array";
    case JsonValue::Kind::object: return "an object";
  }
  return "?";
}

class JsonStream {
 public:
  JsonStream(std::streambuf* buffer, const std::string& path) : buffer_(buffer), path_(path) {}

  int line() const { return line_; }

  // Next non-blank character, not consumed; EOF at the end.
  int peek_token() {
    while (true) {
      const int c = buffer_->sgetc();
      if (c == ' ' || c == '\t' || c == '\r') {
        buffer_->sbumpc();
      } else if (c == '\n') {
        buffer_->sbumpc();
        ++line_;
      } else {
        return c;
      }
    }
  }

  void expect(char wanted, const char* where) {
    const int c = peek_token();
    if (c != wanted) syntax_error(std::string("expected '") + wanted + "' " + where, c);
    buffer_->sbumpc();
  }

  JsonValue parse_value(int depth = 0) {
    if (depth > max_depth) syntax_error("nesting deeper than 64 levels", peek_token());
    JsonValue value;
    const int c = peek_token();
    value.line = line_;
    if (c == '{') {
      buffer_->sbumpc();
      value.kind = JsonValue::Kind::object;
      if (peek_token() == '}') {
        buffer_->sbumpc();
        return value;
      }
      while (true) {
        if (peek_token() != '"') syntax_error("expected a member name in quotes", peek_token());
        value.keys.push_back(parse_string());
        expect(':', "after a member name");
        value.items.push_back(parse_value(depth + 1));
        const int next = peek_token();
        buffer_->sbumpc();
        if (next == '}') return value;
        if (next != ',') syntax_error("expected ',' or '}' in an object", next);
      }
    }
    if (c == '[') {
      buffer_->sbumpc();
      value.kind = JsonValue::Kind::array;
      if (peek_token() == ']') {
        buffer_->sbumpc();
        return value;
      }
      while (true) {
        value.items.push_back(parse_value(depth + 1));
        const int next = peek_token();
        buffer_->sbumpc();
        if (next == ']') return value;
        if (next != ',') syntax_error("expected ',' or ']' in an array", next);
      }
    }
    if (c == '"') {
      value.kind = JsonValue::Kind::string;
      value.text = parse_string();
      return value;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::string digits;
      for (int d = buffer_->sgetc(); d != EOF && std::string("+-.eE0123456789").find(static_cast<char>(d)) !=
                                                    std::string::npos;
           d = buffer_->snextc())
        digits += static_cast<char>(d);
      char* end = nullptr;
      errno = 0;
      value.number = std::strtod(digits.c_str(), &end);
      if (*end != '\0' || errno == ERANGE) syntax_error("malformed number", digits);
      value.kind = JsonValue::Kind::number;
      return value;
    }
    if (c == 't' || c == 'f' || c == 'n') {
      std::string word;
      for (int d = buffer_->sgetc(); d >= 'a' && d <= 'z'; d = buffer_->snextc()) word += static_cast<char>(d);
      if (word == "true" || word == "false") {
        value.kind = JsonValue::Kind::boolean;
        value.boolean = word == "true";
        return value;
      }
      if (word == "null") return value;
      syntax_error("expected a JSON value", word);
    }
    syntax_error("expected a JSON value", c);
  }

 private:
  static constexpr int max_depth = 64;

  [[noreturn]] void syntax_error(const std::string& problem, const std::string& got) const {
    throw InputError({path_, line_}, "json", problem, got);
  }
  [[noreturn]] void syntax_error(const std::string& problem, int got) const {
    syntax_error(problem, got == EOF ? std::string("end of file") : std::string("'") + static_cast<char>(got) + "'");
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  unsigned read_hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = buffer_->sbumpc();
      code <<= 4;
      if (h >= '0' && h <= '9') code |= h - '0';
      else if (h >= 'a' && h <= 'f') code |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') code |= h - 'A' + 10;
      else syntax_error("expected 4 hex digits after \\u", h);
    }
    return code;
  }

  std::string parse_string() {
    buffer_->sbumpc();  // opening quote
    std::string out;
    while (true) {
      const int c = buffer_->sbumpc();
      if (c == EOF) syntax_error("unterminated string", EOF);
      if (c == '"') return out;
      if (c == '\n') syntax_error("line break inside a string", c);
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      const int e = buffer_->sbumpc();
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = read_hex4();
          if (code >= 0xD800 && code < 0xDC00 && buffer_->sgetc() == '\\') {  // surrogate pair
            buffer_->sbumpc();
            if (buffer_->sbumpc() != 'u') syntax_error("expected a low surrogate \\u", std::string());
            const unsigned low = read_hex4();
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default: syntax_error("unknown escape in a string", e);
      }
    }
  }

  std::streambuf* buffer_;
  const std::string& path_;
  int line_ = 1;
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
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const auto sep = [&](char c) { return expect_char(text, at, c); };
  if (!read_digits(text, at, 4, year) || !sep('-') || !read_digits(text, at, 2, month) || !sep('-') ||
      !read_digits(text, at, 2, day) || !sep(' ') || !read_digits(text, at, 2, hour) || !sep(':') ||
      !read_digits(text, at, 2, minute) || !sep(':') || !read_digits(text, at, 2, second) || at != text.size())
    return std::nullopt;
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] + (month == 2 && leap) || hour > 23 ||
      minute > 59 || second > 59)
    return std::nullopt;
  const double local_s =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400.0 + hour * 3600 +
      minute * 60 + second;
  return pacific_to_utc(year, local_s);
}

// ---- The reader. ----

class PhillyReader : public TraceReader {
 public:
  PhillyReader(std::string path, TraceOptions options)
      : path_(std::move(path)), options_(options), in_(path_), json_(in_.rdbuf(), path_) {
    if (!in_) throw InputError({path_, 0}, "trace", "cannot open file");
    json_.expect('[', "at the start of a Philly cluster_job_log (a JSON array of jobs)");
    if (json_.peek_token() == ']') {
      finished_ = true;
    }
  }

  bool next(TraceJob& job) override {
    while (!finished_) {
      if (!first_) {
        const int c = json_.peek_token();
        if (c == ']') {
          in_.rdbuf()->sbumpc();
          finished_ = true;
          break;
        }
        json_.expect(',', "or ']' between jobs");
      }
      first_ = false;
      const JsonValue value = json_.parse_value();
      try {
        if (convert(value, job)) return true;
      } catch (const InputError& error) {
        if (!options_.skip_bad_rows) throw;
        note_bad_row(error.what());
      }
    }
    return false;
  }

 private:
  [[noreturn]] void wrong(const JsonValue& at, const std::string& key, const std::string& problem,
                          const std::string& got = {}) const {
    throw InputError({path_, at.line}, key, problem, got);
  }

  const JsonValue& require(const JsonValue& object, const std::string& key, JsonValue::Kind kind,
                           const std::string& name) const {
    const JsonValue* value = object.member(key);
    if (!value) wrong(object, name, "missing");
    if (value->kind != kind) wrong(*value, name, std::string("must be ") + kind_name(kind), kind_name(value->kind));
    return *value;
  }

  // Optional string member: "" when absent or null.
  std::string text(const JsonValue& object, const std::string& key) const {
    const JsonValue* value = object.member(key);
    if (!value || value->kind == JsonValue::Kind::null) return {};
    if (value->kind != JsonValue::Kind::string)
      wrong(*value, key, "must be a string", kind_name(value->kind));
    return value->text;
  }

  // A time member; nullopt when the log has none (null, "", "None" — see the upstream notebook).
  std::optional<PacificTime> time(const JsonValue& object, const std::string& key, const std::string& name) const {
    const JsonValue* value = object.member(key);
    if (!value || value->kind == JsonValue::Kind::null) return std::nullopt;
    if (value->kind != JsonValue::Kind::string) wrong(*value, name, "must be a time string", kind_name(value->kind));
    if (value->text.empty() || value->text == "None") return std::nullopt;
    const auto time = parse_pacific_time(value->text);
    if (!time) wrong(*value, name, "must be a time \"YYYY-MM-DD HH:MM:SS\"", value->text);
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
  bool convert(const JsonValue& value, TraceJob& job) const {
    if (value.kind != JsonValue::Kind::object) wrong(value, "job", "must be a JSON object", kind_name(value.kind));
    TraceJob out;
    out.id = require(value, "jobid", JsonValue::Kind::string, "jobid").text;
    if (out.id.empty()) wrong(value, "jobid", "must not be empty");
    const auto submitted = time(value, "submitted_time", "submitted_time");
    if (!submitted) wrong(value, "submitted_time", "missing");
    out.submit_s = submitted->utc_s;
    out.user = text(value, "user");
    out.qos = text(value, "vc");
    out.status = text(value, "status");

    const JsonValue& attempts = require(value, "attempts", JsonValue::Kind::array, "attempts");
    std::optional<double> first_start;
    std::optional<double> last_end;
    std::optional<double> latest;  // the latest attempt time read so far
    double last_gpus = 0;
    for (std::size_t i = 0; i < attempts.items.size(); ++i) {
      const JsonValue& attempt = attempts.items[i];
      const std::string name = "attempts[" + std::to_string(i) + "]";
      if (attempt.kind != JsonValue::Kind::object) wrong(attempt, name, "must be an object", kind_name(attempt.kind));
      const auto start = in_order(time(attempt, "start_time", name + ".start_time"), latest);
      const auto end = in_order(time(attempt, "end_time", name + ".end_time"), latest);
      if (start && end && *end < *start) wrong(attempt, name + ".end_time", "must not be before start_time");
      if (i == 0) first_start = start;
      last_end = end;
      last_gpus = 0;
      if (const JsonValue* detail = attempt.member("detail"); detail && detail->kind != JsonValue::Kind::null) {
        if (detail->kind != JsonValue::Kind::array)
          wrong(*detail, name + ".detail", "must be an array", kind_name(detail->kind));
        for (std::size_t d = 0; d < detail->items.size(); ++d) {
          const std::string where = name + ".detail[" + std::to_string(d) + "]";
          if (detail->items[d].kind != JsonValue::Kind::object)
            wrong(detail->items[d], where, "must be an object", kind_name(detail->items[d].kind));
          last_gpus += static_cast<double>(
              require(detail->items[d], "gpus", JsonValue::Kind::array, where + ".gpus").items.size());
        }
      }
    }
    if (!first_start || !last_end) return false;
    if (*last_end < *first_start)
      wrong(attempts, "attempts", "last end_time must not be before the first start_time");
    out.duration_s = *last_end - *first_start;
    out.gpus = last_gpus;
    job = std::move(out);
    return true;
  }

  std::string path_;
  TraceOptions options_;
  std::ifstream in_;
  JsonStream json_;
  bool first_ = true;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<TraceReader> open_philly_trace(const std::string& path, const TraceOptions& options) {
  return std::make_unique<PhillyReader>(path, options);
}

}  // namespace fleetsim

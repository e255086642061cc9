#include "sim/workload/trace/trace_reader.hpp"

#include <map>
#include <stdexcept>

#include "sim/core/csv_row.hpp"
#include "sim/workload/trace/helios_reader.hpp"
#include "sim/workload/trace/openb_reader.hpp"
#include "sim/workload/trace/pai_reader.hpp"
#include "sim/workload/trace/philly_reader.hpp"
#include "sim/workload/trace/swf_reader.hpp"

namespace fleetsim {

TraceReader::TraceReader(std::unique_ptr<InputFile> file, const TraceOptions& options)
    : file_(std::move(file)), options_(options) {}

bool TraceReader::next(TraceJob& job) {
  while (read_record()) {
    try {
      if (convert(job)) return true;
    } catch (const InputError& error) {
      if (!options_.skip_bad_rows) throw;
      note_bad_row(error.what());
    }
  }
  return false;
}

void TraceReader::note_bad_row(const std::string& message) {
  ++bad_rows_;
  if (bad_row_messages_.size() < 10) bad_row_messages_.push_back(message);
}

bool TraceReader::read_line(std::string& text) {
  if (!fleetsim::read_line(stream(), text, path(), line_)) return false;
  record_line_ = ++line_;
  return true;
}

bool TraceReader::read_csv_record(std::vector<std::string>& fields) {
  for (;;) {
    const long first_line = line_ + 1;
    if (!read_csv_row(stream(), fields, line_, path())) return false;
    if (is_blank(fields)) continue;
    record_line_ = first_line;
    return true;
  }
}

std::vector<std::string> TraceReader::read_csv_header() {
  auto header = read_header(stream(), path(), line_);
  record_line_ = line_;
  return header;
}

void TraceReader::fail(const std::string& key, const std::string& problem, const std::string& got) const {
  throw InputError({path(), record_line()}, key, problem, shortened(got, kEchoedFieldBytes));
}

double TraceReader::number(const std::string& text, const std::string& key, const NumberRange& range) const {
  double value = 0;
  if (!parse_number(text, range, value)) fail(key, number_requirement(range), text.empty() ? "an empty field" : text);
  return value;
}

namespace {
using Opener = std::unique_ptr<TraceReader> (*)(std::unique_ptr<InputFile>, const TraceOptions&);
const std::map<std::string, Opener>& openers() {
  static const std::map<std::string, Opener> formats = {
      {"swf", open_swf_trace},
      {"philly", open_philly_trace},
      {"helios", open_helios_trace},
      {"acme", open_acme_trace},
      {"alibaba-pai-2020", open_pai_trace},
      {"alibaba-openb-2023", open_openb_trace},
  };
  return formats;
}
}  // namespace

std::unique_ptr<TraceReader> open_trace(const std::string& format, std::unique_ptr<InputFile> file,
                                        const TraceOptions& options) {
  auto found = openers().find(format);
  if (found == openers().end()) throw std::invalid_argument("unknown trace format \"" + format + "\"");
  return found->second(std::move(file), options);
}

std::unique_ptr<TraceReader> open_trace(const std::string& format, const std::string& path, const TraceOptions& options) {
  if (!openers().count(format)) throw std::invalid_argument("unknown trace format \"" + format + "\"");
  return open_trace(format, std::make_unique<InputFile>(path), options);
}

// Each format by path (tests and callers that know the format).
std::unique_ptr<TraceReader> open_swf_trace(const std::string& path, const TraceOptions& options) { return open_trace("swf", path, options); }
std::unique_ptr<TraceReader> open_philly_trace(const std::string& path, const TraceOptions& options) { return open_trace("philly", path, options); }
std::unique_ptr<TraceReader> open_helios_trace(const std::string& path, const TraceOptions& options) { return open_trace("helios", path, options); }
std::unique_ptr<TraceReader> open_acme_trace(const std::string& path, const TraceOptions& options) { return open_trace("acme", path, options); }
std::unique_ptr<TraceReader> open_pai_trace(const std::string& path, const TraceOptions& options) { return open_trace("alibaba-pai-2020", path, options); }
std::unique_ptr<TraceReader> open_openb_trace(const std::string& path, const TraceOptions& options) { return open_trace("alibaba-openb-2023", path, options); }

std::vector<std::string> trace_reader_formats() {
  std::vector<std::string> names;
  for (const auto& [name, opener] : openers()) names.push_back(name);
  return names;
}

}  // namespace fleetsim

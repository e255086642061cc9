#include "sim/workload/trace/pai_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "sim/core/input_error.hpp"
#include "sim/core/csv_row.hpp"

namespace fleetsim {

namespace {

// Column order of pai_task_table.csv (upstream pai_task_table.header).
enum Column { kJobName, kTaskName, kInstNum, kStatus, kStartTime, kEndTime, kPlanCpu, kPlanMem, kPlanGpu, kGpuType };
constexpr const char* kColumnNames[] = {"job_name", "task_name", "inst_num", "status",   "start_time",
                                        "end_time", "plan_cpu",  "plan_mem", "plan_gpu", "gpu_type"};
constexpr std::size_t kColumnCount = sizeof(kColumnNames) / sizeof(kColumnNames[0]);

std::string header_text() {
  std::string text;
  for (const char* name : kColumnNames) text += (text.empty() ? "" : ",") + std::string(name);
  return text;
}

// The fields of one row, with errors naming file, line and column.
class Row {
 public:
  Row(const std::string& path, int line, const std::vector<std::string>& fields)
      : path_(path), line_(line), fields_(fields) {}

  const std::string& text(Column column) const { return fields_[column]; }

  double number(Column column) const {
    const std::string& field = fields_[column];
    char* end = nullptr;
    errno = 0;
    const double value = field.empty() ? 0 : std::strtod(field.c_str(), &end);
    if (field.empty() || std::isspace(static_cast<unsigned char>(field[0])) || end != field.c_str() + field.size() ||
        errno == ERANGE || !std::isfinite(value))
      fail(column, "must be a number");
    return value;
  }

  // A time, or NaN when the trace has none (empty or 0).
  double time(Column column) const {
    if (fields_[column].empty()) return std::nan("");
    const double value = number(column);
    return value == 0 ? std::nan("") : value;
  }

  [[noreturn]] void fail(Column column, const std::string& problem) const {
    const std::string& field = fields_[column];
    throw InputError({path_, line_}, kColumnNames[column], problem, field.empty() ? "an empty field" : field);
  }

 private:
  const std::string& path_;
  int line_;
  const std::vector<std::string>& fields_;
};

std::ifstream open_csv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError({path, 0}, "file", std::string("cannot be opened: ") + std::strerror(errno));
  return file;
}

}  // namespace

PaiTaskReader::PaiTaskReader(const std::string& path, const TraceOptions& options)
    : path_(path), options_(options), file_(open_csv(path)) {}

bool PaiTaskReader::next(TraceJob& job) {
  while (true) {
    const long row_line = line_ + 1;
    if (!read_csv_row(file_, fields_, line_, path_)) break;
    if (fields_.size() == 1 && fields_[0].empty()) continue;  // blank line
    if (first_row_) {
      first_row_ = false;
      if (!fields_.empty() && fields_[0].rfind("\xEF\xBB\xBF", 0) == 0) fields_[0].erase(0, 3);
      if (fields_.size() == kColumnCount && fields_[kJobName] == kColumnNames[kJobName]) continue;  // a header line
    }
    try {
      if (parse(static_cast<int>(row_line), job)) return true;
    } catch (const InputError& error) {
      if (!options_.skip_bad_rows) throw;
      note_bad_row(error.what());
    }
  }
  if (file_.bad()) throw InputError({path_, static_cast<int>(line_)}, "file", "read error");
  return false;
}

bool PaiTaskReader::parse(int line, TraceJob& job) {
  if (csv_row_had_unterminated_quote())
    throw InputError({path_, line}, "row", "has a quoted field that is never closed", "end of file");
  if (fields_.size() != kColumnCount)
    throw InputError({path_, line}, "row",
                     "expected " + std::to_string(kColumnCount) + " fields (" + header_text() + ")",
                     std::to_string(fields_.size()));
  const Row row(path_, line, fields_);
  if (row.text(kJobName).empty()) row.fail(kJobName, "must not be empty");
  const double instances = row.number(kInstNum);
  if (instances < 1 || instances != std::floor(instances)) row.fail(kInstNum, "must be a whole number >= 1");
  const double start = row.time(kStartTime);
  const double end = row.time(kEndTime);
  if (!std::isnan(start) && !std::isnan(end) && end < start)
    row.fail(kEndTime, "must not be before start_time " + row.text(kStartTime));
  const double plan_gpu = row.text(kPlanGpu).empty() ? 0 : row.number(kPlanGpu);
  if (plan_gpu < 0) row.fail(kPlanGpu, "must be >= 0 (percent of one GPU)");

  if (std::isnan(start)) {
    ++tasks_never_started_;
    return false;
  }
  if (std::isnan(end)) {
    ++tasks_without_end_;
    return false;
  }
  job = TraceJob{};
  job.id = row.text(kJobName) + "/" + row.text(kTaskName);
  job.submit_s = start;
  job.duration_s = end - start;
  job.gpus = plan_gpu * instances / 100.0;
  job.gpu_model = row.text(kGpuType);
  job.status = row.text(kStatus);
  return true;
}

std::unique_ptr<TraceReader> open_pai_trace(const std::string& path, const TraceOptions& options) {
  return std::make_unique<PaiTaskReader>(path, options);
}

}  // namespace fleetsim

#include "sim/workload/trace/pai_reader.hpp"

#include <cmath>

namespace fleetsim {

namespace {

// Column order of pai_task_table.csv (upstream pai_task_table.header).
enum Column { kJobName, kTaskName, kInstNum, kStatus, kStartTime, kEndTime, kPlanCpu, kPlanMem, kPlanGpu, kGpuType };
const std::vector<std::string> kColumnNames = {"job_name", "task_name", "inst_num", "status",   "start_time",
                                               "end_time", "plan_cpu",  "plan_mem", "plan_gpu", "gpu_type"};

// A time, or NaN when the trace has none (empty or 0).
double time_or_none(const CsvRow& row, Column column) {
  if (row.text(column).empty()) return std::nan("");
  const double value = row.number(column, kTraceTimeRange);
  return value == 0 ? std::nan("") : value;
}

}  // namespace

PaiTaskReader::PaiTaskReader(std::unique_ptr<InputFile> file, const TraceOptions& options)
    : TraceReader(std::move(file), options) {}

bool PaiTaskReader::read_record() {
  if (!read_csv_record(fields_)) return false;
  const bool first = first_record_;
  first_record_ = false;
  // Some copies prepend pai_task_table.header.
  if (first && fields_.size() == kColumnNames.size() && fields_[kJobName] == kColumnNames[kJobName])
    return read_csv_record(fields_);
  return true;
}

bool PaiTaskReader::convert(TraceJob& job) {
  const CsvRow row = csv_row(kColumnNames, fields_);
  if (row.text(kJobName).empty()) row.fail(kJobName, "must not be empty");
  const double instances = row.number(kInstNum, {1, kMaxTraceCount, true});
  const double start = time_or_none(row, kStartTime);
  const double end = time_or_none(row, kEndTime);
  if (!std::isnan(start) && !std::isnan(end) && end < start)
    row.fail(kEndTime, "must not be before start_time " + row.text(kStartTime));
  // Percent of one GPU per instance; the task's total must stay a count the simulator can hold.
  const double plan_gpu = row.text(kPlanGpu).empty() ? 0 : row.number(kPlanGpu, {0, kMaxTraceCount * 100, false});
  const double gpus = plan_gpu * instances / 100.0;
  if (gpus > kMaxTraceCount)
    row.fail(kPlanGpu, "must ask at most " + std::to_string(static_cast<long long>(kMaxTraceCount)) +
                           " GPUs in all over inst_num " + row.text(kInstNum) + " instances (percent of one GPU each)");

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
  job.gpus = gpus;
  job.gpu_model = row.text(kGpuType);
  job.status = row.text(kStatus);
  return true;
}

std::unique_ptr<TraceReader> open_pai_trace(std::unique_ptr<InputFile> file, const TraceOptions& options) {
  return std::make_unique<PaiTaskReader>(std::move(file), options);
}

}  // namespace fleetsim

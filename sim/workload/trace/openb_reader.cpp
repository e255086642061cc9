#include "sim/workload/trace/openb_reader.hpp"

namespace fleetsim {

namespace {

class OpenbPodReader final : public TraceReader {
 public:
  OpenbPodReader(std::unique_ptr<InputFile> file, const TraceOptions& options)
      : TraceReader(std::move(file), options), header_(read_csv_header()) {
    const auto index = required_columns(
        header_, {"name", "num_gpu", "gpu_milli", "creation_time", "deletion_time", "scheduled_time"}, path(), line());
    name_ = index[0];
    num_gpu_ = index[1];
    gpu_milli_ = index[2];
    creation_ = index[3];
    deletion_ = index[4];
    scheduled_ = index[5];
    gpu_spec_ = column_index(header_, "gpu_spec");
    qos_ = column_index(header_, "qos");
    pod_phase_ = column_index(header_, "pod_phase");
    cpu_milli_ = column_index(header_, "cpu_milli");
    memory_mib_ = column_index(header_, "memory_mib");
  }

 private:
  bool read_record() override { return read_csv_record(fields_); }

  bool convert(TraceJob& job) override {
    const CsvRow row = csv_row(header_, fields_);
    TraceJob out;
    out.id = row.text(name_);
    if (out.id.empty()) row.fail(name_, "must not be empty");
    const double num_gpu = row.number(num_gpu_, kTraceCountRange);
    const std::int64_t gpu_milli = row.whole(gpu_milli_, 1000);
    out.gpus = num_gpu * static_cast<double>(gpu_milli) / 1000.0;
    out.nodes = 1;
    const double creation = row.number(creation_, kTraceTimeRange);
    const double deletion = row.number(deletion_, kTraceTimeRange);
    const bool scheduled = !row.text(scheduled_).empty();
    const double start = scheduled ? row.number(scheduled_, kTraceTimeRange) : creation;  // unscheduled: it only waited
    if (start < creation) row.fail(scheduled_, "must not be before creation_time " + row.text(creation_));
    if (deletion < start)
      row.fail(deletion_, std::string("must not be before ") + (scheduled ? "scheduled_time " : "creation_time ") +
                              row.text(scheduled ? scheduled_ : creation_));
    out.submit_s = creation;
    out.duration_s = deletion - start;
    out.gpu_model = row.text(gpu_spec_);
    out.qos = row.text(qos_);
    out.status = row.text(pod_phase_);
    if (cpu_milli_ >= 0) out.cpu_milli = static_cast<double>(row.whole(cpu_milli_, CsvRow::kNoLimit));
    if (memory_mib_ >= 0) out.memory_mib = static_cast<double>(row.whole(memory_mib_, CsvRow::kNoLimit));
    job = std::move(out);
    return true;
  }

  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  int name_ = -1, num_gpu_ = -1, gpu_milli_ = -1, creation_ = -1, deletion_ = -1, scheduled_ = -1;
  int gpu_spec_ = -1, qos_ = -1, pod_phase_ = -1, cpu_milli_ = -1, memory_mib_ = -1;  // optional
};

}  // namespace

std::unique_ptr<TraceReader> open_openb_trace(std::unique_ptr<InputFile> file, const TraceOptions& options) {
  return std::make_unique<OpenbPodReader>(std::move(file), options);
}

}  // namespace fleetsim

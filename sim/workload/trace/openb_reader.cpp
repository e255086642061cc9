#include "sim/workload/trace/openb_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "sim/core/input_error.hpp"
#include "sim/core/csv_row.hpp"
#include "sim/core/csv_table.hpp"

namespace fleetsim {

namespace {

class OpenbPodReader final : public TraceReader {
 public:
  OpenbPodReader(const std::string& path, const TraceOptions& options)
      : path_(path), options_(options), file_(open_csv(path)) {
    header_ = read_header(file_, path_, line_);
    const auto index = required_columns(
        header_, {"name", "num_gpu", "gpu_milli", "creation_time", "deletion_time", "scheduled_time"}, path_, line_);
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

  bool next(TraceJob& job) override {
    while (true) {
      const long row_line = line_ + 1;
      if (!read_csv_row(file_, fields_, line_, path_)) break;
      if (is_blank(fields_)) continue;
      try {
        job = parse(CsvRow(path_, static_cast<int>(row_line), header_, fields_));
        return true;
      } catch (const InputError& error) {
        if (!options_.skip_bad_rows) throw;
        note_bad_row(error.what());
      }
    }
    if (file_.bad()) throw InputError({path_, static_cast<int>(line_)}, "file", "read error");
    return false;
  }

 private:
  TraceJob parse(const CsvRow& row) const {
    TraceJob job;
    job.id = row.text(name_);
    if (job.id.empty()) row.fail(name_, "must not be empty");
    const std::int64_t num_gpu = row.whole(num_gpu_, CsvRow::kNoLimit);
    const std::int64_t gpu_milli = row.whole(gpu_milli_, 1000);
    job.gpus = static_cast<double>(num_gpu) * static_cast<double>(gpu_milli) / 1000.0;
    job.nodes = 1;
    const double creation = row.number(creation_);
    const double deletion = row.number(deletion_);
    const bool scheduled = !row.text(scheduled_).empty();
    const double start = scheduled ? row.number(scheduled_) : creation;  // unscheduled: its whole life was waiting
    if (start < creation) row.fail(scheduled_, "must not be before creation_time " + row.text(creation_));
    if (deletion < start)
      row.fail(deletion_, std::string("must not be before ") + (scheduled ? "scheduled_time " : "creation_time ") +
                              row.text(scheduled ? scheduled_ : creation_));
    job.submit_s = creation;
    job.duration_s = deletion - start;
    job.gpu_model = row.text(gpu_spec_);
    job.qos = row.text(qos_);
    job.status = row.text(pod_phase_);
    if (cpu_milli_ >= 0) job.cpu_milli = static_cast<double>(row.whole(cpu_milli_, CsvRow::kNoLimit));
    if (memory_mib_ >= 0) job.memory_mib = static_cast<double>(row.whole(memory_mib_, CsvRow::kNoLimit));
    return job;
  }

  std::string path_;
  TraceOptions options_;
  std::ifstream file_;
  long line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  int name_ = -1, num_gpu_ = -1, gpu_milli_ = -1, creation_ = -1, deletion_ = -1, scheduled_ = -1;
  int gpu_spec_ = -1, qos_ = -1, pod_phase_ = -1, cpu_milli_ = -1, memory_mib_ = -1;  // optional
};

}  // namespace

std::unique_ptr<TraceReader> open_openb_trace(const std::string& path, const TraceOptions& options) {
  return std::make_unique<OpenbPodReader>(path, options);
}

}  // namespace fleetsim

#pragma once
// Alibaba PAI GPU cluster trace 2020 (cluster-trace-gpu-v2020 in github.com/alibaba/clusterdata, CC BY 4.0;
// Weng et al., "MLaaS in the Wild: Workload Analysis and Scheduling in Large-Scale Heterogeneous GPU
// Clusters", NSDI'22). Reads the task table pai_task_table.csv: a CSV WITHOUT header line (the names are in
// pai_task_table.header), one row per task, in this column order:
//   job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type
// A job has one or more tasks (roles such as worker, ps, evaluator); a task runs inst_num alike instances.
// One TraceJob per task:
//   id         = job_name + "/" + task_name
//   submit_s   = start_time, the task's launch time. The task table has no submission time: the job's is
//                pai_job_table.start_time (upstream README: the gap to the job's earliest task start is its wait
//                before launch). That table is not joined here, so the trace's queueing delay is not replayed.
//   duration_s = end_time - start_time
//   gpus       = plan_gpu / 100 * inst_num: plan_gpu is the GPU request of each instance in percent of one GPU
//                (100 = one GPU, 50 = half a GPU shared; empty = 0, a CPU-only task), summed over instances. A
//                2-instance task at 50 asks 1 GPU in all, as two half-GPU shares; a TraceJob cannot say which.
//   gpu_model  = gpu_type as written (MISC = older K40m/K80/M60, P100, T4, V100, V100M32...), status = status
//   nodes 0 and qos empty (not in the trace), user empty (it is in the job table), estimate_s NaN.
// Times are seconds from a desensitised origin (README: read as Unix time in UTC+8 they keep the original time
// of day and day of week). A start_time or end_time that is 0 or empty means the trace has none, as the
// upstream analysis scripts read it: a task that never started, or one without an end (still running when the
// trace stopped), has no run to replay and is skipped, not an error; the two counts are kept. Rows come in file
// order, which the trace does not promise to be by start_time. A first line equal to the header (some copies
// prepend pai_task_table.header) is skipped. plan_cpu and plan_mem are not read.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim {

class PaiTaskReader final : public TraceReader {
 public:
  // Throws InputError when the file cannot be opened; next() throws one for a malformed row unless
  // options.skip_bad_rows.
  PaiTaskReader(std::unique_ptr<InputFile> file, const TraceOptions& options);

  // Well-formed tasks skipped so far because the trace gives them no start_time / no end_time.
  std::uint64_t tasks_never_started() const { return tasks_never_started_; }
  std::uint64_t tasks_without_end() const { return tasks_without_end_; }

 private:
  bool read_record() override;
  bool convert(TraceJob& job) override;  // false for a task skipped as never started / without end

  std::vector<std::string> fields_;
  bool first_record_ = true;
  std::uint64_t tasks_never_started_ = 0;
  std::uint64_t tasks_without_end_ = 0;
};

std::unique_ptr<TraceReader> open_pai_trace(std::unique_ptr<InputFile> file, const TraceOptions& options);
std::unique_ptr<TraceReader> open_pai_trace(const std::string& path, const TraceOptions& options);

}  // namespace fleetsim

#pragma once
// Reader for the Standard Workload Format (SWF) of the Parallel Workloads Archive (Feitelson et al.),
// version 2.2: https://www.cs.huji.ac.il/labs/parallel/workload/swf.html
//
// What a TraceJob gets from one SWF line:
//   id          field 1, job number
//   submit_s    field 2, submit time (s; the log's own zero, usually the first submit — see the
//               "; UnixStartTime:" header comment for the absolute date)
//   duration_s  field 4, run time (s)
//   estimate_s  field 9, requested time (s) when >= 0, else NaN (the user's estimate, used by backfilling)
//   gpus        field 5, allocated processors, or field 8, requested processors, when field 5 is -1.
//               SWF logs count CPUs (or nodes), not GPUs: the caller maps processors to GPUs via the
//               scenario (e.g. one GPU per processor, or processors / cores_per_node * gpus_per_node).
//   user        field 12, user id; qos: field 15, queue number, named by a "; Queue: N name" header
//               comment when the log has one; status: field 11 as a word (see swf_status_name).
// Jobs whose run time or processor count is unknown (-1) cannot be replayed and are skipped silently:
// the format allows -1 there, so they are not bad rows.
#include <memory>
#include <string>

#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim {

std::unique_ptr<TraceReader> open_swf_trace(std::unique_ptr<InputFile> file, const TraceOptions& options);
std::unique_ptr<TraceReader> open_swf_trace(const std::string& path, const TraceOptions& options);

// SWF field 11: 1 completed, 0 failed, 5 cancelled; 2/3/4 partial executions of checkpointed jobs
// ("partial", "partial_completed", "partial_failed"); -1 (unknown) gives "".
std::string swf_status_name(int code);

}  // namespace fleetsim

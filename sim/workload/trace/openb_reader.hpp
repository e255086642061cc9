#pragma once
// Alibaba GPU cluster trace 2023, "openb" (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
// Workloads with Fragmentation Gradient Descent", USENIX ATC'23; github.com/alibaba/clusterdata, folder
// cluster-trace-gpu-v2023/csv). Two kinds of CSV file, each with a header line; columns are found by name.
//
// Pod lists (openb_pod_list_*.csv), one pod per row, read as a stream of TraceJob:
//   name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
//   id         = name
//   submit_s   = creation_time (seconds from the trace start)
//   duration_s = deletion_time - scheduled_time. A pod never scheduled (empty scheduled_time; phase Pending)
//                gets deletion_time - creation_time: the time it waited before deletion, it never ran.
//                Pods still Running at the snapshot have deletion_time = snapshot end (censored run time).
//   gpus       = num_gpu * gpu_milli / 1000. Upstream README: num_gpu is the number of GPUs (0..8) and
//                gpu_milli the share of each GPU in milli-GPU, below 1000 only for GPU-sharing pods
//                (num_gpu == 1). So gpu_milli 460 on one GPU is 0.46 GPU; a multi-GPU pod has gpu_milli 1000
//                and asks num_gpu whole GPUs; a CPU-only pod has 0 and 0.
//   nodes      = 1 (a Kubernetes pod runs on one node)
//   gpu_model  = gpu_spec as written: empty (no constraint), one model, or allowed models joined by '|'
//   qos        = qos (LS, BE, Burstable, Guaranteed); status = pod_phase (Running, Succeeded, Failed, Pending)
//   user, estimate_s: not in the trace (empty, NaN). cpu_milli and memory_mib are not read.
// Required columns: name, num_gpu, gpu_milli, creation_time, deletion_time, scheduled_time; gpu_spec, qos and
// pod_phase are read when present. openb_pod_list_multigpu50.csv has only name..gpu_milli (no times, so it
// cannot be replayed) and is rejected by an error naming the missing columns.
//
// Node lists are read by the scenario (sim/scenario/openb_node_list.hpp).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim {

// Streams a pod list. Throws InputError (file:line: column: problem) for an unreadable file or a header
// without the required columns; for a malformed row too, unless options.skip_bad_rows.
std::unique_ptr<TraceReader> open_openb_trace(std::unique_ptr<InputFile> file, const TraceOptions& options);
std::unique_ptr<TraceReader> open_openb_trace(const std::string& path, const TraceOptions& options);

}  // namespace fleetsim

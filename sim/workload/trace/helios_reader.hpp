#pragma once
// Readers for the job logs of two GPU datacenters of the same lab family, one CSV row per job with a
// header line naming the columns (columns are found by name, so order and extra columns do not matter):
//
// SenseTime Helios (Hu et al., SC'21), cluster_log.csv of each cluster (Earth, Saturn, Uranus, Venus);
// schema from https://github.com/S-Lab-System-Group/HeliosData README.md:
//   job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue
//   times "YYYY-MM-DD HH:MM:SS" without zone (cluster local time, Asia/Shanghai per the paper),
//   duration = end_time - start_time and queue = start_time - submit_time, both in seconds.
// Shanghai AI Lab Acme (Hu et al., NSDI'24), data/job_trace/trace_seren.csv and trace_kalos.csv;
// schema from https://github.com/InternLM/AcmeTrace README.md:
//   job_id,user,node_num,gpu_num,cpu_num,type,state,submit_time,start_time,end_time,duration,queue,gpu_time
//   (Kalos adds mem_per_pod_GB,shared_mem_per_pod,fail_time,stop_time); times carry a UTC offset,
//   "2023-03-01 00:18:22+08:00" (Seren) or "+00:00" (Kalos). `queue` is a wait in seconds, not a name.
//
// What a TraceJob gets: id = job_id; submit_s = submit_time in seconds since 1970-01-01 — converted to
// UTC when the time carries an offset, taken as if UTC when it does not (Helios: differences between
// times are exact, absolute dates are Beijing wall clock); duration_s = end_time - start_time, the
// READMEs' definition of `duration` (the Acme Kalos README rows hold end_time - submit_time in
// `duration`), or the `duration` column when a time is empty; gpus = gpu_num (0 for CPU-only jobs,
// which are kept: the caller filters);
// nodes = node_num; user; status = state as in the trace (COMPLETED, CANCELLED, FAILED, TIMEOUT,
// NODE_FAIL); qos = vc for Helios (the virtual cluster is the Slurm partition the job queued in), empty
// for Acme (its `type` — Pretrain, SFT, Eval... — is a workload kind, not a queue). No estimate: NaN.
// A numeric time is read as seconds since 1970-01-01 UTC. Rows with neither both times nor a duration are
// jobs that never ran: they are skipped silently (not bad rows).
#include <memory>
#include <string>

#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim {

std::unique_ptr<TraceReader> open_helios_trace(std::unique_ptr<InputFile> file, const TraceOptions& options);
std::unique_ptr<TraceReader> open_helios_trace(const std::string& path, const TraceOptions& options);
std::unique_ptr<TraceReader> open_acme_trace(std::unique_ptr<InputFile> file, const TraceOptions& options);
std::unique_ptr<TraceReader> open_acme_trace(const std::string& path, const TraceOptions& options);

}  // namespace fleetsim

#pragma once
// Reader for the Microsoft Philly job log (Jeon et al., "Analysis of Large-Scale Multi-Tenant GPU Clusters
// for DNN Training Workloads", USENIX ATC'19). Schema: https://github.com/msr-fiddle/philly-traces
// README.md, file `cluster_job_log`: one JSON array of jobs
//   {"status": "Pass"|"Killed"|"Failed", "vc": hash, "jobid": "application_...", "user": hash,
//    "submitted_time": "YYYY-MM-DD HH:MM:SS",
//    "attempts": [{"start_time": ..., "end_time": ..., "detail": [{"ip": "m47", "gpus": ["gpu0", ...]}]}]}
// The array is several hundred MB: it is parsed one job object at a time (nlohmann-json, SAX interface), so memory
// holds one job, never the log.
//
// What a TraceJob gets: id = jobid; user; qos = vc (the virtual cluster, whose own queue the job waited
// in); status = status as in the trace; gpus = GPUs in the last attempt, summed over its detail entries
// (the upstream analysis notebook counts the first attempt; the two agree unless a job changed size);
// duration_s = last attempt's end_time - first attempt's start_time (retries and the gaps between them
// count, as in the upstream notebook); no estimate (NaN); nodes = 0.
// Times: the log's strings carry no zone; the same trace's utilisation files are stamped "PDT"/"PST", so
// they are read as US Pacific wall clock and converted to seconds since 1970-01-01 UTC (US daylight rules
// in force since 2007). Durations therefore stay right across a daylight change. The repeated hour at the
// autumn change (01:00-02:00) is read as PDT, except an attempt time that would then fall before the job's
// previous attempt time (an end at 01:10 PST after a start at 01:50 PDT): that one is read as PST. A start
// in the PST hour with an end after it cannot be told from a PDT start and counts one hour too long.
// Jobs without attempts, without a first start time or without a last end time (still running at the
// snapshot, or a logging gap the README mentions) cannot be replayed and are skipped silently; a value of
// the wrong type or an unreadable time is a bad row. A JSON syntax error is always an error, even with
// skip_bad_rows: the reader cannot find the next job after it.
#include <memory>
#include <string>

#include "sim/workload/trace/trace_reader.hpp"

namespace fleetsim {

std::unique_ptr<TraceReader> open_philly_trace(std::unique_ptr<InputFile> file, const TraceOptions& options);
std::unique_ptr<TraceReader> open_philly_trace(const std::string& path, const TraceOptions& options);

}  // namespace fleetsim

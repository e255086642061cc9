#include "sim/telemetry/memory_recorder.hpp"

#include "sim/telemetry/summary.hpp"

#include <algorithm>

namespace fleetsim {

const char* to_string(JobState state) {
  switch (state) {
    case JobState::completed: return "completed";
    case JobState::running: return "running";
    case JobState::queued: return "queued";
    case JobState::failed: return "failed";
  }
  return "unknown";
}

void MemoryRecorder::begin(const RunMeta& meta, const std::vector<CampusInfo>& campuses) {
  record_.meta = meta;
  record_.campuses = campuses;
  record_.timeseries.assign(campuses.size(), {});
  record_.jobs.reserve(meta.jobs);
  const double rows = meta.telemetry_interval_s > 0 ? meta.horizon_s / meta.telemetry_interval_s + 1 : 0;
  for (auto& series : record_.timeseries) series.reserve(static_cast<std::size_t>(rows));
}

void MemoryRecorder::sample(std::size_t campus, const CampusSample& sample) {
  record_.timeseries[campus].push_back(sample);
}

void MemoryRecorder::jobs(std::uint64_t first_id, std::vector<JobRecord> block) {
  if (record_.jobs.size() < first_id + block.size()) record_.jobs.resize(first_id + block.size());
  std::move(block.begin(), block.end(), record_.jobs.begin() + static_cast<std::ptrdiff_t>(first_id));
}

void MemoryRecorder::services(const std::vector<ServiceInfo>& services) {
  record_.services = services;
  record_.service_series.assign(services.size(), {});
}

void MemoryRecorder::service_sample(std::size_t service, const ServiceSample& sample) {
  record_.service_series[service].push_back(sample);
}

void MemoryRecorder::service_totals(const std::vector<ServiceTotals>& totals) { record_.service_totals = totals; }

Summary MemoryRecorder::summary_of_jobs(const std::vector<CampusTotals>& totals) const {
  return summarize(record_.jobs, totals, record_.meta.horizon_s);
}

void MemoryRecorder::finish(const std::vector<CampusTotals>& totals, const Summary& summary) {
  record_.totals = totals;
  record_.limits = check_limits(record_.campuses, totals);
  record_.summary = summary;
  summarize_limits(record_.limits, record_.summary);
}

}  // namespace fleetsim

#pragma once
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

// Everything a run recorded, in memory.
struct RunRecord {
  RunMeta meta;
  std::vector<CampusInfo> campuses;
  std::vector<std::vector<CampusSample>> timeseries;  // per campus
  std::vector<JobRecord> jobs;                        // in id order
  std::vector<CampusTotals> totals;                   // per campus
  std::vector<LimitCheck> limits;
  std::vector<FailureRecord> failures;                // in time order
  std::vector<PeriodTotals> periods;                  // campus by campus, month by month
  Economics economics;
  Summary summary;
  std::vector<ServiceInfo> services;
  std::vector<std::vector<ServiceSample>> service_series;  // per service
  std::vector<ServiceTotals> service_totals;
  FineWindowRecord fine;  // no campuses without a fine window
};

class MemoryRecorder final : public Recorder {
 public:
  void begin(const RunMeta& meta, const std::vector<CampusInfo>& campuses) override;
  void sample(std::size_t campus, const CampusSample& sample) override;
  void jobs(std::uint64_t first_id, std::vector<JobRecord> block) override;
  void failures(const std::vector<FailureRecord>& rows) override { record_.failures = rows; }
  void periods(const std::vector<PeriodTotals>& rows) override { record_.periods = rows; }
  void economics(const Economics& economics) override { record_.economics = economics; }
  void services(const std::vector<ServiceInfo>& services) override;
  void service_sample(std::size_t service, const ServiceSample& sample) override;
  void service_totals(const std::vector<ServiceTotals>& totals) override;
  void fine_window(const FineWindowRecord& record) override { record_.fine = record; }
  void finish(const std::vector<CampusTotals>& totals, const Summary& summary) override;
  // The summary computed from the records held (a test that records by hand has no JobRecords to do it).
  Summary summary_of_jobs(const std::vector<CampusTotals>& totals) const;
  const RunRecord& record() const { return record_; }
  RunRecord& record() { return record_; }

 private:
  RunRecord record_;
};

}  // namespace fleetsim

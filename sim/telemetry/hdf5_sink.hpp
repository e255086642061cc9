#pragma once
// The only code that writes HDF5 (schema: sim/telemetry/SCHEMA.md).
#include <memory>
#include <string>

#include "sim/scenario/scenario.hpp"
#include "sim/telemetry/memory_recorder.hpp"
#include "sim/telemetry/summary.hpp"

namespace fleetsim {

// Fixed string widths of the compound datasets (bytes, including the terminating NUL).
// The scenario loader bounds names so that they always fit.
constexpr std::size_t kJobNameBytes = kJobNameMaxBytes + 1;
constexpr std::size_t kPlaceNameBytes = kPlaceNameMaxBytes + 1;  // campus, cluster
constexpr std::size_t kModelIdBytes = hw::kModelIdMaxBytes + 1;
static_assert(kModelIdBytes == kJobNameBytes, "the model column shares the job name's string type");
constexpr std::size_t kStateBytes = 12;

// The version of sim/telemetry/SCHEMA.md the files follow (/meta schema_version).
constexpr int kSchemaVersion = 7;

// A Recorder that writes the result file as the run goes: /jobs is written in blocks as records arrive (a
// fleet-year's millions of rows are never all in memory), the rest is written by finish(). Everything goes to
// temporary_path(path), created exclusively (never through a link, never over a file), renamed to `path` once
// finish() has closed it without error and synced it; a recorder destroyed before (an error, an exception)
// removes the temporary file. The file is written through hdf5::AtomicHdf5File (atomic_hdf5_file.hpp), as the
// sweep index is. Throws std::runtime_error on failure.
class Hdf5Recorder final : public Recorder {
 public:
  explicit Hdf5Recorder(std::string path);
  ~Hdf5Recorder() override;
  void begin(const RunMeta& meta, const std::vector<CampusInfo>& campuses) override;
  double wait_s() const override;
  double help_s() const override;
  void sample(std::size_t campus, const CampusSample& sample) override;
  void jobs(std::uint64_t first_id, std::vector<JobRecord> block) override;
  void failures(const std::vector<FailureRecord>& rows) override;
  void periods(const std::vector<PeriodTotals>& rows) override;
  void economics(const Economics& economics) override;
  const Economics& run_economics() const { return record_.economics; }
  void services(const std::vector<ServiceInfo>& services) override;
  void service_sample(std::size_t service, const ServiceSample& sample) override;
  void service_totals(const std::vector<ServiceTotals>& totals) override;
  void fine_window(const FineWindowRecord& record) override { record_.fine = record; }
  void finish(const std::vector<CampusTotals>& totals, const Summary& summary) override;
  // The run's summary, once finished.
  const Summary& summary() const { return record_.summary; }
  const std::vector<PeriodTotals>& periods() const { return record_.periods; }

 private:
  struct Open;
  std::string path_;
  RunRecord record_;  // everything but the job rows
  std::unique_ptr<Open> open_;
};

// Writes a whole in-memory `record` to `path` the same way (through an Hdf5Recorder).
void write_hdf5(const RunRecord& record, const std::string& path);

// The temporary name for `path`: `path.<pid>.tmp`, so that two runs writing one output never share it
// (defined with AtomicHdf5File, atomic_hdf5_file.cpp).
std::string temporary_path(const std::string& path);

}  // namespace fleetsim

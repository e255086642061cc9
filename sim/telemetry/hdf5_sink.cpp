#include "sim/telemetry/hdf5_sink.hpp"

#include "sim/core/civil_time.hpp"
#include "sim/telemetry/atomic_hdf5_file.hpp"
#include "sim/telemetry/hdf5_fine.hpp"
#include "sim/telemetry/hdf5_periods.hpp"
#include "sim/telemetry/hdf5_write.hpp"
#include "sim/telemetry/job_records.hpp"
#include "sim/telemetry/summary.hpp"
#include "sim/telemetry/writer_thread.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <mutex>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace fleetsim {

namespace {

using namespace hdf5;

struct JobRow {
  std::uint64_t id;
  char name[kJobNameBytes];
  char campus[kPlaceNameBytes];
  char cluster[kPlaceNameBytes];
  std::uint32_t gpus;
  double submit_s, start_s, end_s;
  char state[kStateBytes];
  double energy_j;
  double gpu_power_w;
  double power_cap_w;
  double estimate_s;
  double bounded_slowdown;
  std::uint32_t preemptions;
  double work_lost_gpu_s;
  double gpu_share;
  std::uint32_t interruptions;
  char model[kModelIdBytes];
  double tokens;
  double step_time_s;
  double mfu;
  char home_campus[kPlaceNameBytes];
  std::uint32_t moves;
  double transfer_s;
  double data_moved_bytes;
};

JobRow job_row(const JobRecord& job) {
  JobRow row;
  std::memset(&row, 0, sizeof row);  // padding too: same inputs, same bytes
  row.id = job.id;
  copy_string(row.name, sizeof row.name, job.name);
  copy_string(row.campus, sizeof row.campus, job.campus);
  copy_string(row.cluster, sizeof row.cluster, job.cluster);
  row.gpus = static_cast<std::uint32_t>(job.gpus);
  row.submit_s = job.submit_s;
  row.start_s = job.start_s;
  row.end_s = job.end_s;
  copy_string(row.state, sizeof row.state, to_string(job.state));
  row.energy_j = job.energy_j;
  row.gpu_power_w = job.gpu_power_w;
  row.power_cap_w = job.power_cap_w;
  row.estimate_s = job.estimate_s;
  row.bounded_slowdown = job.bounded_slowdown;
  row.preemptions = static_cast<std::uint32_t>(job.preemptions);
  row.work_lost_gpu_s = job.work_lost_gpu_s;
  row.gpu_share = job.gpu_share;
  row.interruptions = static_cast<std::uint32_t>(job.interruptions);
  copy_string(row.model, sizeof row.model, job.model);
  row.tokens = job.tokens;
  row.step_time_s = job.step_time_s;
  row.mfu = job.mfu;
  copy_string(row.home_campus, sizeof row.home_campus, job.home_campus);
  row.moves = static_cast<std::uint32_t>(job.moves);
  row.transfer_s = job.transfer_s;
  row.data_moved_bytes = job.data_moved_bytes;
  return row;
}

// Posts one chunk of `table` (rows from `first`, `count` of them real): its prepare step builds the chunk's rows
// (`make_rows`: a whole chunk's worth, padding included) and compresses them; its write step stores the bytes.
template <class MakeRows>
void post_chunk(WriterThread& writer, BlockTable& table, hsize_t first, std::size_t count, MakeRows make_rows) {
  auto bytes = std::make_shared<std::vector<unsigned char>>();
  writer.post(
      [&table, bytes, make_rows = std::move(make_rows)]() mutable {
        const auto rows = make_rows();
        *bytes = table.filtered_chunk(rows.data(), rows.size() * sizeof(rows[0]));
      },
      [&table, bytes, first, count] { table.write_chunk(first, count, *bytes); });
}

// /jobs, written in blocks of rows as they arrive (at their ids' position).
class JobTable {
 public:
  JobTable(hid_t file, WriterThread& writer)
      : name_type_(fixed_string_type(kJobNameBytes), H5Tclose, "string type"),
        place_type_(fixed_string_type(kPlaceNameBytes), H5Tclose, "string type"),
        state_type_(fixed_string_type(kStateBytes), H5Tclose, "string type"),
        table_(file, "jobs", sizeof(JobRow),
               {{"id", offsetof(JobRow, id), H5T_NATIVE_UINT64, "1"},
                {"name", offsetof(JobRow, name), name_type_, nullptr},
                {"campus", offsetof(JobRow, campus), place_type_, nullptr},
                {"cluster", offsetof(JobRow, cluster), place_type_, nullptr},
                {"gpus", offsetof(JobRow, gpus), H5T_NATIVE_UINT32, "1"},
                {"submit_s", offsetof(JobRow, submit_s), H5T_NATIVE_DOUBLE, "s"},
                {"start_s", offsetof(JobRow, start_s), H5T_NATIVE_DOUBLE, "s"},
                {"end_s", offsetof(JobRow, end_s), H5T_NATIVE_DOUBLE, "s"},
                {"state", offsetof(JobRow, state), state_type_, nullptr},
                {"energy_j", offsetof(JobRow, energy_j), H5T_NATIVE_DOUBLE, "J"},
                {"gpu_power_w", offsetof(JobRow, gpu_power_w), H5T_NATIVE_DOUBLE, "W"},
                {"power_cap_w", offsetof(JobRow, power_cap_w), H5T_NATIVE_DOUBLE, "W"},
                {"estimate_s", offsetof(JobRow, estimate_s), H5T_NATIVE_DOUBLE, "s"},
                {"bounded_slowdown", offsetof(JobRow, bounded_slowdown), H5T_NATIVE_DOUBLE, "1"},
                {"preemptions", offsetof(JobRow, preemptions), H5T_NATIVE_UINT32, "1"},
                {"interruptions", offsetof(JobRow, interruptions), H5T_NATIVE_UINT32, "1"},
                {"work_lost_gpu_s", offsetof(JobRow, work_lost_gpu_s), H5T_NATIVE_DOUBLE, "s"},
                {"gpu_share", offsetof(JobRow, gpu_share), H5T_NATIVE_DOUBLE, "1"},
                {"model", offsetof(JobRow, model), name_type_, nullptr},
                {"tokens", offsetof(JobRow, tokens), H5T_NATIVE_DOUBLE, "1"},
                {"step_time_s", offsetof(JobRow, step_time_s), H5T_NATIVE_DOUBLE, "s"},
                {"mfu", offsetof(JobRow, mfu), H5T_NATIVE_DOUBLE, "1"},
                {"home_campus", offsetof(JobRow, home_campus), place_type_, nullptr},
                {"moves", offsetof(JobRow, moves), H5T_NATIVE_UINT32, "1"},
                {"transfer_s", offsetof(JobRow, transfer_s), H5T_NATIVE_DOUBLE, "s"},
                {"data_moved_bytes", offsetof(JobRow, data_moved_bytes), H5T_NATIVE_DOUBLE, "B"}},
               4096),
        writer_(writer) {}

  // Each chunk's rows are built and compressed in its task's prepare step, on the writer thread or on the
  // simulation thread when the writer is behind: at fleet scale building the rows (and the fresh pages of their
  // buffer) was a tenth of the simulation thread's time, and compressing them is most of the writer's.
  void add(std::uint64_t first_id, std::vector<JobRecord> records) {
    const auto shared = std::make_shared<const std::vector<JobRecord>>(std::move(records));
    const std::size_t chunk = table_.chunk_rows();
    for (std::size_t first = 0; first < shared->size(); first += chunk) {
      const std::size_t count = std::min(chunk, shared->size() - first);
      post_chunk(writer_, table_, first_id + first, count, [shared, first, count, chunk] {
        std::vector<JobRow> rows(chunk);  // rows past `count` pad the chunk: zeros past the end, never read
        for (std::size_t i = 0; i < count; ++i) rows[i] = job_row((*shared)[first + i]);
        return rows;
      });
    }
  }

 private:
  Handle name_type_, place_type_, state_type_;
  BlockTable table_;
  WriterThread& writer_;
};

// A time series (a campus's, a service's), appended to in blocks of one chunk that are compressed (prepare) and
// written beside the simulation.
template <class Row>
class SeriesTable {
 public:
  SeriesTable(hid_t group, const std::vector<Field>& fields, WriterThread& writer)
      : table_(group, "timeseries", sizeof(Row), fields, kBlockRows), writer_(writer) {
    filling_.reserve(kBlockRows);
  }

  void add(const Row& sample) {
    filling_.push_back(sample);
    if (filling_.size() == kBlockRows) flush();
  }
  void flush() {
    if (filling_.empty()) return;
    const std::size_t count = filling_.size();
    filling_.resize(kBlockRows);  // a last, partial block is padded to its chunk: default rows past the end, never read
    post_chunk(writer_, table_, written_, count, [rows = std::move(filling_)]() mutable { return std::move(rows); });
    written_ += kBlockRows;
    filling_ = {};
    filling_.reserve(kBlockRows);
  }

 private:
  static constexpr std::size_t kBlockRows = 8192;  // one chunk
  BlockTable table_;
  WriterThread& writer_;
  std::vector<Row> filling_;
  hsize_t written_ = 0;
};

const std::vector<Field>& campus_fields() {
  static const std::vector<Field> fields{
      {"time_s", offsetof(CampusSample, time_s), H5T_NATIVE_DOUBLE, "s"},
      {"it_power_w", offsetof(CampusSample, it_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"facility_power_w", offsetof(CampusSample, facility_power_w), H5T_NATIVE_DOUBLE, "W"},
      {"gpus_busy", offsetof(CampusSample, gpus_busy), H5T_NATIVE_DOUBLE, "1"},
      {"carbon_kg", offsetof(CampusSample, carbon_kg), H5T_NATIVE_DOUBLE, "kg"},
      {"ambient_c", offsetof(CampusSample, ambient_c), H5T_NATIVE_DOUBLE, "degC"},
      {"pue", offsetof(CampusSample, pue), H5T_NATIVE_DOUBLE, "1"},
      {"carbon_g_per_kwh", offsetof(CampusSample, carbon_g_per_kwh), H5T_NATIVE_DOUBLE, "g/kWh"},
      {"price_eur_per_mwh", offsetof(CampusSample, price_eur_per_mwh), H5T_NATIVE_DOUBLE, "EUR/MWh"},
      {"cost_eur", offsetof(CampusSample, cost_eur), H5T_NATIVE_DOUBLE, "EUR"},
      {"gpus_fragmented", offsetof(CampusSample, gpus_fragmented), H5T_NATIVE_DOUBLE, "1"}};
  return fields;
}

const std::vector<Field>& service_fields() {
  static const std::vector<Field> fields{
      {"time_s", offsetof(ServiceSample, time_s), H5T_NATIVE_DOUBLE, "s"},
      {"requests_per_s", offsetof(ServiceSample, requests_per_s), H5T_NATIVE_DOUBLE, "1/s"},
      {"input_tokens_per_s", offsetof(ServiceSample, input_tokens_per_s), H5T_NATIVE_DOUBLE, "1/s"},
      {"output_tokens_per_s", offsetof(ServiceSample, output_tokens_per_s), H5T_NATIVE_DOUBLE, "1/s"},
      {"replicas", offsetof(ServiceSample, replicas), H5T_NATIVE_DOUBLE, "1"},
      {"gpus", offsetof(ServiceSample, gpus), H5T_NATIVE_DOUBLE, "1"},
      {"slo_attainment", offsetof(ServiceSample, slo_attainment), H5T_NATIVE_DOUBLE, "1"},
      {"power_w", offsetof(ServiceSample, power_w), H5T_NATIVE_DOUBLE, "W"}};
  return fields;
}

// Power budgets' totals, on a campus group and on /summary alike.
void write_budget_attributes(hid_t group, const PowerBudgetTotals& power) {
  number(group, "budget_exceeded_s", power.budget_exceeded_s, "s");
  number(group, "time_capped_s", power.time_capped_s, "s");
  number(group, "work_slowed_gpu_hours", power.work_slowed_gpu_s / 3600, "h");
  count(group, "power_stops", static_cast<std::int64_t>(power.power_stops));
  count(group, "power_pauses", static_cast<std::int64_t>(power.power_pauses));
  number(group, "power_work_lost_gpu_hours", power.power_work_lost_gpu_s / 3600, "h");
  number(group, "grid_event_s", power.grid_event_s, "s");
  number(group, "curtailed_energy_j", power.curtailed_j, "J");
  number(group, "curtailed_cost_eur", power.curtailed_cost_eur, "EUR");
  number(group, "curtailed_carbon_kg", power.curtailed_carbon_kg, "kg");
}

void write_campus_attributes(hid_t campus, const CampusInfo& info, const CampusTotals& totals) {
  string_attribute(campus, "country", info.country);
  count(campus, "gpus", info.gpus);
  number(campus, "grid_connection_w", info.grid_connection_w, "W");
  number(campus, "cooling_capacity_w", info.cooling_capacity_w > 0 ? info.cooling_capacity_w : NAN, "W");
  string_attribute(campus, "cooling", info.cooling);
  number(campus, "pue", info.pue, "1");
  string_attribute(campus, "ambient_source", info.ambient_source);
  string_attribute(campus, "carbon_source", info.carbon_source);
  string_attribute(campus, "price_source", info.price_source);
  number(campus, "nameplate_it_w", info.nameplate_it_w, "W");
  number(campus, "nameplate_facility_w", info.nameplate_facility_w, "W");
  number(campus, "it_energy_j", totals.it_energy_j, "J");
  number(campus, "facility_energy_j", totals.facility_energy_j, "J");
  number(campus, "carbon_kg", totals.carbon_kg, "kg");
  number(campus, "cost_eur", totals.cost_eur, "EUR");
  number(campus, "peak_it_power_w", totals.peak_it_w, "W");
  number(campus, "peak_facility_power_w", totals.peak_facility_w, "W");
  number(campus, "gpu_seconds_installed", totals.gpu_seconds_installed, "s");
  write_budget_attributes(campus, totals.power);
}

void write_meta(hid_t file, const RunMeta& meta) {
  Handle group(H5Gcreate2(file, "meta", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "/meta");
  count(group, "schema_version", kSchemaVersion);
  string_attribute(group, "fleetsim_version", meta.fleetsim_version);
  string_attribute(group, "git_commit", meta.git_commit);
  count(group, "seed", static_cast<std::int64_t>(meta.seed));
  string_attribute(group, "scenario_path", meta.scenario_path);
  string_attribute(group, "created_utc", meta.created_utc);
  number(group, "horizon_s", meta.horizon_s, "s");
  number(group, "telemetry_interval_s", meta.telemetry_interval_s, "s");
  std::string reports;
  for (const std::string& line : meta.workload_reports) reports += line + "\n";
  string_attribute(group, "workload_report", reports);
  Handle type(utf8_string_type(), H5Tclose, "string type");
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle dataset(H5Dcreate2(group, "scenario", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                 "/meta/scenario");
  const char* text = meta.scenario_toml.c_str();
  check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "H5Dwrite scenario");
}

void write_summary(hid_t file, const Summary& summary) {
  Handle group(H5Gcreate2(file, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "/summary");
  count(group, "jobs_submitted", static_cast<std::int64_t>(summary.jobs_submitted));
  count(group, "jobs_completed", static_cast<std::int64_t>(summary.jobs_completed));
  count(group, "jobs_running", static_cast<std::int64_t>(summary.jobs_running));
  count(group, "jobs_queued", static_cast<std::int64_t>(summary.jobs_queued));
  count(group, "jobs_failed", static_cast<std::int64_t>(summary.jobs_failed));
  number(group, "it_energy_j", summary.it_energy_j, "J");
  number(group, "facility_energy_j", summary.facility_energy_j, "J");
  number(group, "carbon_kg", summary.carbon_kg, "kg");
  number(group, "mean_wait_s", summary.mean_wait_s, "s");
  number(group, "p95_wait_s", summary.p95_wait_s, "s");
  number(group, "gpu_hours_busy", summary.gpu_hours_busy, "h");
  number(group, "gpu_utilization", summary.gpu_utilization, "1");
  number(group, "energy_cost_eur", summary.energy_cost_eur, "EUR");
  number(group, "mean_bounded_slowdown", summary.mean_bounded_slowdown, "1");
  count(group, "preemptions", static_cast<std::int64_t>(summary.preemptions));
  count(group, "interruptions", static_cast<std::int64_t>(summary.interruptions));
  number(group, "work_lost_gpu_hours", summary.work_lost_gpu_hours, "h");
  number(group, "mean_gpus_fragmented", summary.mean_gpus_fragmented, "1");
  string_attribute(group, "binding_limit", summary.binding_limit);
  count(group, "limits_exceeded", static_cast<std::int64_t>(summary.limits_exceeded));
  number(group, "tokens_trained", summary.tokens_trained, "1");
  number(group, "training_flops", summary.training_flops, "1");
  count(group, "failures", static_cast<std::int64_t>(summary.failures));
  count(group, "failure_interruptions", static_cast<std::int64_t>(summary.failure_interruptions));
  number(group, "gpu_hours_lost", summary.gpu_hours_lost, "h");
  number(group, "effective_training_time", summary.effective_training_time, "1");
  number(group, "goodput", summary.goodput, "1");
  number(group, "tokens_served", summary.tokens_served, "1");
  number(group, "output_tokens_served", summary.output_tokens_served, "1");
  number(group, "energy_per_1k_output_tokens_j", summary.energy_per_1k_output_tokens_j, "J");
  number(group, "cost_per_million_tokens_eur", summary.cost_per_million_tokens_eur, "EUR");
  number(group, "slo_attainment", summary.slo_attainment, "1");
  write_budget_attributes(group, summary.power);
  count(group, "jobs_delayed_by_power", static_cast<std::int64_t>(summary.jobs_delayed_by_power));
  count(group, "jobs_dispatched_away", static_cast<std::int64_t>(summary.jobs_dispatched_away));
  count(group, "jobs_moved", static_cast<std::int64_t>(summary.jobs_moved));
  number(group, "data_moved_bytes", summary.data_moved_bytes, "B");
  number(group, "capex_eur", summary.capex_eur, "EUR");
  number(group, "tco_eur", summary.tco_eur, "EUR");
  number(group, "npc_eur", summary.npc_eur, "EUR");
  number(group, "tco_per_gpu_hour_eur", summary.tco_per_gpu_hour_eur, "EUR");
  number(group, "tco_per_million_tokens_eur", summary.tco_per_million_tokens_eur, "EUR");
  number(group, "tco_per_training_run_eur", summary.tco_per_training_run_eur, "EUR");
}

// /services/<name>'s attributes: what the service is and its totals.
void write_service_attributes(hid_t service, const ServiceInfo& info, const ServiceTotals& total) {
  const double nan = NAN;
  string_attribute(service, "campus", info.campus);
  string_attribute(service, "model", info.model);
  string_attribute(service, "node", info.node);
  string_attribute(service, "precision", info.precision);
  count(service, "tp", info.tp);
  count(service, "pp", info.pp);
  count(service, "gpus_per_replica", info.gpus_per_replica);
  count(service, "min_replicas", info.min_replicas);
  count(service, "max_replicas", info.max_replicas);
  count(service, "priority", info.priority);
  number(service, "slo_ttft_s", info.slo_ttft_s, "s");
  number(service, "slo_tpot_s", info.slo_tpot_s, "s");
  number(service, "slo_percentile", info.slo_percentile, "1");
  number(service, "capacity_rps", info.capacity_rps, "1/s");
  count(service, "capacity_pool_replicas", info.capacity_pool_replicas);
  number(service, "pool_capacity_rps", info.pool_capacity_rps, "1/s");
  number(service, "saturation_rps", info.saturation_rps, "1/s");
  number(service, "load_time_s", info.load_time_s, "s");
  number(service, "requests", total.requests, "1");
  number(service, "requests_served", total.requests_served, "1");
  number(service, "requests_meeting_slo", total.requests_meeting_slo, "1");
  number(service, "input_tokens", total.input_tokens, "1");
  number(service, "output_tokens", total.output_tokens, "1");
  number(service, "it_energy_j", total.it_energy_j, "J");
  number(service, "facility_energy_j", total.facility_energy_j, "J");
  number(service, "cost_eur", total.cost_eur, "EUR");
  number(service, "gpu_hours", total.gpu_hours, "h");
  count(service, "scale_ups", static_cast<std::int64_t>(total.scale_ups));
  count(service, "intervals_short", static_cast<std::int64_t>(total.replicas_short));
  number(service, "slo_attainment", total.requests > 0 ? total.requests_meeting_slo / total.requests : nan, "1");
  number(service, "energy_per_1k_output_tokens_j",
         total.output_tokens > 0 ? total.it_energy_j / total.output_tokens * 1000 : nan, "J");
  const double tokens = total.input_tokens + total.output_tokens;
  number(service, "cost_per_million_tokens_eur", tokens > 0 ? total.cost_eur / tokens * 1e6 : nan, "EUR");
}

struct LimitRow {
  char campus[kPlaceNameBytes];
  char limit[kStateBytes];
  double capacity_w, nameplate_w, peak_w, nameplate_ratio, peak_ratio;
  std::uint8_t binding;
};

void write_limits(hid_t file, const std::vector<LimitCheck>& limits) {
  std::vector<LimitRow> rows(limits.size());
  for (std::size_t i = 0; i < limits.size(); ++i) {
    const LimitCheck& check = limits[i];
    copy_string(rows[i].campus, sizeof rows[i].campus, check.campus);
    copy_string(rows[i].limit, sizeof rows[i].limit, check.limit);
    rows[i].capacity_w = check.capacity_w;
    rows[i].nameplate_w = check.nameplate_w;
    rows[i].peak_w = check.peak_w;
    rows[i].nameplate_ratio = check.nameplate_ratio;
    rows[i].peak_ratio = check.peak_ratio;
    rows[i].binding = check.binding ? 1 : 0;
  }
  Handle place_type(fixed_string_type(kPlaceNameBytes), H5Tclose, "string type");
  Handle limit_type(fixed_string_type(kStateBytes), H5Tclose, "string type");
  compound_dataset(file, "limits", rows,
                   {{"campus", offsetof(LimitRow, campus), place_type, nullptr},
                    {"limit", offsetof(LimitRow, limit), limit_type, nullptr},
                    {"capacity_w", offsetof(LimitRow, capacity_w), H5T_NATIVE_DOUBLE, "W"},
                    {"nameplate_w", offsetof(LimitRow, nameplate_w), H5T_NATIVE_DOUBLE, "W"},
                    {"peak_w", offsetof(LimitRow, peak_w), H5T_NATIVE_DOUBLE, "W"},
                    {"nameplate_ratio", offsetof(LimitRow, nameplate_ratio), H5T_NATIVE_DOUBLE, "1"},
                    {"peak_ratio", offsetof(LimitRow, peak_ratio), H5T_NATIVE_DOUBLE, "1"},
                    {"binding", offsetof(LimitRow, binding), H5T_NATIVE_UINT8, "1"}},
                   256);
}

struct FailureRow {
  double time_s;
  char campus[kPlaceNameBytes];
  char cluster[kPlaceNameBytes];
  std::uint32_t node;
  std::uint32_t nodes;
  char cause[kPlaceNameBytes];
  std::uint32_t jobs_hit;
  double gpu_hours_lost;
};

void write_failures(hid_t file, const std::vector<FailureRecord>& failures) {
  std::vector<FailureRow> rows(failures.size());
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const FailureRecord& failure = failures[i];
    FailureRow& row = rows[i];
    std::memset(&row, 0, sizeof row);
    row.time_s = failure.time_s;
    copy_string(row.campus, sizeof row.campus, failure.campus);
    copy_string(row.cluster, sizeof row.cluster, failure.cluster);
    row.node = static_cast<std::uint32_t>(failure.node);
    row.nodes = static_cast<std::uint32_t>(failure.nodes);
    copy_string(row.cause, sizeof row.cause, failure.cause);
    row.jobs_hit = static_cast<std::uint32_t>(failure.jobs_hit);
    row.gpu_hours_lost = failure.gpu_hours_lost;
  }
  Handle place_type(fixed_string_type(kPlaceNameBytes), H5Tclose, "string type");
  compound_dataset(file, "failures", rows,
                   {{"time_s", offsetof(FailureRow, time_s), H5T_NATIVE_DOUBLE, "s"},
                    {"campus", offsetof(FailureRow, campus), place_type, nullptr},
                    {"cluster", offsetof(FailureRow, cluster), place_type, nullptr},
                    {"node", offsetof(FailureRow, node), H5T_NATIVE_UINT32, "1"},
                    {"nodes", offsetof(FailureRow, nodes), H5T_NATIVE_UINT32, "1"},
                    {"cause", offsetof(FailureRow, cause), place_type, nullptr},
                    {"jobs_hit", offsetof(FailureRow, jobs_hit), H5T_NATIVE_UINT32, "1"},
                    {"gpu_hours_lost", offsetof(FailureRow, gpu_hours_lost), H5T_NATIVE_DOUBLE, "h"}},
                   4096);
}

}  // namespace

// The open file: /jobs and each campus's group and time series exist from begin(); the writer thread writes
// their blocks during the run. Members are destroyed in reverse: the writer stops before the tables close.
struct Hdf5Recorder::Open {
  Open(const std::string& path, const std::vector<CampusInfo>& campuses)
      : file(path),
        campuses_group(H5Gcreate2(file, "campuses", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "/campuses"),
        services_group(H5Gcreate2(file, "services", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "/services"),
        jobs(std::make_unique<JobTable>(file, writer)) {
    for (const CampusInfo& info : campuses) {
      groups.push_back(std::make_unique<Handle>(
          H5Gcreate2(campuses_group, info.name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
          info.name.c_str()));
      series.push_back(std::make_unique<SeriesTable<CampusSample>>(*groups.back(), campus_fields(), writer));
    }
  }
  void add_services(const std::vector<ServiceInfo>& services) {
    for (const ServiceInfo& info : services) {
      service_groups.push_back(std::make_unique<Handle>(
          H5Gcreate2(services_group, info.name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
          info.name.c_str()));
      service_series.push_back(std::make_unique<SeriesTable<ServiceSample>>(*service_groups.back(), service_fields(), writer));
    }
  }
  ~Open() { writer.close_quietly(); }
  AtomicHdf5File file;  // first: destroyed last, after every object in it (which removes it if not committed)
  Handle campuses_group;
  Handle services_group;
  std::vector<std::unique_ptr<Handle>> groups;
  std::vector<std::unique_ptr<Handle>> service_groups;
  WriterThread writer;
  std::unique_ptr<JobTable> jobs;
  std::vector<std::unique_ptr<SeriesTable<CampusSample>>> series;
  std::vector<std::unique_ptr<SeriesTable<ServiceSample>>> service_series;

  // Closes every object, then commits the file (checked close, sync, rename): only a whole file gets the name.
  void commit() {
    series.clear();
    service_series.clear();
    jobs.reset();
    groups.clear();
    service_groups.clear();
    campuses_group.close("/campuses");
    services_group.close("/services");
    file.commit();
  }
};

Hdf5Recorder::Hdf5Recorder(std::string path) : path_(std::move(path)) {
  // No library shutdown at exit: after a failed write (a full disk) HDF5's own exit handler would try to close
  // the broken file again and crash. Whatever is open is closed by this recorder or by the operating system.
  H5dont_atexit();
}

Hdf5Recorder::~Hdf5Recorder() { open_.reset(); }  // not finished: the temporary file goes with it

void Hdf5Recorder::begin(const RunMeta& meta, const std::vector<CampusInfo>& campuses) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by exceptions, not printed
  record_.meta = meta;
  record_.campuses = campuses;
  open_ = std::make_unique<Open>(path_, campuses);
}

double Hdf5Recorder::wait_s() const { return open_ ? open_->writer.waited_s() : 0; }

double Hdf5Recorder::help_s() const { return open_ ? open_->writer.helped_s() : 0; }

void Hdf5Recorder::sample(std::size_t campus, const CampusSample& sample) { open_->series[campus]->add(sample); }

void Hdf5Recorder::failures(const std::vector<FailureRecord>& rows) { record_.failures = rows; }

void Hdf5Recorder::periods(const std::vector<PeriodTotals>& rows) { record_.periods = rows; }

void Hdf5Recorder::economics(const Economics& economics) { record_.economics = economics; }

void Hdf5Recorder::jobs(std::uint64_t first_id, std::vector<JobRecord> block) {
  open_->jobs->add(first_id, std::move(block));
}

void Hdf5Recorder::services(const std::vector<ServiceInfo>& services) {
  record_.services = services;
  open_->add_services(services);
}

void Hdf5Recorder::service_sample(std::size_t service, const ServiceSample& sample) {
  open_->service_series[service]->add(sample);
}

void Hdf5Recorder::service_totals(const std::vector<ServiceTotals>& totals) { record_.service_totals = totals; }

void Hdf5Recorder::finish(const std::vector<CampusTotals>& totals, const Summary& summary) {
  record_.totals = totals;
  record_.limits = check_limits(record_.campuses, totals);
  record_.summary = summary;
  summarize_limits(record_.limits, record_.summary);
  if (record_.meta.created_utc.empty()) record_.meta.created_utc = utc_now();
  for (auto& series : open_->series) series->flush();
  for (auto& series : open_->service_series) series->flush();
  open_->writer.close();
  write_meta(open_->file, record_.meta);
  for (std::size_t c = 0; c < record_.campuses.size(); ++c)
    write_campus_attributes(*open_->groups[c], record_.campuses[c], totals[c]);
  write_summary(open_->file, record_.summary);
  write_limits(open_->file, record_.limits);
  write_failures(open_->file, record_.failures);
  write_periods(open_->file, record_.campuses, record_.periods);
  write_economics(open_->file, record_.economics);
  write_fine(open_->file, record_.fine);
  for (std::size_t i = 0; i < record_.services.size(); ++i)
    write_service_attributes(*open_->service_groups[i], record_.services[i],
                             i < record_.service_totals.size() ? record_.service_totals[i] : ServiceTotals{});
  check(H5Fflush(open_->file, H5F_SCOPE_GLOBAL), "H5Fflush");
  open_->commit();
  open_.reset();
}

void write_hdf5(const RunRecord& record, const std::string& path) {
  Hdf5Recorder recorder(path);
  recorder.begin(record.meta, record.campuses);
  recorder.services(record.services);
  for (std::size_t s = 0; s < record.service_series.size(); ++s)
    for (const ServiceSample& sample : record.service_series[s]) recorder.service_sample(s, sample);
  recorder.service_totals(record.service_totals);
  for (std::size_t c = 0; c < record.timeseries.size(); ++c)
    for (const CampusSample& sample : record.timeseries[c]) recorder.sample(c, sample);
  recorder.failures(record.failures);
  if (!record.fine.campuses.empty()) recorder.fine_window(record.fine);
  constexpr std::size_t kBlock = JobRecords::kBlockJobs;
  for (std::size_t first = 0; first < record.jobs.size(); first += kBlock)
    recorder.jobs(first, std::vector<JobRecord>(record.jobs.begin() + static_cast<std::ptrdiff_t>(first),
                                                record.jobs.begin() + static_cast<std::ptrdiff_t>(
                                                                          std::min(record.jobs.size(), first + kBlock))));
  recorder.finish(record.totals, record.summary);
}

}  // namespace fleetsim

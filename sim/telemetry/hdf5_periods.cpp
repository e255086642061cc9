#include "sim/telemetry/hdf5_periods.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "sim/telemetry/hdf5_sink.hpp"

namespace fleetsim {
namespace {

using namespace hdf5;

struct PeriodRow {
  char campus[kPlaceNameBytes];
  std::int32_t year, month;
  double start_s, end_s, it_energy_j, facility_energy_j, carbon_kg, energy_cost_eur, gpu_hours_busy,
      gpu_hours_installed, installed_it_w, grid_connection_w, tokens_served;
  std::uint64_t jobs_completed, training_runs_completed;
};

struct EconomicsRow {
  std::int32_t year;
  double capex_node_eur, capex_facility_eur, depreciation_eur, energy_cost_eur, other_opex_eur, tco_eur,
      gpu_hours_delivered, eur_per_gpu_hour, tokens_served, eur_per_million_tokens;
  std::uint64_t training_runs;
  double eur_per_training_run;
};

EconomicsRow economics_row(const EconomicsYear& year) {
  return {year.year, year.capex_node_eur, year.capex_facility_eur, year.depreciation_eur, year.energy_cost_eur,
          year.other_opex_eur, year.tco_eur, year.gpu_hours_delivered, year.eur_per_gpu_hour, year.tokens_served,
          year.eur_per_million_tokens, static_cast<std::uint64_t>(year.training_runs), year.eur_per_training_run};
}

}  // namespace

void write_periods(hid_t file, const std::vector<CampusInfo>& campuses, const std::vector<PeriodTotals>& periods) {
  std::vector<PeriodRow> rows(periods.size());
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const PeriodTotals& period = periods[i];
    PeriodRow& row = rows[i];
    std::memset(&row, 0, sizeof row);
    copy_string(row.campus, sizeof row.campus, campuses[static_cast<std::size_t>(period.campus)].name);
    row.year = period.year;
    row.month = period.month;
    row.start_s = period.start_s;
    row.end_s = period.end_s;
    row.it_energy_j = period.it_energy_j;
    row.facility_energy_j = period.facility_energy_j;
    row.carbon_kg = period.carbon_kg;
    row.energy_cost_eur = period.energy_cost_eur;
    row.gpu_hours_busy = period.gpu_s_busy / 3600;
    row.gpu_hours_installed = period.gpu_s_installed / 3600;
    row.installed_it_w = period.installed_it_w;
    row.grid_connection_w = period.grid_connection_w;
    row.tokens_served = period.tokens_served;
    row.jobs_completed = static_cast<std::uint64_t>(period.jobs_completed);
    row.training_runs_completed = static_cast<std::uint64_t>(period.training_runs_completed);
  }
  Handle place_type(fixed_string_type(kPlaceNameBytes), H5Tclose, "string type");
  compound_dataset(file, "periods", rows,
                   {{"campus", offsetof(PeriodRow, campus), place_type, nullptr},
                    {"year", offsetof(PeriodRow, year), H5T_NATIVE_INT32, "1"},
                    {"month", offsetof(PeriodRow, month), H5T_NATIVE_INT32, "1"},
                    {"start_s", offsetof(PeriodRow, start_s), H5T_NATIVE_DOUBLE, "s"},
                    {"end_s", offsetof(PeriodRow, end_s), H5T_NATIVE_DOUBLE, "s"},
                    {"it_energy_j", offsetof(PeriodRow, it_energy_j), H5T_NATIVE_DOUBLE, "J"},
                    {"facility_energy_j", offsetof(PeriodRow, facility_energy_j), H5T_NATIVE_DOUBLE, "J"},
                    {"carbon_kg", offsetof(PeriodRow, carbon_kg), H5T_NATIVE_DOUBLE, "kg"},
                    {"energy_cost_eur", offsetof(PeriodRow, energy_cost_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"gpu_hours_busy", offsetof(PeriodRow, gpu_hours_busy), H5T_NATIVE_DOUBLE, "h"},
                    {"gpu_hours_installed", offsetof(PeriodRow, gpu_hours_installed), H5T_NATIVE_DOUBLE, "h"},
                    {"installed_it_w", offsetof(PeriodRow, installed_it_w), H5T_NATIVE_DOUBLE, "W"},
                    {"grid_connection_w", offsetof(PeriodRow, grid_connection_w), H5T_NATIVE_DOUBLE, "W"},
                    {"tokens_served", offsetof(PeriodRow, tokens_served), H5T_NATIVE_DOUBLE, "1"},
                    {"jobs_completed", offsetof(PeriodRow, jobs_completed), H5T_NATIVE_UINT64, "1"},
                    {"training_runs_completed", offsetof(PeriodRow, training_runs_completed), H5T_NATIVE_UINT64, "1"}},
                   1024);
}

void write_economics(hid_t file, const Economics& economics) {
  std::vector<EconomicsRow> rows;
  for (const EconomicsYear& year : economics.years) rows.push_back(economics_row(year));
  rows.push_back(economics_row(economics.total));  // year 0: the run
  compound_dataset(file, "economics", rows,
                   {{"year", offsetof(EconomicsRow, year), H5T_NATIVE_INT32, "1"},
                    {"capex_node_eur", offsetof(EconomicsRow, capex_node_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"capex_facility_eur", offsetof(EconomicsRow, capex_facility_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"depreciation_eur", offsetof(EconomicsRow, depreciation_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"energy_cost_eur", offsetof(EconomicsRow, energy_cost_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"other_opex_eur", offsetof(EconomicsRow, other_opex_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"tco_eur", offsetof(EconomicsRow, tco_eur), H5T_NATIVE_DOUBLE, "EUR"},
                    {"gpu_hours_delivered", offsetof(EconomicsRow, gpu_hours_delivered), H5T_NATIVE_DOUBLE, "h"},
                    {"eur_per_gpu_hour", offsetof(EconomicsRow, eur_per_gpu_hour), H5T_NATIVE_DOUBLE, "EUR"},
                    {"tokens_served", offsetof(EconomicsRow, tokens_served), H5T_NATIVE_DOUBLE, "1"},
                    {"eur_per_million_tokens", offsetof(EconomicsRow, eur_per_million_tokens), H5T_NATIVE_DOUBLE, "EUR"},
                    {"training_runs", offsetof(EconomicsRow, training_runs), H5T_NATIVE_UINT64, "1"},
                    {"eur_per_training_run", offsetof(EconomicsRow, eur_per_training_run), H5T_NATIVE_DOUBLE, "EUR"}},
                   64);
  Handle dataset(H5Dopen2(file, "economics", H5P_DEFAULT), H5Dclose, "/economics");
  const EconomicsConfig& config = economics.config;
  number(dataset, "npc_eur", economics.npc_eur, "EUR");
  number(dataset, "discount_rate", config.discount_rate, "1");
  number(dataset, "usd_per_eur", config.usd_per_eur, "1");
  number(dataset, "node_life_years", config.node_life_years, "1");
  number(dataset, "facility_life_years", config.facility_life_years, "1");
  number(dataset, "facility_capex_eur_per_mw", config.facility_capex_eur_per_mw, "EUR");
  number(dataset, "opex_eur_per_mw_year", config.opex_eur_per_mw_year, "EUR");
}

}  // namespace fleetsim

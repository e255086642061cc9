#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "sim/telemetry/hdf5_sink.hpp"

using namespace fleetsim;

namespace {
RunRecord small_record() {
  MemoryRecorder recorder;
  CampusInfo paris;
  paris.name = "paris";
  paris.country = "FR";
  paris.gpus = 16;
  paris.grid_connection_w = 40e6;
  paris.pue = 1.5;
  paris.nameplate_facility_w = 30e6;
  recorder.begin({"0.1.0", "abc", 7, "x.toml", "[simulation]\n", "2026-01-01T00:00:00Z", 7200, 3600, 1, {}}, {paris});
  recorder.sample(0, {0, 1000, 1500, 8, 0.1});
  recorder.sample(0, {3600, 2000, 3000, 16, 0.2});
  JobRecord job;
  job.id = 0;
  job.name = "train-a";
  job.campus = "paris";
  job.cluster = "a";
  job.gpus = 16;
  job.start_s = 0;
  job.end_s = NAN;
  job.state = JobState::running;
  job.energy_j = 42;
  recorder.jobs(0, {job});
  const std::vector<CampusTotals> totals{{1, 1.5, 0.2, 3600, 0.1, 2000, 3000, 0, 0, 0, PowerBudgetTotals{}}};
  recorder.finish(totals, recorder.summary_of_jobs(totals));
  return recorder.record();
}

std::string string_attribute(hid_t object, const char* name) {
  hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  hid_t type = H5Aget_type(attribute);
  char* value = nullptr;
  H5Aread(attribute, type, &value);
  std::string text = value ? value : "";
  H5free_memory(value);
  H5Tclose(type);
  H5Aclose(attribute);
  return text;
}
}  // namespace

TEST_CASE("the HDF5 file has the schema's groups, units and rows, and no temporary file is left") {
  const auto dir = std::filesystem::temp_directory_path() / ("fleetsim-h5-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "out.h5").string();
  write_hdf5(small_record(), path);
  CHECK(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(temporary_path(path)));

  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  hid_t jobs = H5Dopen2(file, "/jobs", H5P_DEFAULT);
  hid_t space = H5Dget_space(jobs);
  hsize_t rows = 0;
  H5Sget_simple_extent_dims(space, &rows, nullptr);
  CHECK(rows == 1);
  CHECK(string_attribute(jobs, "energy_j.units") == "J");
  CHECK(string_attribute(jobs, "start_s.units") == "s");
  hid_t series = H5Dopen2(file, "/campuses/paris/timeseries", H5P_DEFAULT);
  CHECK(string_attribute(series, "it_power_w.units") == "W");
  hid_t summary = H5Gopen2(file, "/summary", H5P_DEFAULT);
  CHECK(string_attribute(summary, "carbon_kg.units") == "kg");
  CHECK(string_attribute(summary, "binding_limit") == "paris:grid");
  hid_t limits = H5Dopen2(file, "/limits", H5P_DEFAULT);
  CHECK(string_attribute(limits, "nameplate_ratio.units") == "1");
  H5Dclose(limits);
  double horizon = 0;
  hid_t meta = H5Gopen2(file, "/meta", H5P_DEFAULT);
  hid_t attribute = H5Aopen(meta, "horizon_s", H5P_DEFAULT);
  H5Aread(attribute, H5T_NATIVE_DOUBLE, &horizon);
  CHECK(horizon == 7200);
  CHECK(string_attribute(meta, "git_commit") == "abc");
  H5Aclose(attribute);
  H5Gclose(meta);
  H5Gclose(summary);
  H5Dclose(series);
  H5Sclose(space);
  H5Dclose(jobs);
  H5Fclose(file);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a write that fails leaves neither the file nor its temporary") {
  const std::string path = "/nonexistent-dir-fleetsim/out.h5";
  CHECK_THROWS(write_hdf5(small_record(), path));
  CHECK_FALSE(std::filesystem::exists(temporary_path(path)));
}

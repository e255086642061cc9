#pragma once
// The sweep index sweep.h5 (schema: SCHEMA.md, "Sweep index"), and reading a point's /summary back from its
// result file. Plain structs here; HDF5 stays in the .cpp.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fleetsim {

// One column of /points: numbers (float64), integers (int64) or fixed-length strings.
struct IndexColumn {
  enum class Kind { number, integer, text };
  std::string name;
  Kind kind = Kind::number;
  std::string units;            // numbers and integers
  std::size_t text_bytes = 0;   // text: fixed width including the NUL
  std::vector<double> numbers;
  std::vector<std::int64_t> integers;
  std::vector<std::string> texts;
};

struct SweepIndexTable {
  std::string name, scenario_path, fleetsim_version, created_utc;
  std::vector<std::string> parameters, metrics;
  std::int64_t points = 0, done = 0, failed = 0, pending = 0;
  std::vector<IndexColumn> columns;  // all the same length
};

// Writes the index to `path` (through path.tmp, renamed when complete). Throws std::runtime_error.
void write_sweep_index(const SweepIndexTable& index, const std::string& path);

// A result file's /summary attributes and /meta horizon_s.
struct PointSummary {
  std::map<std::string, double> numbers;       // numeric attributes
  std::map<std::string, std::string> units;    // X -> X.units
  std::map<std::string, std::string> texts;    // string attributes (binding_limit)
  double horizon_s = 0;
};

// Reads a result file's summary. Throws std::runtime_error when the file is not a readable result.
PointSummary read_point_summary(const std::string& path);

}  // namespace fleetsim

#pragma once
// The only code that writes HDF5 (schema: sim/telemetry/SCHEMA.md).
#include <string>

#include "sim/scenario/scenario.hpp"
#include "sim/telemetry/memory_recorder.hpp"

namespace fleetsim {

// Fixed string widths of the compound datasets (bytes, including the terminating NUL).
// The scenario loader bounds names so that they always fit.
constexpr std::size_t kJobNameBytes = kJobNameMaxBytes + 1;
constexpr std::size_t kPlaceNameBytes = kPlaceNameMaxBytes + 1;  // campus, cluster
constexpr std::size_t kStateBytes = 12;

// Writes `record` to `path`: first to `path + ".tmp"`, renamed to `path` once closed. Throws
// std::runtime_error on failure (and removes the temporary file).
void write_hdf5(const RunRecord& record, const std::string& path);

// The temporary name write_hdf5 uses for `path`.
std::string temporary_path(const std::string& path);

}  // namespace fleetsim

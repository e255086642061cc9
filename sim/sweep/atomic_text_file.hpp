#pragma once
// Small text files of a sweep directory (plan.tsv, sweep.toml, points/<id>.err) written whole or not at all, the
// way result files and the index are (sim/telemetry/atomic_hdf5_file.hpp): to `path.<pid>.tmp`, created
// exclusively without following links, synced, renamed. Never through a link at the name or the temporary name,
// never over a non-regular file. On failure the temporary file is removed and std::runtime_error thrown.
#include <string>

namespace fleetsim {

void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace fleetsim

#pragma once
// The hardware catalog: hw/catalog/*.toml, compiled into the binary, plus any scenario-local [[hw.gpu]] /
// [[hw.node]] entries (which may shadow a catalog id).
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "hw/hardware.hpp"
#include "sim/core/toml_reader.hpp"

namespace fleetsim::hw {

struct CatalogSource {
  const char* file;  // e.g. "hw/catalog/gpus.toml"
  const char* text;
};
// Generated at build time from hw/catalog/*.toml.
const std::vector<CatalogSource>& catalog_sources();

class Catalog {
 public:
  // The built-in catalog (parsed once).
  static const Catalog& builtin();
  // Parses catalog text; throws InputError naming the file for any problem.
  static Catalog parse(const std::vector<CatalogSource>& sources);

  // Reads [[gpu]] then [[node]] arrays (key names given) from `reader` into this catalog, replacing ids.
  // A node may use any GPU known by then (catalog or this reader's).
  void read_entries(TomlReader& reader, const std::string& gpu_key, const std::string& node_key,
                    bool require_sources);

  const GpuSpec* find_gpu(const std::string& id) const;
  const NodeSpec* find_node(const std::string& id) const;
  const std::map<std::string, GpuSpec>& gpus() const { return gpus_; }
  const std::map<std::string, NodeSpec>& nodes() const { return nodes_; }

 private:
  std::map<std::string, GpuSpec> gpus_;
  std::map<std::string, NodeSpec> nodes_;
};

// TOML tables for entries, in the catalog's own schema (used to write the resolved scenario).
toml::table to_toml(const GpuSpec& gpu);
toml::table to_toml(const NodeSpec& node);

}  // namespace fleetsim::hw

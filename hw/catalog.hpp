#pragma once
// The hardware and model catalog: hw/catalog/*.toml, compiled into the binary, plus any scenario-local
// [[hw.gpu]], [[hw.node]], [[hw.fabric]], [[hw.cooling]], [[hw.model]] entries (which may shadow a catalog id).
// Schema: hw/catalog/README.md.
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "hw/hardware.hpp"
#include "hw/model_spec.hpp"
#include "sim/core/name_list.hpp"
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

  // Reads the arrays gpu, node, fabric, cooling, model, kernel_fit of `reader`'s table into this catalog, replacing ids.
  // GPUs are read first, so a node may use any GPU known by then.
  void read_entries(TomlReader& reader, bool require_sources);

  // Adds or replaces a node built by the scenario (e.g. from a trace's node list).
  void add_node(NodeSpec node) { nodes_[node.id] = std::move(node); }

  const GpuSpec* find_gpu(const std::string& id) const { return find(gpus_, id); }
  const NodeSpec* find_node(const std::string& id) const { return find(nodes_, id); }
  const FabricSpec* find_fabric(const std::string& id) const { return find(fabrics_, id); }
  const CoolingSpec* find_cooling(const std::string& id) const { return find(cooling_, id); }
  const KernelFit* find_kernel_fit(const std::string& gpu) const { return find(kernel_fits_, gpu); }
  const ModelSpec* find_model(const std::string& id) const { return find(models_, id); }
  const std::map<std::string, GpuSpec>& gpus() const { return gpus_; }
  const std::map<std::string, NodeSpec>& nodes() const { return nodes_; }
  const std::map<std::string, FabricSpec>& fabrics() const { return fabrics_; }
  const std::map<std::string, CoolingSpec>& cooling() const { return cooling_; }
  const std::map<std::string, ModelSpec>& models() const { return models_; }

 private:
  template <class Spec>
  static const Spec* find(const std::map<std::string, Spec>& entries, const std::string& id) {
    auto found = entries.find(id);
    return found == entries.end() ? nullptr : &found->second;
  }
  std::map<std::string, GpuSpec> gpus_;
  std::map<std::string, NodeSpec> nodes_;
  std::map<std::string, FabricSpec> fabrics_;
  std::map<std::string, CoolingSpec> cooling_;
  std::map<std::string, KernelFit> kernel_fits_;
  std::map<std::string, ModelSpec> models_;
};

// "a, b, c": the ids of a map, for "unknown id (known: ...)" messages.
template <class Spec>
std::string known_ids(const std::map<std::string, Spec>& entries) {
  return join_names(entries, [](const auto& entry) { return entry.first; });
}

// Ids of the fabrics of one kind (scale-up, scale-out, inter-campus).
std::vector<std::string> fabric_ids(const Catalog& catalog, const std::string& kind);

// TOML tables for entries, in the catalog's own schema (used to write the resolved scenario).
toml::table to_toml(const GpuSpec& gpu);
toml::table to_toml(const NodeSpec& node);
toml::table to_toml(const CoolingSpec& cooling);
toml::table to_toml(const ModelSpec& model);

}  // namespace fleetsim::hw

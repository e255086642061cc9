#include "hw/catalog.hpp"

namespace fleetsim::hw {

namespace {
GpuSpec read_gpu(TomlReader& reader, bool require_sources) {
  GpuSpec gpu;
  gpu.id = reader.string("id");
  gpu.name = reader.optional_string("name").value_or(gpu.id);
  gpu.idle_w = reader.positive_number("idle_w");
  gpu.max_w = reader.positive_number("max_w");
  if (gpu.max_w < gpu.idle_w)
    reader.fail("max_w", "must be >= idle_w (" + format_number(gpu.idle_w) + ")", reader.got("max_w"));
  gpu.memory_gb = reader.optional_number("memory_gb").value_or(0);
  gpu.bf16_dense_tflops = reader.optional_number("bf16_dense_tflops").value_or(0);
  gpu.release_year = static_cast<int>(reader.optional_integer("release_year").value_or(0));
  gpu.sources = reader.optional_string_list("sources");
  gpu.notes = reader.optional_string("notes").value_or("");
  if (require_sources && gpu.sources.empty()) reader.fail("sources", "catalog entries must cite their sources");
  reader.finish();
  return gpu;
}

// A node's GPU must be known (catalog or scenario) and its full power must fit its datasheet maximum.
NodeSpec read_node(TomlReader& reader, bool require_sources, const Catalog& catalog) {
  NodeSpec node;
  node.id = reader.string("id");
  node.name = reader.optional_string("name").value_or(node.id);
  node.gpu = reader.string("gpu");
  const GpuSpec* gpu = catalog.find_gpu(node.gpu);
  if (!gpu) {
    std::string known;
    for (const auto& [gpu_id, spec] : catalog.gpus()) known += (known.empty() ? "" : ", ") + gpu_id;
    reader.fail("gpu", "unknown GPU id (known: " + known + ")", reader.got("gpu"));
  }
  node.gpus = static_cast<int>(reader.positive_integer("gpus", 1024));
  node.base_w = reader.positive_number("base_w");
  if (reader.node("max_w")) {
    node.max_w = reader.positive_number("max_w");
    if (node.full_power_w(*gpu) > node.max_w * (1 + 1e-12))
      reader.fail("max_w", "below base_w + gpus x GPU max_w = " + format_number(node.full_power_w(*gpu)) + " W",
                  reader.got("max_w"));
  }
  node.sources = reader.optional_string_list("sources");
  node.notes = reader.optional_string("notes").value_or("");
  if (require_sources && node.sources.empty()) reader.fail("sources", "catalog entries must cite their sources");
  reader.finish();
  return node;
}

toml::array string_array(const std::vector<std::string>& values) {
  toml::array array;
  for (const auto& value : values) array.push_back(value);
  return array;
}
}  // namespace

void Catalog::read_entries(TomlReader& reader, const std::string& gpu_key, const std::string& node_key,
                           bool require_sources) {
  const auto gpu_tables = reader.table_array(gpu_key);
  for (std::size_t i = 0; i < gpu_tables.size(); ++i) {
    TomlReader entry = reader.element(*gpu_tables[i], gpu_key, i);
    GpuSpec gpu = read_gpu(entry, require_sources);
    gpus_[gpu.id] = std::move(gpu);
  }
  const auto node_tables = reader.table_array(node_key);
  for (std::size_t i = 0; i < node_tables.size(); ++i) {
    TomlReader entry = reader.element(*node_tables[i], node_key, i);
    NodeSpec node = read_node(entry, require_sources, *this);
    nodes_[node.id] = std::move(node);
  }
}

Catalog Catalog::parse(const std::vector<CatalogSource>& sources) {
  Catalog catalog;
  for (const CatalogSource& source : sources) {
    toml::table table;
    try {
      table = toml::parse(std::string_view(source.text), std::string_view(source.file));
    } catch (const toml::parse_error& error) {
      throw InputError({source.file, static_cast<int>(error.source().begin.line)}, "syntax",
                       std::string(error.description()));
    }
    TomlReader reader(table, source.file, "");
    catalog.read_entries(reader, "gpu", "node", true);
    reader.finish();
  }
  return catalog;
}

const Catalog& Catalog::builtin() {
  static const Catalog catalog = parse(catalog_sources());
  return catalog;
}

const GpuSpec* Catalog::find_gpu(const std::string& id) const {
  auto found = gpus_.find(id);
  return found == gpus_.end() ? nullptr : &found->second;
}

const NodeSpec* Catalog::find_node(const std::string& id) const {
  auto found = nodes_.find(id);
  return found == nodes_.end() ? nullptr : &found->second;
}

toml::table to_toml(const GpuSpec& gpu) {
  toml::table table{{"id", gpu.id}, {"name", gpu.name}, {"idle_w", gpu.idle_w}, {"max_w", gpu.max_w}};
  if (gpu.memory_gb > 0) table.insert("memory_gb", gpu.memory_gb);
  if (gpu.bf16_dense_tflops > 0) table.insert("bf16_dense_tflops", gpu.bf16_dense_tflops);
  if (gpu.release_year > 0) table.insert("release_year", gpu.release_year);
  if (!gpu.sources.empty()) table.insert("sources", string_array(gpu.sources));
  if (!gpu.notes.empty()) table.insert("notes", gpu.notes);
  return table;
}

toml::table to_toml(const NodeSpec& node) {
  toml::table table{{"id", node.id}, {"name", node.name}, {"gpu", node.gpu}, {"gpus", node.gpus},
                    {"base_w", node.base_w}};
  if (node.max_w > 0) table.insert("max_w", node.max_w);
  if (!node.sources.empty()) table.insert("sources", string_array(node.sources));
  if (!node.notes.empty()) table.insert("notes", node.notes);
  return table;
}

}  // namespace fleetsim::hw

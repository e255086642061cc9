#include "hw/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <set>

namespace fleetsim::hw {

namespace {
std::vector<double> number_list(TomlReader& reader, const std::string& key) {
  const toml::node* node = reader.node(key);
  if (!node) reader.fail(key, "required key is missing");
  const toml::array* array = node->as_array();
  if (!array) reader.fail(key, "must be an array of numbers", describe(*node));
  std::vector<double> values;
  for (const toml::node& item : *array) {
    if (!item.is_number() || !std::isfinite(*number_of(item)))
      reader.fail(key, "must be an array of numbers", describe(item));
    values.push_back(*number_of(item));
  }
  return values;
}

// { <x_key> = [...], <y_key> = [...] }: at least two points, x strictly increasing.
Curve read_curve(TomlReader& reader, const std::string& key, const std::string& x_key, const std::string& y_key) {
  const toml::table* table = reader.optional_table(key);
  if (!table) return {};
  TomlReader sub = reader.child(*table, key);
  Curve curve{number_list(sub, x_key), number_list(sub, y_key)};
  if (curve.x.size() < 2) sub.fail(x_key, "needs at least two points", std::to_string(curve.x.size()) + " points");
  if (curve.y.size() != curve.x.size())
    sub.fail(y_key, "must have as many values as " + x_key + " (" + std::to_string(curve.x.size()) + ")",
             std::to_string(curve.y.size()) + " values");
  for (std::size_t i = 1; i < curve.x.size(); ++i)
    if (!(curve.x[i] > curve.x[i - 1])) sub.fail(x_key, "must be strictly increasing", format_number(curve.x[i]));
  sub.finish();
  return curve;
}

void check_close(TomlReader& reader, const std::string& key, double got, double expected, const std::string& what) {
  if (std::fabs(got - expected) > 1e-9 * std::max(1.0, std::fabs(expected)))
    reader.fail(key, what + " (" + format_number(expected) + ")", format_number(got));
}

// The provenance every catalog entry ends with: its sources (required in the shipped catalog) and its notes (where
// the entry has them); then no key may be left unread.
void finish_entry(TomlReader& reader, bool require_sources, std::vector<std::string>& sources, std::string* notes) {
  sources = reader.optional_string_list("sources");
  if (notes) *notes = reader.optional_string("notes").value_or("");
  if (require_sources && sources.empty()) reader.fail("sources", "catalog entries must cite their sources");
  reader.finish();
}

GpuSpec read_gpu(TomlReader& reader, bool require_sources) {
  GpuSpec gpu;
  gpu.id = reader.string("id");
  gpu.name = reader.optional_string("name").value_or(gpu.id);
  gpu.vendor = reader.optional_string("vendor").value_or("");
  gpu.form_factor = reader.optional_string("form_factor").value_or("");
  gpu.idle_w = reader.positive_number("idle_w");
  gpu.max_w = reader.positive_number("max_w");
  if (gpu.max_w < gpu.idle_w)
    reader.fail("max_w", "must be >= idle_w (" + format_number(gpu.idle_w) + ")", reader.got("max_w"));
  gpu.memory_gb = reader.optional_number("memory_gb").value_or(0);
  gpu.memory_bandwidth_tb_s = reader.optional_number("memory_bandwidth_tb_s").value_or(0);
  gpu.bf16_dense_tflops = reader.optional_number("bf16_dense_tflops").value_or(0);
  gpu.fp8_dense_tflops = reader.optional_number("fp8_dense_tflops").value_or(0);
  gpu.fp4_dense_tflops = reader.optional_number("fp4_dense_tflops").value_or(0);
  gpu.scale_up_bandwidth_gb_s = reader.optional_number("scale_up_bandwidth_gb_s").value_or(0);
  gpu.release_year = static_cast<int>(reader.optional_integer("release_year").value_or(0));

  gpu.power_curve = read_curve(reader, "power_curve", "utilization", "watts");
  if (!gpu.power_curve.empty()) {
    TomlReader curve = reader.child(*reader.optional_table("power_curve"), "power_curve");
    check_close(curve, "utilization", gpu.power_curve.x.front(), 0.0, "must start at utilisation 0");
    check_close(curve, "utilization", gpu.power_curve.x.back(), 1.0, "must end at utilisation 1");
    check_close(curve, "watts", gpu.power_curve.y.front(), gpu.idle_w, "must start at idle_w");
    check_close(curve, "watts", gpu.power_curve.y.back(), gpu.max_w, "must end at max_w");
    for (std::size_t i = 1; i < gpu.power_curve.y.size(); ++i)
      if (gpu.power_curve.y[i] < gpu.power_curve.y[i - 1])
        curve.fail("watts", "must not decrease with utilisation", format_number(gpu.power_curve.y[i]));
  }
  gpu.power_cap_min_w = reader.optional_number("power_cap_min_w").value_or(0);
  gpu.power_cap_max_w = reader.optional_number("power_cap_max_w").value_or(0);
  if (gpu.power_cap_min_w < 0 || gpu.power_cap_min_w > gpu.power_cap_max_w)
    reader.fail("power_cap_min_w", "must be in [0, power_cap_max_w]", reader.got("power_cap_min_w"));
  gpu.cap_throughput = read_curve(reader, "cap_throughput", "cap_w", "relative");
  if (!gpu.cap_throughput.empty()) {
    TomlReader curve = reader.child(*reader.optional_table("cap_throughput"), "cap_throughput");
    check_close(curve, "relative", gpu.cap_throughput.y.back(), 1.0, "must end at 1.0 (uncapped)");
    if (gpu.cap_throughput.x.back() < gpu.max_w)
      curve.fail("cap_w", "must reach max_w (" + format_number(gpu.max_w) + ")", format_number(gpu.cap_throughput.x.back()));
    for (std::size_t i = 0; i < gpu.cap_throughput.y.size(); ++i) {
      if (!(gpu.cap_throughput.y[i] > 0)) curve.fail("relative", "must be > 0", format_number(gpu.cap_throughput.y[i]));
      if (i && gpu.cap_throughput.y[i] < gpu.cap_throughput.y[i - 1])
        curve.fail("relative", "must not decrease as the cap rises", format_number(gpu.cap_throughput.y[i]));
    }
  }
  if (const toml::table* rates = reader.optional_table("failure_rates")) {
    TomlReader sub = reader.child(*rates, "failure_rates");
    for (const auto& [key, value] : *rates) {
      const std::string name(key.str());
      bool known = false;
      std::string names;
      for (const char* gpu_class : kGpuFailureClasses) {
        known |= name == gpu_class;
        names += std::string(names.empty() ? "" : ", ") + gpu_class;
      }
      if (!known) sub.fail(name, "unknown GPU failure class (known: " + names + ")");
      gpu.failure_rates[name] = sub.number_at_least(name, 0.0);
    }
    sub.finish();
  }
  finish_entry(reader, require_sources, gpu.sources, &gpu.notes);
  return gpu;
}

// A node's GPU must be known (catalog or scenario) and its full power must fit its datasheet maximum.
NodeSpec read_node(TomlReader& reader, bool require_sources, const Catalog& catalog) {
  NodeSpec node;
  node.id = reader.string("id");
  node.name = reader.optional_string("name").value_or(node.id);
  node.vendor = reader.optional_string("vendor").value_or("");
  node.gpu = reader.string("gpu");
  const GpuSpec* gpu = catalog.find_gpu(node.gpu);
  if (!gpu) reader.fail("gpu", "unknown GPU id (known: " + known_ids(catalog.gpus()) + ")", reader.got("gpu"));
  node.gpus = static_cast<int>(reader.positive_integer("gpus", 1024));
  node.nvlink_domain_gpus =
      reader.node("nvlink_domain_gpus") ? static_cast<int>(reader.positive_integer("nvlink_domain_gpus", 100000)) : node.gpus;
  node.cpus = reader.optional_string("cpus").value_or("");
  node.base_w = reader.positive_number("base_w");
  node.base_full_w = reader.node("base_full_w") ? reader.positive_number("base_full_w") : node.base_w;
  if (node.base_full_w < node.base_w)
    reader.fail("base_full_w", "must be >= base_w (" + format_number(node.base_w) + ")", reader.got("base_full_w"));
  if (reader.node("max_w")) {
    node.max_w = reader.positive_number("max_w");
    if (node.full_power_w(*gpu) > node.max_w * (1 + 1e-12))
      reader.fail("max_w", "below base_full_w + gpus x GPU max_w = " + format_number(node.full_power_w(*gpu)) + " W",
                  reader.got("max_w"));
  }
  node.nics = reader.optional_string("nics").value_or("");
  node.nic_count = static_cast<int>(reader.optional_integer("nic_count").value_or(0));
  node.nic_gbps = reader.optional_number("nic_gbps").value_or(0);
  node.cooling = reader.optional_string("cooling").value_or("");
  if (!node.cooling.empty() && node.cooling != "air" && node.cooling != "liquid")
    reader.fail("cooling", "must be \"air\" or \"liquid\"", reader.got("cooling"));
  node.rack_units = static_cast<int>(reader.optional_integer("rack_units").value_or(0));
  node.capex_usd = reader.node("capex_usd") ? reader.number_at_least("capex_usd", 0.0) : 0.0;
  finish_entry(reader, require_sources, node.sources, &node.notes);
  return node;
}

FabricSpec read_fabric(TomlReader& reader, bool require_sources) {
  FabricSpec fabric;
  fabric.id = reader.string("id");
  fabric.name = reader.optional_string("name").value_or(fabric.id);
  fabric.kind = reader.string("kind");
  if (fabric.kind != "scale-up" && fabric.kind != "scale-out" && fabric.kind != "inter-campus")
    reader.fail("kind", "must be scale-up, scale-out or inter-campus", reader.got("kind"));
  fabric.topology = reader.optional_string("topology").value_or("");
  fabric.link_gbps = reader.positive_number("link_gbps");
  fabric.switch_radix = static_cast<int>(reader.optional_integer("switch_radix").value_or(0));
  fabric.switch_latency_us = reader.optional_number("switch_latency_us").value_or(0);
  fabric.domain_gpus = static_cast<int>(reader.optional_integer("domain_gpus").value_or(0));
  fabric.oversubscription = reader.optional_number("oversubscription").value_or(1.0);
  if (fabric.oversubscription < 1.0) reader.fail("oversubscription", "must be >= 1", reader.got("oversubscription"));
  fabric.fiber_latency_us_per_km = reader.optional_number("fiber_latency_us_per_km").value_or(0);
  finish_entry(reader, require_sources, fabric.sources, &fabric.notes);
  return fabric;
}

CoolingSpec read_cooling(TomlReader& reader, bool require_sources) {
  CoolingSpec cooling;
  cooling.id = reader.string("id");
  cooling.name = reader.optional_string("name").value_or(cooling.id);
  cooling.free_cooling_max_c = reader.number("free_cooling_max_c");
  cooling.cooling_free_fraction = reader.number_at_least("cooling_free_fraction", 0.0);
  cooling.cooling_fraction_per_c = reader.number_at_least("cooling_fraction_per_c", 0.0);
  cooling.cooling_max_fraction = reader.number_at_least("cooling_max_fraction", cooling.cooling_free_fraction,
                                                        "not below cooling_free_fraction");
  cooling.other_fraction = reader.optional_number("other_fraction").value_or(0);
  if (cooling.other_fraction < 0) reader.fail("other_fraction", "must be >= 0", reader.got("other_fraction"));
  for (auto [key, field] : {std::pair{"ups_efficiency", &cooling.ups_efficiency},
                            std::pair{"transformer_efficiency", &cooling.transformer_efficiency},
                            std::pair{"pdu_efficiency", &cooling.pdu_efficiency}}) {
    *field = reader.optional_number(key).value_or(1.0);
    if (!(*field > 0 && *field <= 1)) reader.fail(key, "must be in (0, 1]", reader.got(key));
  }
  cooling.max_rack_kw = reader.optional_number("max_rack_kw").value_or(0);
  finish_entry(reader, require_sources, cooling.sources, &cooling.notes);
  return cooling;
}

KernelFit read_kernel_fit(TomlReader& reader, bool require_sources, const Catalog& catalog) {
  KernelFit fit;
  fit.id = reader.string("gpu");
  if (!catalog.find_gpu(fit.id)) reader.fail("gpu", "unknown GPU id (known: " + known_ids(catalog.gpus()) + ")", reader.got("gpu"));
  fit.node = reader.string("node");
  if (!catalog.find_node(fit.node)) reader.fail("node", "unknown node id", reader.got("node"));
  for (auto [key, field] : {std::pair{"gemm_efficiency", &fit.gemm_efficiency},
                            std::pair{"memory_efficiency", &fit.memory_efficiency}}) {
    *field = reader.number(key);
    if (!(*field > 0 && *field <= 1)) reader.fail(key, "must be in (0, 1]", reader.got(key));
  }
  fit.gemm_overhead_us = reader.number_at_least("gemm_overhead_us", 0.0);
  fit.elementwise_overhead_us = reader.number_at_least("elementwise_overhead_us", 0.0);
  fit.allreduce_latency_us = reader.number_at_least("allreduce_latency_us", 0.0);
  fit.allreduce_bus_gb_s = reader.positive_number("allreduce_bus_gb_s");
  fit.internode_latency_us = reader.optional_number("internode_latency_us").value_or(0);
  fit.internode_gb_s = reader.optional_number("internode_gb_s").value_or(0);
  if (reader.node("decode_memory_efficiency")) {
    fit.decode_memory_efficiency = reader.number("decode_memory_efficiency");
    if (!(fit.decode_memory_efficiency > 0 && fit.decode_memory_efficiency <= 1))
      reader.fail("decode_memory_efficiency", "must be in (0, 1]", reader.got("decode_memory_efficiency"));
  }
  // The fit's quality, recorded by the script for readers of the file; not used by the model.
  for (const char* key : {"gemm_rms_log_error", "gemm_samples", "elementwise_rms_log_error", "elementwise_samples",
                          "allreduce_rms_log_error", "allreduce_samples", "internode_rms_log_error", "internode_samples",
                          "decode_rms_log_error", "decode_samples"})
    reader.optional_number(key);
  finish_entry(reader, require_sources, fit.sources, nullptr);
  return fit;
}

// A catalog model's derived parameter count may differ from the published one by this fraction (published
// counts are rounded, e.g. "70B" for 70.55B; ours leave out biases and norms).
constexpr double kPublishedParamsTolerance = 0.03;

std::string format_billions(double parameters) {
  char text[32];
  const double billions = parameters / 1e9;
  std::snprintf(text, sizeof text, billions >= 1 ? "%.2f" : "%.3g", billions);
  return text;
}

// An optional count: 0 when absent, else an integer in [1, max].
int optional_positive_integer(TomlReader& reader, const std::string& key, std::int64_t max) {
  return reader.node(key) ? static_cast<int>(reader.positive_integer(key, max)) : 0;
}

// Dimensions are read as counts and checked for consistency; the parameter count they give must be within 3%
// of the published figure when one is given, so a mistyped dimension cannot pass unnoticed.
ModelSpec read_model(TomlReader& reader, bool require_sources) {
  ModelSpec model;
  model.id = reader.name("id", kModelIdMaxBytes);  // the /jobs model column holds it whole
  model.name = reader.optional_string("name").value_or(model.id);
  model.layers = static_cast<int>(reader.positive_integer("layers", 10'000));
  model.hidden = static_cast<int>(reader.positive_integer("hidden", 1'000'000));
  model.heads = static_cast<int>(reader.positive_integer("heads", 100'000));
  model.kv_heads = reader.node("kv_heads") ? static_cast<int>(reader.positive_integer("kv_heads", 100'000)) : model.heads;
  if (model.heads % model.kv_heads != 0)
    reader.fail("kv_heads", "must divide heads (" + std::to_string(model.heads) + ")", reader.got("kv_heads"));
  model.head_dim = optional_positive_integer(reader, "head_dim", 100'000);
  model.ffn = static_cast<int>(reader.positive_integer("ffn", 10'000'000));
  model.gated_mlp = reader.optional_bool("gated_mlp").value_or(true);
  model.vocabulary = reader.positive_integer("vocabulary", 100'000'000);
  model.tied_embeddings = reader.optional_bool("tied_embeddings").value_or(false);

  static const char* const moe_keys[] = {"active_experts", "shared_experts", "expert_ffn", "dense_layers"};
  model.experts = optional_positive_integer(reader, "experts", 100'000);
  if (model.is_moe()) {
    model.active_experts = static_cast<int>(reader.positive_integer("active_experts", 100'000));
    if (model.active_experts > model.experts)
      reader.fail("active_experts", "must be <= experts (" + std::to_string(model.experts) + ")", reader.got("active_experts"));
    model.shared_experts = static_cast<int>(reader.optional_integer("shared_experts").value_or(0));
    if (model.shared_experts < 0 || model.shared_experts > 100'000)
      reader.fail("shared_experts", "must be in [0, 100000]", reader.got("shared_experts"));
    model.expert_ffn = optional_positive_integer(reader, "expert_ffn", 10'000'000);
    model.dense_layers = static_cast<int>(reader.optional_integer("dense_layers").value_or(0));
    if (model.dense_layers < 0 || model.dense_layers >= model.layers)
      reader.fail("dense_layers", "must be in [0, layers) (layers = " + std::to_string(model.layers) + ")",
                  reader.got("dense_layers"));
  } else {
    for (const char* key : moe_keys)
      if (reader.node(key)) reader.fail(key, "only for a mixture of experts (set experts)", reader.got(key));
  }

  // Multi-head latent attention: the latent ranks and per-head sizes replace head_dim, and every head has its
  // own keys and values (no grouped-query sharing).
  static const char* const mla_keys[] = {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"};
  const bool mla = std::any_of(std::begin(mla_keys), std::end(mla_keys),
                               [&](const char* key) { return reader.node(key) != nullptr; });
  if (mla) {
    model.q_lora_rank = optional_positive_integer(reader, "q_lora_rank", 1'000'000);
    model.kv_lora_rank = static_cast<int>(reader.positive_integer("kv_lora_rank", 1'000'000));
    model.qk_nope_head_dim = static_cast<int>(reader.positive_integer("qk_nope_head_dim", 100'000));
    model.qk_rope_head_dim = static_cast<int>(reader.positive_integer("qk_rope_head_dim", 100'000));
    model.v_head_dim = static_cast<int>(reader.positive_integer("v_head_dim", 100'000));
    for (auto [key, rank] : {std::pair{"q_lora_rank", model.q_lora_rank}, std::pair{"kv_lora_rank", model.kv_lora_rank}})
      if (rank >= model.hidden)
        reader.fail(key, "must be < hidden (" + std::to_string(model.hidden) + "): a low-rank latent", reader.got(key));
    if (model.head_dim > 0)
      reader.fail("head_dim", "not used with multi-head latent attention (per-head sizes are qk_nope_head_dim + "
                              "qk_rope_head_dim and v_head_dim)", reader.got("head_dim"));
    if (model.kv_heads != model.heads)
      reader.fail("kv_heads", "must equal heads (" + std::to_string(model.heads) + ") with multi-head latent attention",
                  reader.got("kv_heads"));
  } else if (model.head_dim == 0 && model.hidden % model.heads != 0) {
    reader.fail("heads", "must divide hidden (" + std::to_string(model.hidden) + ") when head_dim is not given",
                reader.got("heads"));
  }

  if (reader.node("published_params_b")) model.published_params_b = reader.positive_number("published_params_b");
  if (reader.node("published_active_params_b")) {
    if (!model.is_moe())
      reader.fail("published_active_params_b", "only for a mixture of experts (a dense model's active parameters are "
                                               "its total)", reader.got("published_active_params_b"));
    model.published_active_params_b = reader.positive_number("published_active_params_b");
  }
  auto check_published = [&](const char* key, double published_b, double derived, const char* what) {
    if (published_b > 0 && std::fabs(derived / 1e9 - published_b) > kPublishedParamsTolerance * published_b)
      reader.fail(key, std::string("more than 3% from the ") + format_billions(derived) + " billion " + what +
                           " parameters the dimensions give", reader.got(key));
  };
  check_published("published_params_b", model.published_params_b, model.total_parameters(), "total");
  check_published("published_active_params_b", model.published_active_params_b, model.active_parameters(), "active");

  finish_entry(reader, require_sources, model.sources, &model.notes);
  return model;
}

template <class Spec, class Read>
void read_array(TomlReader& reader, const std::string& key, std::map<std::string, Spec>& into, Read read) {
  // An entry replaces a catalog entry of the same id (a scenario may redefine a built-in one), but one list
  // naming an id twice is an error: which one was meant?
  const auto tables = reader.table_array(key);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TomlReader entry = reader.element(*tables[i], key, i);
    Spec spec = read(entry);
    if (!seen.insert(spec.id).second) entry.fail("id", "duplicate " + key + " id in this list", quoted(spec.id));
    into[spec.id] = std::move(spec);
  }
}

toml::array string_array(const std::vector<std::string>& values) {
  toml::array array;
  for (const auto& value : values) array.push_back(value);
  return array;
}

toml::table curve_table(const Curve& curve, const char* x_key, const char* y_key) {
  toml::array xs, ys;
  for (double x : curve.x) xs.push_back(x);
  for (double y : curve.y) ys.push_back(y);
  return toml::table{{x_key, xs}, {y_key, ys}};
}

// Optional fields: written only when set.
void put(toml::table& table, const char* key, double value) {
  if (value != 0) table.insert(key, value);
}
void put(toml::table& table, const char* key, const std::string& value) {
  if (!value.empty()) table.insert(key, value);
}
void put(toml::table& table, const char* key, int value) {
  if (value != 0) table.insert(key, value);
}
void put_provenance(toml::table& table, const std::vector<std::string>& sources, const std::string& notes) {
  if (!sources.empty()) table.insert("sources", string_array(sources));
  put(table, "notes", notes);
}
}  // namespace

void Catalog::read_entries(TomlReader& reader, bool require_sources) {
  read_array(reader, "gpu", gpus_, [&](TomlReader& entry) { return read_gpu(entry, require_sources); });
  read_array(reader, "node", nodes_, [&](TomlReader& entry) { return read_node(entry, require_sources, *this); });
  read_array(reader, "fabric", fabrics_, [&](TomlReader& entry) { return read_fabric(entry, require_sources); });
  read_array(reader, "cooling", cooling_, [&](TomlReader& entry) { return read_cooling(entry, require_sources); });
  read_array(reader, "model", models_, [&](TomlReader& entry) { return read_model(entry, require_sources); });
  read_array(reader, "kernel_fit", kernel_fits_,
             [&](TomlReader& entry) { return read_kernel_fit(entry, require_sources, *this); });
}

Catalog Catalog::parse(const std::vector<CatalogSource>& sources) {
  // GPU files first and kernel fits last, whatever their names: nodes refer to GPUs, fits to GPUs and nodes.
  std::vector<std::pair<CatalogSource, toml::table>> parsed;
  for (const CatalogSource& source : sources) {
    parsed.emplace_back(source, parse_toml(source.text, source.file));
  }
  const auto rank = [](const toml::table& table) { return table.contains("gpu") ? 0 : table.contains("kernel_fit") ? 2 : 1; };
  std::stable_sort(parsed.begin(), parsed.end(),
                   [&](const auto& a, const auto& b) { return rank(a.second) < rank(b.second); });
  Catalog catalog;
  for (const auto& [source, table] : parsed) {
    TomlReader reader(table, source.file, "");
    catalog.read_entries(reader, true);
    reader.finish();
  }
  return catalog;
}

std::vector<std::string> fabric_ids(const Catalog& catalog, const std::string& kind) {
  std::vector<std::string> ids;
  for (const auto& [id, fabric] : catalog.fabrics())
    if (fabric.kind == kind) ids.push_back(id);
  return ids;
}

const Catalog& Catalog::builtin() {
  static const Catalog catalog = parse(catalog_sources());
  return catalog;
}

toml::table to_toml(const GpuSpec& gpu) {
  toml::table table{{"id", gpu.id}, {"name", gpu.name}, {"idle_w", gpu.idle_w}, {"max_w", gpu.max_w}};
  put(table, "vendor", gpu.vendor);
  put(table, "form_factor", gpu.form_factor);
  put(table, "memory_gb", gpu.memory_gb);
  put(table, "memory_bandwidth_tb_s", gpu.memory_bandwidth_tb_s);
  put(table, "bf16_dense_tflops", gpu.bf16_dense_tflops);
  put(table, "fp8_dense_tflops", gpu.fp8_dense_tflops);
  put(table, "fp4_dense_tflops", gpu.fp4_dense_tflops);
  put(table, "scale_up_bandwidth_gb_s", gpu.scale_up_bandwidth_gb_s);
  put(table, "release_year", gpu.release_year);
  if (!gpu.power_curve.empty()) table.insert("power_curve", curve_table(gpu.power_curve, "utilization", "watts"));
  put(table, "power_cap_min_w", gpu.power_cap_min_w);
  put(table, "power_cap_max_w", gpu.power_cap_max_w);
  if (!gpu.cap_throughput.empty()) table.insert("cap_throughput", curve_table(gpu.cap_throughput, "cap_w", "relative"));
  if (!gpu.failure_rates.empty()) {
    toml::table rates;
    for (const auto& [name, rate] : gpu.failure_rates) rates.insert(name, rate);
    table.insert("failure_rates", rates);
  }
  put_provenance(table, gpu.sources, gpu.notes);
  return table;
}

toml::table to_toml(const NodeSpec& node) {
  toml::table table{{"id", node.id}, {"name", node.name}, {"gpu", node.gpu}, {"gpus", node.gpus},
                    {"base_w", node.base_w}};
  put(table, "vendor", node.vendor);
  if (node.nvlink_domain_gpus != node.gpus) table.insert("nvlink_domain_gpus", node.nvlink_domain_gpus);
  put(table, "cpus", node.cpus);
  if (node.base_full_w != node.base_w) table.insert("base_full_w", node.base_full_w);
  put(table, "max_w", node.max_w);
  put(table, "nics", node.nics);
  put(table, "nic_count", node.nic_count);
  put(table, "nic_gbps", node.nic_gbps);
  put(table, "cooling", node.cooling);
  put(table, "rack_units", node.rack_units);
  put(table, "capex_usd", node.capex_usd);
  put_provenance(table, node.sources, node.notes);
  return table;
}

toml::table to_toml(const CoolingSpec& cooling) {
  toml::table table{{"id", cooling.id},
                    {"name", cooling.name},
                    {"free_cooling_max_c", cooling.free_cooling_max_c},
                    {"cooling_free_fraction", cooling.cooling_free_fraction},
                    {"cooling_fraction_per_c", cooling.cooling_fraction_per_c},
                    {"cooling_max_fraction", cooling.cooling_max_fraction},
                    {"other_fraction", cooling.other_fraction},
                    {"ups_efficiency", cooling.ups_efficiency},
                    {"transformer_efficiency", cooling.transformer_efficiency},
                    {"pdu_efficiency", cooling.pdu_efficiency}};
  put(table, "max_rack_kw", cooling.max_rack_kw);
  put_provenance(table, cooling.sources, cooling.notes);
  return table;
}

toml::table to_toml(const ModelSpec& model) {
  toml::table table{{"id", model.id},         {"name", model.name},       {"layers", model.layers},
                    {"hidden", model.hidden}, {"heads", model.heads},     {"kv_heads", model.kv_heads},
                    {"ffn", model.ffn},       {"gated_mlp", model.gated_mlp}, {"vocabulary", static_cast<std::int64_t>(model.vocabulary)},
                    {"tied_embeddings", model.tied_embeddings}};
  put(table, "head_dim", model.head_dim);
  if (model.is_moe()) {
    table.insert("experts", model.experts);
    table.insert("active_experts", model.active_experts);
    put(table, "shared_experts", model.shared_experts);
    put(table, "expert_ffn", model.expert_ffn);
    put(table, "dense_layers", model.dense_layers);
  }
  if (model.is_mla()) {
    put(table, "q_lora_rank", model.q_lora_rank);
    table.insert("kv_lora_rank", model.kv_lora_rank);
    table.insert("qk_nope_head_dim", model.qk_nope_head_dim);
    table.insert("qk_rope_head_dim", model.qk_rope_head_dim);
    table.insert("v_head_dim", model.v_head_dim);
  }
  put(table, "published_params_b", model.published_params_b);
  put(table, "published_active_params_b", model.published_active_params_b);
  put_provenance(table, model.sources, model.notes);
  return table;
}

}  // namespace fleetsim::hw

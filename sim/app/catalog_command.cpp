#include <cstdio>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include "hw/catalog.hpp"
#include "sim/app/commands.hpp"

namespace fleetsim {

namespace po = boost::program_options;

int catalog_command(const std::vector<std::string>& args) {
  po::options_description options("fleetsim catalog options");
  options.add_options()("help,h", "show this help")("sources", "also print each entry's sources and notes");
  po::variables_map values;
  po::store(po::command_line_parser(args).options(options).run(), values);
  if (values.count("help")) {
    std::cout << "usage: fleetsim catalog [--sources]\n\nLists the built-in hardware and models (hw/catalog/*.toml).\n\n"
              << options << "\n";
    return kExitOk;
  }
  const bool sources = values.count("sources") > 0;
  const hw::Catalog& catalog = hw::Catalog::builtin();
  auto print_sources = [&](const std::vector<std::string>& list, const std::string& notes) {
    if (!sources) return;
    for (const auto& source : list) std::printf("      source: %s\n", source.c_str());
    if (!notes.empty()) std::printf("      notes: %s\n", notes.c_str());
  };
  std::printf("GPUs\n  %-14s %7s %7s %11s %7s %9s %9s %6s  %s\n", "id", "idle W", "max W", "cap W", "mem GB",
              "BF16 TF/s", "FP8 TF/s", "year", "name");
  for (const auto& [id, gpu] : catalog.gpus()) {
    char cap[32] = "-";
    if (gpu.power_cap_max_w > 0) std::snprintf(cap, sizeof cap, "%.0f-%.0f", gpu.power_cap_min_w, gpu.power_cap_max_w);
    std::printf("  %-14s %7.0f %7.0f %11s %7.0f %9.0f %9.0f %6d  %s\n", id.c_str(), gpu.idle_w, gpu.max_w, cap,
                gpu.memory_gb, gpu.bf16_dense_tflops, gpu.fp8_dense_tflops, gpu.release_year, gpu.name.c_str());
    print_sources(gpu.sources, gpu.notes);
  }
  std::printf("  (FLOP/s, memory, HBM and the fabrics below set the speed of training runs and inference services, which\n"
              "   are given as work: tokens, requests; a job given as a duration runs that long at full speed on any GPU,\n"
              "   and only power -- idle, max, its cap -> throughput curve -- changes it)\n");
  std::printf("Nodes (capex: purchase price, ESTIMATES from secondary sources: see each node's notes)\n"
              "  %-14s %-14s %5s %8s %8s %8s %8s %7s %10s  %s\n", "id", "gpu", "gpus", "base W", "idle W",
              "full W", "max W", "cooling", "capex USD", "name");
  for (const auto& [id, node] : catalog.nodes()) {
    const hw::GpuSpec& gpu = *catalog.find_gpu(node.gpu);
    std::printf("  %-14s %-14s %5d %8.0f %8.0f %8.0f %8.0f %7s %10.0f  %s\n", id.c_str(), node.gpu.c_str(), node.gpus,
                node.base_w, node.idle_power_w(gpu), node.full_power_w(gpu), node.max_w, node.cooling.c_str(),
                node.capex_usd, node.name.c_str());
    print_sources(node.sources, node.notes);
  }
  std::printf("Fabrics\n  %-22s %-12s %-15s %9s %6s %10s  %s\n", "id", "kind", "topology", "link Gb/s", "radix",
              "latency us", "name");
  for (const auto& [id, fabric] : catalog.fabrics()) {
    std::printf("  %-22s %-12s %-15s %9.0f %6d %10.3g  %s\n", id.c_str(), fabric.kind.c_str(), fabric.topology.c_str(),
                fabric.link_gbps, fabric.switch_radix, fabric.switch_latency_us, fabric.name.c_str());
    print_sources(fabric.sources, fabric.notes);
  }
  std::printf("Cooling (PUE at ambient 0 / 15 / 25 / 35 C)\n");
  for (const auto& [id, cooling] : catalog.cooling()) {
    std::printf("  %-22s %5.3f %5.3f %5.3f %5.3f  max rack %.0f kW  %s\n", id.c_str(), cooling.pue(0), cooling.pue(15),
                cooling.pue(25), cooling.pue(35), cooling.max_rack_kw, cooling.name.c_str());
    print_sources(cooling.sources, cooling.notes);
  }
  // Parameter counts are derived from the dimensions; the published figure is beside them (the loader keeps
  // the two within 3%).
  std::printf("Models (parameters in billions: derived/published)\n  %-16s %6s %6s %5s %4s %7s %7s %9s %11s %11s  %s\n",
              "id", "layers", "hidden", "heads", "kv", "ffn", "vocab", "experts", "total", "active", "name");
  auto billions = [](double derived, double published) {
    char text[40];
    if (published > 0) std::snprintf(text, sizeof text, "%.1f/%.0f", derived / 1e9, published);
    else std::snprintf(text, sizeof text, "%.1f", derived / 1e9);
    return std::string(text);
  };
  for (const auto& [id, model] : catalog.models()) {
    char experts[40] = "-";
    if (model.is_moe())
      std::snprintf(experts, sizeof experts, "%d+%d/%d", model.active_experts, model.shared_experts, model.experts);
    const double published_active = model.is_moe() ? model.published_active_params_b : model.published_params_b;
    std::printf("  %-16s %6d %6d %5d %4d %7d %7lld %9s %11s %11s  %s%s\n", id.c_str(), model.layers, model.hidden,
                model.heads, model.kv_heads, model.ffn, model.vocabulary, experts,
                billions(model.total_parameters(), model.published_params_b).c_str(),
                billions(model.active_parameters(), published_active).c_str(), model.name.c_str(),
                model.is_mla() ? " (MLA)" : "");
    print_sources(model.sources, model.notes);
  }
  return kExitOk;
}

}  // namespace fleetsim

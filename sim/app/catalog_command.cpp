#include <cstdio>
#include <iostream>

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
    std::cout << "usage: fleetsim catalog [--sources]\n\nLists the built-in hardware (hw/catalog/*.toml).\n\n"
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
  std::printf("GPUs\n  %-16s %-34s %8s %8s %8s %10s %6s\n", "id", "name", "idle W", "max W", "mem GB", "BF16 TF/s",
              "year");
  for (const auto& [id, gpu] : catalog.gpus()) {
    std::printf("  %-16s %-34s %8.0f %8.0f %8.0f %10.0f %6d\n", id.c_str(), gpu.name.c_str(), gpu.idle_w, gpu.max_w,
                gpu.memory_gb, gpu.bf16_dense_tflops, gpu.release_year);
    print_sources(gpu.sources, gpu.notes);
  }
  std::printf("Nodes\n  %-16s %-34s %-16s %5s %8s %8s %8s %8s\n", "id", "name", "gpu", "gpus", "base W", "idle W",
              "full W", "max W");
  for (const auto& [id, node] : catalog.nodes()) {
    const hw::GpuSpec& gpu = *catalog.find_gpu(node.gpu);
    std::printf("  %-16s %-34s %-16s %5d %8.0f %8.0f %8.0f %8.0f\n", id.c_str(), node.name.c_str(), node.gpu.c_str(),
                node.gpus, node.base_w, node.idle_power_w(gpu), node.full_power_w(gpu), node.max_w);
    print_sources(node.sources, node.notes);
  }
  return kExitOk;
}

}  // namespace fleetsim

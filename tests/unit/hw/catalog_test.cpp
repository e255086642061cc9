#include <catch2/catch.hpp>

#include "hw/catalog.hpp"

using namespace fleetsim;

TEST_CASE("the built-in catalog parses and every entry cites its sources") {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  REQUIRE(catalog.find_gpu("h100-sxm"));
  REQUIRE(catalog.find_node("dgx-h100"));
  for (const auto& [id, gpu] : catalog.gpus()) {
    INFO(id);
    CHECK_FALSE(gpu.sources.empty());
    CHECK(gpu.idle_w > 0);
    CHECK(gpu.max_w >= gpu.idle_w);
  }
  for (const auto& [id, node] : catalog.nodes()) {
    INFO(id);
    CHECK_FALSE(node.sources.empty());
    const hw::GpuSpec* gpu = catalog.find_gpu(node.gpu);
    REQUIRE(gpu);
    if (node.max_w > 0) CHECK(node.full_power_w(*gpu) <= node.max_w);
  }
}

TEST_CASE("DGX H100 stays within its 10.2 kW datasheet maximum at full load") {
  // NVIDIA DGX H100 datasheet: 10.2 kW max; H100 SXM TDP 700 W.
  const hw::Catalog& catalog = hw::Catalog::builtin();
  const hw::NodeSpec& node = *catalog.find_node("dgx-h100");
  const hw::GpuSpec& gpu = *catalog.find_gpu(node.gpu);
  CHECK(gpu.max_w == 700.0);
  CHECK(node.gpus == 8);
  CHECK(node.full_power_w(gpu) <= 10200.0);
}

TEST_CASE("GPU power is linear from idle to max in utilisation") {
  hw::GpuSpec gpu;
  gpu.idle_w = 100;
  gpu.max_w = 700;
  CHECK(gpu.power_w(0.0) == 100.0);
  CHECK(gpu.power_w(0.5) == 400.0);
  CHECK(gpu.power_w(1.0) == 700.0);
}

TEST_CASE("a job fits one node if it can, else takes whole nodes") {
  hw::NodeSpec node;
  node.gpus = 8;
  CHECK(node.nodes_for(1) == 1);
  CHECK(node.nodes_for(8) == 1);
  CHECK(node.nodes_for(9) == 2);
  CHECK(node.nodes_for(64) == 8);
}

TEST_CASE("catalog errors name the catalog file and key") {
  std::vector<hw::CatalogSource> sources = {
      {"hw/catalog/gpus.toml", "[[gpu]]\nid = \"g\"\nidle_w = 10.0\nmax_w = 100.0\n"},
      {"hw/catalog/nodes.toml", "[[node]]\nid = \"n\"\ngpu = \"g\"\ngpus = 8\nbase_w = 100.0\nsources = [\"x\"]\n"}};
  CHECK_THROWS_WITH(hw::Catalog::parse(sources), "hw/catalog/gpus.toml:1: gpu.g.sources: catalog entries must cite their sources");
}

TEST_CASE("the training model's hardware figures: FP4 peaks, NVLink one way, NVLink domains and NICs") {
  // Issue-12 research, section 2: dense FP4 B200 9,000 / GB200 10,000 TFLOP/s; NVLink per direction H100 450,
  // B200/GB200 900 GB/s (the catalog holds the bidirectional 900 / 1,800); GB200 NVL72 is one 72-GPU NVLink
  // domain with one 400 Gb/s NIC per GPU; DGX H100 8 x 400 Gb/s, DGX A100 8 x 200 Gb/s.
  const hw::Catalog& catalog = hw::Catalog::builtin();
  CHECK(catalog.find_gpu("b200")->fp4_dense_tflops == 9000.0);
  CHECK(catalog.find_gpu("gb200")->fp4_dense_tflops == 10000.0);
  CHECK(catalog.find_gpu("h100-sxm")->fp4_dense_tflops == 0.0);  // Hopper has no FP4 tensor cores
  CHECK(catalog.find_gpu("h100-sxm")->scale_up_bandwidth_gb_s == 900.0);
  CHECK(catalog.find_gpu("h100-sxm")->scale_up_bandwidth_per_direction_gb_s() == 450.0);
  CHECK(catalog.find_gpu("a100-sxm-80gb")->scale_up_bandwidth_per_direction_gb_s() == 300.0);
  CHECK(catalog.find_gpu("gb200")->scale_up_bandwidth_per_direction_gb_s() == 900.0);
  const hw::NodeSpec& nvl72 = *catalog.find_node("gb200-nvl72");
  CHECK(nvl72.nvlink_domain_gpus == 72);
  CHECK(nvl72.nic_count == 72);
  CHECK(nvl72.nic_gbps == 400.0);
  CHECK(catalog.find_node("dgx-h100")->nic_count * catalog.find_node("dgx-h100")->nic_gbps == 8 * 400.0);
  CHECK(catalog.find_node("dgx-a100")->nic_count * catalog.find_node("dgx-a100")->nic_gbps == 8 * 200.0);
  for (const auto& [id, node] : catalog.nodes()) {
    INFO(id);
    CHECK(node.nic_count > 0);
    CHECK(node.nic_gbps > 0);
    CHECK(node.nvlink_domain_gpus > 0);
  }
}

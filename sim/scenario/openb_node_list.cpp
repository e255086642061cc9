#include "sim/scenario/openb_node_list.hpp"

#include "sim/core/csv_row.hpp"
#include "sim/core/csv_table.hpp"
#include "sim/core/input_error.hpp"
#include "sim/core/input_file.hpp"

namespace fleetsim {

std::vector<OpenbNode> read_openb_nodes(const std::string& path) {
  CsvFile file(path);
  const auto index = file.required({"sn", "cpu_milli", "memory_mib", "gpu", "model"});
  std::vector<OpenbNode> nodes;
  file.for_each_row([&](const CsvRow& row) {
    OpenbNode node;
    node.name = row.text(index[0]);
    if (node.name.empty()) row.fail(index[0], "must not be empty");
    node.cpu_milli = row.whole(index[1], CsvRow::kNoLimit);
    node.memory_mib = row.whole(index[2], CsvRow::kNoLimit);
    node.gpus = static_cast<int>(row.whole(index[3], 1024));
    node.model = row.text(index[4]);
    if (node.gpus > 0 && node.model.empty()) row.fail(index[4], "must name the GPU model of a node with GPUs");
    nodes.push_back(std::move(node));
  });
  return nodes;
}

}  // namespace fleetsim

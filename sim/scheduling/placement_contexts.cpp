#include "sim/scheduling/placement_contexts.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "sim/scheduling/fgd_placement.hpp"

namespace fleetsim {

namespace {
// P(a single-node job of the campus needs more than f GPUs), f = 0..gpus_per_node.
std::vector<double> single_node_size_above(const std::vector<Job>& jobs, const Cluster& cluster) {
  const int per_node = cluster.state.gpus_per_node();
  std::vector<double> above(per_node + 1, 0.0);
  double count = 0;
  for (const Job& job : jobs) {
    if (job.campus != cluster.campus || job.gpus > per_node) continue;
    ++count;
    for (int f = 0; f < job.gpus; ++f) above[f] += 1;
  }
  if (count == 0) return {};
  for (double& value : above) value /= count;
  return above;
}

// The campus's single-node task sizes with their frequencies (FGD's workload, the same for every cluster of the
// campus: a task too large for a node counts all its free GPUs as fragmented): GPU thousandths, and CPU and
// memory rounded up to whole cores and 4 GiB so that similar tasks merge; the 64 most frequent are kept.
std::vector<TaskSize> task_sizes(const std::vector<Job>& jobs, const Fleet& fleet, int campus) {
  int largest_node = 0;
  for (int cluster : fleet.campuses[campus].clusters)
    largest_node = std::max(largest_node, fleet.clusters[cluster].state.gpus_per_node());
  std::map<std::tuple<int, std::int64_t, std::int64_t>, double> counts;
  for (const Job& job : jobs) {
    if (job.campus != campus || job.gpus > largest_node) continue;
    const std::int64_t cpu = (job.cpu_milli + 999) / 1000 * 1000;
    const std::int64_t memory = (job.memory_mib + 4095) / 4096 * 4096;
    counts[{job.gpu_milli > 0 ? job.gpu_milli : job.gpus * kMilliPerGpu, cpu, memory}] += 1;
  }
  std::vector<TaskSize> sizes;
  for (const auto& [key, count] : counts)
    sizes.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  std::stable_sort(sizes.begin(), sizes.end(),
                   [](const TaskSize& a, const TaskSize& b) { return a.probability > b.probability; });
  if (sizes.size() > 64) sizes.resize(64);
  double total = 0;
  for (const TaskSize& size : sizes) total += size.probability;
  for (TaskSize& size : sizes) size.probability /= total;
  return sizes;
}
}  // namespace

std::vector<PlacementContext> make_placement_contexts(const Fleet& fleet, const std::vector<Job>& jobs,
                                                      bool gpu_sharing) {
  std::vector<PlacementContext> contexts;
  for (const Cluster& cluster : fleet.clusters) {
    PlacementContext context;
    context.nodes_per_rack = cluster.nodes_per_rack;
    context.size_above = single_node_size_above(jobs, cluster);
    if (gpu_sharing) {
      context.task_sizes = task_sizes(jobs, fleet, cluster.campus);
      context.fgd_memo = std::make_shared<FgdMemo>();
    }
    contexts.push_back(std::move(context));
  }
  return contexts;
}

}  // namespace fleetsim

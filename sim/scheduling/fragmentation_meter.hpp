#pragma once
// Free GPUs the workload's jobs would mostly find too few to use, per campus over time: a component on the
// engine's lifecycle signals. With GPU sharing it is FGD's measure (Weng et al., ATC'23; fgd_placement.hpp):
// the sum over nodes of the expected free GPU capacity the campus's task sizes cannot use, kept per node and
// updated for the nodes a start, an end or a capacity change touches. Otherwise the sum over nodes of
// node_fragmentation(free GPUs) (placement.hpp), in the same spirit. Its time integral advances at every event
// of the campus (job starts and ends, hours, samples), as the campus's power does.
#include <vector>

#include "sim/core/time_integral.hpp"
#include "sim/fleet/lifecycle.hpp"
#include "sim/scheduling/placement.hpp"

namespace fleetsim {

class FragmentationMeter {
 public:
  // `contexts`: one per cluster (make_placement_contexts), kept by reference.
  FragmentationMeter(const Fleet& fleet, const std::vector<PlacementContext>& contexts, Lifecycle& lifecycle);

  // Mean fragmented GPUs of `campus` since its previous sample.
  double sample(int campus, double time_s) { return campus_[campus].sample(time_s); }
  void finish(double horizon_s);
  double gpu_seconds_fragmented(int campus) const { return campus_[campus].integral(); }

 private:
  void on_run(const JobRun& run);
  void update(int cluster, double time_s, const std::vector<int>& nodes);

  const Fleet& fleet_;
  const std::vector<PlacementContext>& contexts_;
  std::vector<double> cluster_fragmented_;            // per cluster, now
  std::vector<std::vector<double>> node_fragmented_;  // per cluster and node, with GPU sharing
  std::vector<TimeIntegral> campus_;                  // per campus
  std::vector<int> touched_;                          // scratch
};

}  // namespace fleetsim

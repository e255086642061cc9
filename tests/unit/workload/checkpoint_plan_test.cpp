// Checkpoint settings resolved per job: Daly's interval for `auto`, the write time from a checkpoint's size.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sim/workload/checkpoint_plan.hpp"

using namespace fleetsim;

TEST_CASE("Daly's interval reproduces his worked cases (5-minute checkpoint: MTBF 24 h, 6 h, 15 min)") {
  // Daly 2006, the examples beside eq. 37: 117 min, 57 min and 9.1 min.
  CHECK(daly_interval_s(300, 24 * 3600) / 60 == Approx(117).epsilon(0.05));
  CHECK(daly_interval_s(300, 6 * 3600) / 60 == Approx(57).epsilon(0.05));
  CHECK(daly_interval_s(300, 15 * 60) / 60 == Approx(9.1).epsilon(0.05));
  // By hand for 24 h: sqrt(2 x 300 x 86400) = 7200 s; x (1 + sqrt(300/172800)/3 + (300/172800)/9) = 7301.5; - 300.
  CHECK(daly_interval_s(300, 86400) == Approx(7200 * (1 + std::sqrt(300.0 / 172800) / 3 + 300.0 / 172800 / 9) - 300));
  // Writes longer than twice the MTBF: checkpoint every MTBF; no failures: no checkpoints.
  CHECK(daly_interval_s(1000, 400) == 400);
  CHECK(daly_interval_s(300, std::numeric_limits<double>::infinity()) == 0);
}

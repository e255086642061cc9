#pragma once
// The campus time series and totals: a component that, at every telemetry tick, records each campus's means
// over the interval (power, facility power, GPUs busy, conditions, fragmentation), and at the horizon its
// totals. Reads the power meter and the fragmentation meter; writes through the Recorder.
#include "sim/fleet/lifecycle.hpp"
#include "sim/power/power_meter.hpp"
#include "sim/scheduling/fragmentation_meter.hpp"
#include "sim/telemetry/recorder.hpp"

namespace fleetsim {

class CampusSeries {
 public:
  CampusSeries(const Fleet& fleet, PowerMeter& power, FragmentationMeter& fragmentation, Recorder& recorder,
               Lifecycle& lifecycle);
  // Brings the meters to the horizon and records every campus's totals.
  std::vector<CampusTotals> totals(double horizon_s);

 private:
  void on_tick(double time_s);

  const Fleet& fleet_;
  PowerMeter& power_;
  FragmentationMeter& fragmentation_;
  Recorder& recorder_;
  double last_tick_s_ = 0;
};

}  // namespace fleetsim

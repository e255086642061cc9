#pragma once
// Campus and rack power and energy, as a component on the engine's lifecycle signals: every job start and end
// changes its campus's IT power (and its rack's), nodes leaving or joining the pool change the idle power, and
// every hour brings new conditions (PUE from ambient temperature, carbon intensity, price). Integrates each
// campus exactly (CampusPower) and counts installed GPU-seconds for utilisation.
#include <algorithm>
#include <vector>

#include "sim/fleet/lifecycle.hpp"
#include "sim/power/campus_power.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

// Whether any campus has hourly conditions (ambient temperature, carbon or price series): then the engine
// announces hour ticks.
bool has_hourly_conditions(const Scenario& scenario);

class PowerMeter {
 public:
  PowerMeter(const Scenario& scenario, const Fleet& fleet, Lifecycle& lifecycle);

  // Means since the previous sample of `campus`.
  CampusPowerSample sample(int campus, double time_s) { return power_[campus].sample(time_s); }
  // Brings every campus's integrals to the horizon.
  void finish(double horizon_s);

  const CampusPower& campus(int campus) const { return power_[campus]; }
  // The campus's facility power budget from time_s on (its grid connection at first; 0 = none).
  void set_budget(int campus, double time_s, double budget_w) { power_[campus].set_budget(time_s, budget_w); }
  // Highest rack power seen / its rack limit over the campus's clusters (0 = no limit).
  double peak_rack_ratio(int campus) const;
  // GPU-seconds installed (nodes in commissioned clusters) up to the time of finish(), or up to time_s (not before
  // the last change) without advancing.
  double gpu_seconds_installed(int campus) const { return installed_[campus].gpu_s; }
  double gpu_seconds_installed_at(int campus, double time_s) const {
    const Installed& installed = installed_[campus];
    return installed.gpu_s + installed.gpus * (time_s - installed.since_s);
  }
  int gpus_installed(int campus) const { return installed_[campus].gpus; }

 private:
  struct RackPower {
    int nodes_per_rack = 1;
    double node_idle_w = 0;
    double limit_w = 0;
    int nodes = 0;
    std::vector<double> extra_w;
    double peak_ratio = 0;
    void add(int node, double watts);
    // A full rack of idle nodes against the limit (0 without a limit).
    double idle_ratio() const { return limit_w > 0 ? std::min(nodes_per_rack, nodes) * node_idle_w / limit_w : 0; }
  };
  struct Installed {
    int gpus = 0;
    double since_s = 0;
    double gpu_s = 0;
    void change(double time_s, int delta) {
      gpu_s += gpus * (time_s - since_s);
      since_s = time_s;
      gpus += delta;
    }
  };
  void on_run(const JobRun& run, double cap_w, int sign);
  void on_hour(double time_s, long long hour);
  void on_nodes(const NodeChange& change, int sign);
  void on_service(const ServiceLoad& load);
  CampusFactors factors(int campus, long long hour) const;
  double non_gpu_load_w(int campus, double time_s) const;  // [[campus.load]]s during the hour from time_s

  const Scenario& scenario_;
  const Fleet& fleet_;
  std::vector<CampusPower> power_;  // per campus
  std::vector<RackPower> racks_;    // per cluster
  std::vector<Installed> installed_;  // per campus
  std::vector<double> load_w_;          // per campus: its non-GPU loads now
  std::vector<ServiceLoad> services_;  // the last load of each service (by ServiceLoad::service)
};

}  // namespace fleetsim

#pragma once
// Builds the fleet's SimGrid platform on its own (no simulation) and answers questions about it, for tests
// and tools that must not see SimGrid types. One per process (SimGrid allows one engine per process).
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/platform_builder.hpp"

namespace fleetsim {

struct LinkFigures {
  double bandwidth_bytes_per_s = 0;
  double latency_s = 0;
};

struct RouteFigures {
  std::vector<std::string> links;
  double latency_s = 0;
};

class PlatformProbe {
 public:
  explicit PlatformProbe(const Fleet& fleet);
  ~PlatformProbe();
  const PlatformSummary& summary() const { return summary_; }
  std::size_t host_count() const;
  LinkFigures link(const std::string& name) const;
  RouteFigures route(const std::string& from_host, const std::string& to_host) const;

 private:
  struct EngineHolder;
  std::unique_ptr<EngineHolder> engine_;
  PlatformSummary summary_;
};

}  // namespace fleetsim

#include "sim/engine/serving_clock.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <memory>

namespace fleetsim {

namespace {
simgrid::s4u::Engine& serving_engine() {
  static std::unique_ptr<simgrid::s4u::Engine> engine = [] {
    auto created = std::make_unique<simgrid::s4u::Engine>("fleetsim-serve");
    xbt_log_control_set("root.thres:critical");
    auto* zone = simgrid::s4u::create_empty_zone("serving");
    zone->create_host("router", 1e9);
    zone->seal();
    return created;
  }();
  return *engine;
}
}  // namespace

SimgridClock::SimgridClock() { serving_engine(); }

double SimgridClock::now_s() const { return simgrid::s4u::Engine::get_clock(); }

void SimgridClock::at(double time_s, std::function<void()> action) {
  simgrid::kernel::timer::Timer::set(time_s < now_s() ? now_s() : time_s, [this, action = std::move(action)] {
    ++fired_;
    action();
  });
}

std::uint64_t SimgridClock::run() {
  const std::uint64_t before = fired_;
  serving_engine().run();
  return fired_ - before;
}

}  // namespace fleetsim

#pragma once
// A typed signal in the manner of SimGrid's xbt::signal: listeners connect a function, the owner emits, every
// listener is called in the order it connected. Components subscribe to the engine's lifecycle signals this
// way (sim/fleet/lifecycle.hpp).
#include <functional>
#include <utility>
#include <vector>

namespace fleetsim {

template <class... Args>
class Signal {
 public:
  using Listener = std::function<void(Args...)>;

  void connect(Listener listener) { listeners_.push_back(std::move(listener)); }
  bool connected() const { return !listeners_.empty(); }

  void operator()(Args... args) const {
    for (const Listener& listener : listeners_) listener(args...);
  }

 private:
  std::vector<Listener> listeners_;
};

}  // namespace fleetsim

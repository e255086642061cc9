#pragma once
// The clock a serving simulation runs on: the current time and callbacks at later times. `fleetsim serve` runs it
// on SimGrid's clock and timers (sim/engine/serving_clock.hpp); the capacity search, which runs many short
// single-replica simulations inside one process (and inside a fleet run's loading), on HeapClock below: the same
// pool and batcher code on both.
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace fleetsim::inference {

class EventClock {
 public:
  virtual ~EventClock() = default;
  virtual double now_s() const = 0;
  // Calls `action` at `time_s` (>= now); actions at the same time run in the order they were set.
  virtual void at(double time_s, std::function<void()> action) = 0;
};

// A binary heap of events, run to exhaustion by run(). The heap orders small records; the actions wait in slots
// (a capacity search runs tens of thousands of events per run: moving std::functions through a heap costs more
// than the events themselves).
class HeapClock final : public EventClock {
 public:
  double now_s() const override { return now_s_; }
  void at(double time_s, std::function<void()> action) override {
    std::uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(actions_.size());
      actions_.push_back(std::move(action));
    } else {
      slot = free_.back();
      free_.pop_back();
      actions_[slot] = std::move(action);
    }
    events_.push(Event{time_s < now_s_ ? now_s_ : time_s, next_++, slot});
  }
  // Runs every event (and those they set) in time order; returns the number run.
  std::uint64_t run() {
    std::uint64_t count = 0;
    while (!events_.empty()) {
      const Event event = events_.top();
      events_.pop();
      now_s_ = event.time_s;
      std::function<void()> action = std::move(actions_[event.slot]);
      free_.push_back(event.slot);
      action();
      ++count;
    }
    return count;
  }

 private:
  struct Event {
    double time_s;
    std::uint64_t order;
    std::uint32_t slot;
    bool operator>(const Event& other) const {
      return time_s != other.time_s ? time_s > other.time_s : order > other.order;
    }
  };
  double now_s_ = 0;
  std::uint64_t next_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::vector<std::function<void()>> actions_;
  std::vector<std::uint32_t> free_;
};

}  // namespace fleetsim::inference

#include <catch2/catch.hpp>

#include "sim/engine/timer_floor.hpp"

using namespace fleetsim;

// One slot, durations all 2 s and gaps all 1 s, 4 events asked for: arrival at 1 (its end set at 3), end at 3 (next
// arrival at 4), arrival at 4 (end at 6), end at 6 (arrival at 7); the arrival at 7 is the 5th event, which sets
// nothing. (One test case per process: runs on one SimGrid engine follow one another on the same clock.)
TEST_CASE("the SimGrid timer floor fires one slot's arrivals and ends in turn", "[engine]") {
  const TimerFloor floor = run_timer_floor(4, 1, {2.0}, {1.0});
  CHECK(floor.events == 5);
  CHECK(floor.simulated_s == 7.0);
  CHECK(floor.seconds >= 0);
}

// Two slots, first arrivals at gaps[0] = 1 and gaps[1] = 5; event i takes durations[i % 2] or gaps[i % 2]:
// 1: slot 0 arrives (i=0), ends at 1+10=11; 5: slot 1 arrives (i=1), ends at 5+20=25; 11: slot 0 ends (i=2),
// arrives again at 11+1=12; 12: it arrives (i=3), ends at 12+20=32; 25: slot 1 ends (i=4, past the 4 asked for:
// sets nothing); 32: slot 0 ends (i=5).
TEST_CASE("the SimGrid timer floor takes the draws in turn across slots", "[engine]") {
  const TimerFloor floor = run_timer_floor(4, 2, {10.0, 20.0}, {1.0, 5.0});
  CHECK(floor.events == 6);
  CHECK(floor.simulated_s == 32.0);
}

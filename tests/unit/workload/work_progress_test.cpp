#include <catch2/catch.hpp>

#include <cmath>

#include "sim/workload/work_progress.hpp"

using namespace fleetsim;

TEST_CASE("a run ends when its work runs out at its rate") {
  WorkProgress work;
  work.start(10, 100, 1);
  CHECK(work.end_s() == 110);
  work.start(10, 100, 0.5);  // a cap that halves the speed
  CHECK(work.end_s() == 210);
}

TEST_CASE("a rate change re-times the end from the work left at that instant") {
  WorkProgress work;
  work.start(10, 100, 1);
  work.set_rate(30, 0.5);  // 20 done, 80 left at half speed: 160 s more
  CHECK(work.done(30) == 20);
  CHECK(work.end_s() == 190);
  work.set_rate(50, 0);  // paused after 20 + 10 = 30 done
  CHECK(std::isinf(work.end_s()));
  CHECK(work.done(80) == 30);  // nothing done while paused
  work.set_rate(100, 2);  // 70 left at twice the speed
  CHECK(work.end_s() == 135);
  CHECK(work.remaining(120) == 30);
  CHECK(work.remaining_at_start() == 100);
}

TEST_CASE("a million rate changes leave the end exact (no drift)") {
  // Every second the rate switches between full speed and nearly paused (2^-40). After 1,000,000 changes
  // (t = 1,000,000 s) the work done is 500,000 + 500,000 x 2^-40 = 500,000.000000454747... exactly. With that
  // plus 100 to do and full speed from then on, the job ends at 1,000,100 s. A plain running sum loses every tiny
  // term once it passes 2^13 (measured below: it would end 4.5e-7 s late); the kept error terms do not.
  const double slow = std::ldexp(1.0, -40);
  const double done_exactly = 500'000 + 500'000 * slow;
  WorkProgress work;
  work.start(0, done_exactly + 100, 1.0);
  double naive_done = 0;
  for (int k = 1; k <= 1'000'000; ++k) {
    naive_done += 1.0 * (k % 2 == 1 ? 1.0 : slow);
    work.set_rate(k, k == 1'000'000 || k % 2 == 0 ? 1.0 : slow);
  }
  CHECK(work.done(1'000'000) == Approx(done_exactly).margin(1e-10));
  CHECK(work.end_s() == Approx(1'000'100.0).margin(1e-10));
  // What a plain sum would have made of it.
  CHECK(std::abs(naive_done - done_exactly) > 4e-7);
}

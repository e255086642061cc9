#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "sim/telemetry/writer_thread.hpp"

using namespace fleetsim;

TEST_CASE("the writer thread runs tasks in order and counts the time a post waited for room", "[telemetry]") {
  WriterThread writer;
  std::atomic<bool> started{false}, release{false};
  std::atomic<int> done{0};
  std::vector<int> order;
  // The first task holds the thread; kMaxWaiting more fill the queue, so the next post must wait.
  writer.post([&] {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    order.push_back(0);
    ++done;
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int queued = static_cast<int>(WriterThread::kMaxWaiting);
  for (int i = 1; i <= queued; ++i) writer.post([&, i] { order.push_back(i); ++done; });
  CHECK(writer.waited_s() == 0.0);  // nothing had to wait yet
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    release = true;
  });
  writer.post([&] { order.push_back(queued + 1); ++done; });  // waits until the first task ends
  releaser.join();
  writer.close();
  CHECK(done == queued + 2);
  REQUIRE(order.size() == static_cast<std::size_t>(queued + 2));
  for (int i = 0; i < queued + 2; ++i) CHECK(order[i] == i);
  CHECK(writer.waited_s() >= 0.04);  // about the 50 ms the first task was held
  CHECK(writer.waited_s() < 10.0);
}

TEST_CASE("the writer thread rethrows the first error at close and skips the tasks after it", "[telemetry]") {
  WriterThread writer;
  int ran = 0;
  writer.post([] { throw std::runtime_error("disk full"); });
  writer.post([&] { ++ran; });
  CHECK_THROWS_WITH(writer.close(), "disk full");
  CHECK(ran == 0);
}

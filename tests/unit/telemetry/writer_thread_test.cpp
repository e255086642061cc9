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

TEST_CASE("a poster that finds the queue full prepares waiting tasks itself, newest first, and writes keep their order",
          "[telemetry]") {
  WriterThread writer;
  std::atomic<bool> started{false}, release{false};
  const auto poster = std::this_thread::get_id();
  std::vector<int> order;
  const int queued = static_cast<int>(WriterThread::kMaxWaiting);
  std::vector<std::thread::id> prepared_by(queued + 2);
  writer.post([&] {  // holds the writer thread
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    order.push_back(0);
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 1; i <= queued; ++i)
    writer.post([&, i] { prepared_by[i] = std::this_thread::get_id(); }, [&, i] { order.push_back(i); });
  CHECK(writer.helped_s() == 0.0);
  // The queue is full: this post prepares every waiting task, newest first, instead of waiting for the writer.
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    release = true;
  });
  writer.post([&] { prepared_by[queued + 1] = std::this_thread::get_id(); }, [&] { order.push_back(queued + 1); });
  CHECK(prepared_by[queued] == poster);  // the newest waiting task was the poster's first
  releaser.join();
  writer.close();  // prepares what is still waiting on this thread, then waits for the writes
  REQUIRE(order.size() == static_cast<std::size_t>(queued + 2));
  for (int i = 0; i < queued + 2; ++i) CHECK(order[i] == i);
  for (int i = 1; i <= queued + 1; ++i) CHECK(prepared_by[i] != std::thread::id());  // each prepared once, by someone
  CHECK(writer.helped_s() > 0.0);
}

TEST_CASE("a failed prepare step is the writer's first error and later tasks are not written", "[telemetry]") {
  WriterThread writer;
  int written = 0;
  writer.post([] { throw std::runtime_error("zlib: compressing a chunk failed"); }, [&] { ++written; });
  writer.post([] {}, [&] { ++written; });
  CHECK_THROWS_WITH(writer.close(), Catch::Contains("compressing a chunk failed"));
  CHECK(written == 0);
}

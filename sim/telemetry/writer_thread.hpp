// The thread that runs a result file's HDF5 writes beside the simulation (Hdf5Recorder): tasks run in the order
// posted; the first error is kept and rethrown by close(). Only the HDF5 sink includes it.
#pragma once

#include <hdf5.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace fleetsim {

// Runs the HDF5 writes of a run on one thread beside the simulation, in the order posted: compression (zlib) of
// the job and time-series blocks overlaps the event loop. Between the recorder's begin() and finish() only this
// thread calls HDF5. At most kMaxWaiting tasks wait (a block of each campus's series comes due at the same tick,
// so a burst must not stall the simulation); beyond that the simulation waits for the writer (waited_s).
class WriterThread {
 public:
  static constexpr std::size_t kMaxWaiting = 32;
  WriterThread() : thread_([this] { loop(); }) {}
  ~WriterThread() { stop(); }

  void post(std::function<void()> task) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (tasks_.size() >= kMaxWaiting) {  // the writer is behind: the poster waits, and the time is counted
      const auto start = std::chrono::steady_clock::now();
      space_.wait(lock, [this] { return tasks_.size() < kMaxWaiting; });
      waited_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    tasks_.push_back(std::move(task));
    ready_.notify_one();
  }
  // Waits for every task, stops the thread; rethrows the first error.
  void close() {
    stop();
    if (error_) std::rethrow_exception(error_);
  }
  void close_quietly() { stop(); }
  // Seconds post() has waited for room so far (read by the posting thread).
  double waited_s() const { return waited_s_; }

 private:
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  void loop() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are exceptions, not printed (the stack is per thread)
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !tasks_.empty() || done_; });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      space_.notify_one();
      if (error_) continue;  // after a failure: drain without writing
      try {
        task();
      } catch (...) {
        error_ = std::current_exception();  // read by close() after the join
      }
    }
  }

  std::deque<std::function<void()>> tasks_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  bool done_ = false;
  double waited_s_ = 0;  // the posting thread's
  std::exception_ptr error_;
  std::thread thread_;  // last: started once the rest exists
};

}  // namespace fleetsim

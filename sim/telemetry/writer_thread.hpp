// The thread that runs a result file's HDF5 writes beside the simulation (Hdf5Recorder): tasks are written in the
// order posted; the first error is kept and rethrown by close(). Only the HDF5 sink includes it.
#pragma once

#include <hdf5.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace fleetsim {

// Runs the HDF5 writes of a run on one thread beside the simulation, in the order posted. A task may come in two
// steps: `prepare` (building rows, shuffling and deflating chunks: no HDF5 call, so any thread may run it) and
// `write` (the HDF5 calls, on this thread only: between the recorder's begin() and finish() only this thread calls
// HDF5). At most kMaxWaiting tasks wait (a block of each campus's series comes due at the same tick, so a burst
// must not stall the simulation). Beyond that the posting thread does not sit idle: it prepares waiting tasks
// itself, newest first (helped_s), and only waits (waited_s) when none is left to prepare. close() likewise
// prepares what is left before it waits for the writes. One thread posts (the simulation's).
class WriterThread {
 public:
  static constexpr std::size_t kMaxWaiting = 32;
  WriterThread() : thread_([this] { loop(); }) {}
  ~WriterThread() { stop(); }

  void post(std::function<void()> write) { post({}, std::move(write)); }
  void post(std::function<void()> prepare, std::function<void()> write) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (tasks_.size() >= kMaxWaiting) {  // the writer is behind: help it, or wait and count the time
      const auto start = std::chrono::steady_clock::now();
      if (help_one(lock)) {
        helped_s_ += seconds_since(start);
        continue;
      }
      space_.wait(lock, [this] { return tasks_.size() < kMaxWaiting; });  // only this thread adds tasks
      waited_s_ += seconds_since(start);
    }
    auto task = std::make_unique<Task>();
    task->prepare = std::move(prepare);
    task->write = std::move(write);
    tasks_.push_back(std::move(task));
    ready_.notify_one();
  }
  // Prepares what is left, waits for every write, stops the thread; rethrows the first error.
  void close() {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const auto start = std::chrono::steady_clock::now();
      while (help_one(lock)) {
      }
      helped_s_ += seconds_since(start);
    }
    stop();
    if (error_) std::rethrow_exception(error_);
  }
  void close_quietly() { stop(); }
  // Seconds post() has waited for room, and seconds post() and close() have spent preparing tasks for the
  // writer (both read by the posting thread).
  double waited_s() const { return waited_s_; }
  double helped_s() const { return helped_s_; }

 private:
  struct Task {
    std::function<void()> prepare, write;
    enum State { kWaiting, kPreparing, kReady } state = kWaiting;
    std::exception_ptr error;  // from prepare
  };
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  // The newest task still to prepare (the writer takes the oldest), or nullptr; under the lock.
  Task* waiting_to_prepare() {
    for (auto task = tasks_.rbegin(); task != tasks_.rend(); ++task)
      if ((*task)->state == Task::kWaiting && (*task)->prepare) return task->get();
    return nullptr;
  }
  // Prepares the newest waiting task outside the lock; false when none waits.
  bool help_one(std::unique_lock<std::mutex>& lock) {
    Task* task = waiting_to_prepare();
    if (!task) return false;
    prepare(*task, lock);
    return true;
  }
  // A Task stays in tasks_ (and at its address) until the writer has taken it, which waits for it to be ready.
  void prepare(Task& task, std::unique_lock<std::mutex>& lock) {
    task.state = Task::kPreparing;
    lock.unlock();
    try {
      task.prepare();
    } catch (...) {
      task.error = std::current_exception();
    }
    lock.lock();
    task.state = Task::kReady;
    prepared_.notify_all();
  }
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
      std::unique_ptr<Task> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !tasks_.empty() || done_; });
        if (tasks_.empty()) return;
        Task& front = *tasks_.front();
        if (front.state == Task::kWaiting && front.prepare && !error_) prepare(front, lock);
        prepared_.wait(lock, [&front] { return front.state != Task::kPreparing; });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      space_.notify_one();
      if (error_) continue;  // after a failure: drain without writing
      if (task->error) {
        error_ = task->error;
        continue;
      }
      try {
        task->write();
      } catch (...) {
        error_ = std::current_exception();  // read by close() after the join
      }
    }
  }

  std::deque<std::unique_ptr<Task>> tasks_;
  std::mutex mutex_;
  std::condition_variable ready_, space_, prepared_;
  bool done_ = false;
  double waited_s_ = 0, helped_s_ = 0;  // the posting thread's
  std::exception_ptr error_;            // the writer thread's until the join
  std::thread thread_;                  // last: started once the rest exists
};

}  // namespace fleetsim

#pragma once
// An exclusive flock(2) on a lock file: how a sweep owns its directory (DIR/sweep.lock) and how whoever runs a
// point owns it (DIR/points/<id>.lock). The kernel releases a lock when the last descriptor of it is closed, so a
// lock is never left held by a process that died, and a child that inherits the descriptor (a point's process)
// holds the lock as long as it runs, even when its parent is gone.
#include <sys/types.h>

#include <optional>
#include <string>

namespace fleetsim {

class FileLock {
 public:
  // Takes the lock without waiting, creating the file (never through a link) and writing this process's pid in
  // it. nullopt when another process holds it; then *holder is its pid when the file names one, else 0.
  // Throws std::runtime_error when the file cannot be created or locked for another reason.
  static std::optional<FileLock> try_acquire(const std::string& path, pid_t* holder = nullptr);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();  // release()

  // The locked descriptor (close-on-exec): a child given it (fork, or dup2 before exec) shares the lock.
  int fd() const { return fd_; }
  // Removes the file while still holding the lock, then closes: the lock is free and no lock file is left. A
  // process that opened the file just before takes a lock on a removed file, which try_acquire detects (it
  // compares the locked file with the one the path names) and retries.
  void release();

 private:
  FileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace fleetsim

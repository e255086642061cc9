#include "sim/sweep/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace fleetsim {

namespace {

pid_t read_pid(int fd) {
  char text[32] = {0};
  const ssize_t length = pread(fd, text, sizeof text - 1, 0);
  if (length <= 0) return 0;
  const long pid = std::strtol(text, nullptr, 10);
  return pid > 0 ? static_cast<pid_t>(pid) : 0;
}

}  // namespace

std::optional<FileLock> FileLock::try_acquire(const std::string& path, pid_t* holder) {
  if (holder) *holder = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open lock file " + path + ": " + std::strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      if (error == EWOULDBLOCK) {
        if (holder) *holder = read_pid(fd);
        close(fd);
        return std::nullopt;
      }
      close(fd);
      throw std::runtime_error("cannot lock " + path + ": " + std::strerror(error));
    }
    // Locked: but is it still the file the path names? (Its holder may have removed it between our open and
    // our flock; then a third process can create and lock a new one.) If not, try again with the new file.
    struct stat named {}, locked {};
    if (stat(path.c_str(), &named) == 0 && fstat(fd, &locked) == 0 && named.st_dev == locked.st_dev &&
        named.st_ino == locked.st_ino) {
      const std::string pid = std::to_string(getpid()) + "\n";
      if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        const std::string reason = std::strerror(errno);
        close(fd);
        throw std::runtime_error("cannot write lock file " + path + ": " + reason);
      }
      return FileLock(path, fd);
    }
    close(fd);
  }
  throw std::runtime_error("cannot lock " + path + ": it keeps being replaced");
}

FileLock::FileLock(FileLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() {
  if (fd_ < 0) return;
  unlink(path_.c_str());  // while locked: whoever locks the path next has a new file
  close(fd_);
  fd_ = -1;
}

}  // namespace fleetsim

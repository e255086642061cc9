#include "sim/sweep/atomic_text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace fleetsim {

void write_text_atomically(const std::string& path, const std::string& text) {
  struct stat status {};
  if (lstat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode))
    throw std::runtime_error(path + " exists and is not a regular file (it is never replaced)");
  const std::string temporary = path + "." + std::to_string(getpid()) + ".tmp";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + temporary + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool whole = written == text.size() && fsync(fd) == 0;
  const int error = errno;
  close(fd);
  if (!whole || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int failure = whole ? errno : error;
    unlink(temporary.c_str());  // ours: created exclusively above
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(failure));
  }
}

}  // namespace fleetsim

#include "sim/core/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fleetsim {

namespace {

// A file descriptor as a std::streambuf over read(2): a failed read throws std::system_error with its errno.
class FileBytes final : public std::streambuf {
 public:
  explicit FileBytes(int fd) : fd_(fd) {}
  ~FileBytes() override { ::close(fd_); }
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    // Keep the last byte read before the buffer, so that one byte can always be put back (the BOM check).
    std::size_t kept = 0;
    if (egptr() != nullptr && egptr() > eback()) {
      buffer_[0] = egptr()[-1];
      kept = 1;
    }
    for (;;) {
      const ssize_t got = ::read(fd_, buffer_ + kept, sizeof buffer_ - kept);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw std::system_error(errno, std::generic_category());
      if (got == 0) return traits_type::eof();
      setg(buffer_, buffer_ + kept, buffer_ + kept + got);
      return traits_type::to_int_type(*gptr());
    }
  }

 private:
  int fd_;
  char buffer_[1 << 16];
};

std::unique_ptr<std::streambuf> open_regular_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO without a writer would wait forever; it is refused below anyway.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw InputError({path, 0}, "file", std::string("cannot be opened: ") + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    throw InputError({path, 0}, "file", "not a regular file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return std::make_unique<FileBytes>(fd);
}

// Skips the UTF-8 byte order mark EF BB BF that some tools write at the start of a text file (The Unicode
// Standard, section 23.8). A read error here is one of line 1.
void skip_byte_order_mark(std::streambuf& bytes, const std::string& name) {
  try {
    static constexpr unsigned char mark[] = {0xEF, 0xBB, 0xBF};
    int matched = 0;
    while (matched < 3 && bytes.sgetc() == mark[matched]) {
      bytes.sbumpc();
      ++matched;
    }
    if (matched == 3) return;
    while (matched > 0) bytes.sputbackc(static_cast<char>(mark[--matched]));
  } catch (const std::system_error& error) {
    throw read_error(name, 1, error);
  }
}

}  // namespace

InputFile::InputFile(const std::string& path) : InputFile(path, open_regular_file(path)) {}

InputFile::InputFile(std::string name, std::unique_ptr<std::streambuf> bytes)
    : name_(std::move(name)), bytes_(std::move(bytes)), stream_(bytes_.get()) {
  skip_byte_order_mark(*bytes_, name_);
}

std::string read_small_file(const std::string& path, std::size_t max_bytes, const std::string& what) {
  InputFile file(path);
  std::string text;
  char chunk[1 << 16];
  try {
    for (std::streamsize got; (got = file.stream().rdbuf()->sgetn(chunk, sizeof chunk)) > 0;) {
      if (text.size() + static_cast<std::size_t>(got) > max_bytes)
        throw InputError({path, 0}, "file", "larger than " + std::to_string(max_bytes >> 20) + " MiB: not " + what);
      text.append(chunk, static_cast<std::size_t>(got));
    }
  } catch (const std::system_error& error) {
    throw read_error(path, 1 + static_cast<long>(std::count(text.begin(), text.end(), '\n')), error);
  }
  return text;
}

InputError read_error(const std::string& path, long line, const std::system_error& error) {
  return InputError({path, static_cast<int>(line)}, "read error", error.code().message());
}

}  // namespace fleetsim

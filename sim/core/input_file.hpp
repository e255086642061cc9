#pragma once
// A data file opened for reading (a trace, a CSV series or node list): a regular file read through read(2), so
// that a read error (EIO on a failing disk, EISDIR...) is an error naming the file and line instead of looking like
// the end of the file, which is what std::filebuf makes of it. A UTF-8 byte order mark at the start is skipped.
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <system_error>

#include "sim/core/input_error.hpp"

namespace fleetsim {

class InputFile {
 public:
  // Opens `path`: InputError "PATH:0: file: cannot be opened: <strerror>", or "not a regular file" for a directory,
  // a device or a pipe (which would read as nothing or never end). Never blocks on a FIFO.
  explicit InputFile(const std::string& path);
  // Reads from any byte source instead, named `name` in messages: the seam through which tests feed bytes, and a
  // failing source, to the same readers. A source reports a read error by throwing std::system_error.
  InputFile(std::string name, std::unique_ptr<std::streambuf> bytes);

  InputFile(InputFile&&) = delete;  // stream_ points at bytes_
  InputFile& operator=(InputFile&&) = delete;

  const std::string& name() const { return name_; }
  std::istream& stream() { return stream_; }

 private:
  std::string name_;
  std::unique_ptr<std::streambuf> bytes_;
  std::istream stream_;
};

// The whole of a small text file (a scenario, a sweep file, a sweep plan), read through InputFile: a regular file
// of at most `max_bytes` ("PATH:0: file: larger than N MiB: not <what>"), read errors named with their line.
std::string read_small_file(const std::string& path, std::size_t max_bytes, const std::string& what);
constexpr std::size_t kMaxTextFileBytes = std::size_t(64) << 20;

// The error for a read that failed on line `line` of `path`: "PATH:LINE: read error: <strerror>". Readers call it
// where they catch the std::system_error a source throws.
InputError read_error(const std::string& path, long line, const std::system_error& error);

}  // namespace fleetsim

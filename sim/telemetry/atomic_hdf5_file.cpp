#include "sim/telemetry/atomic_hdf5_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "sim/telemetry/hdf5_sink.hpp"

namespace fleetsim {

// Unique per process: two writers of the same output never share (or delete) each other's temporary file.
std::string temporary_path(const std::string& path) { return path + "." + std::to_string(getpid()) + ".tmp"; }

namespace hdf5 {

namespace {

std::string reason() { return std::strerror(errno); }

// Only a regular file is ever replaced: never a directory, a device or a link (nor what it points to).
void refuse_non_regular(const std::string& path) {
  struct stat status {};
  if (lstat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode))
    throw std::runtime_error(path + " exists and is not a regular file (it is never replaced)");
}

// Whether `path` names the file open as `fd` (not a file put there since by someone else).
bool names_file(const std::string& path, int fd) {
  struct stat named {}, open {};
  return lstat(path.c_str(), &named) == 0 && fstat(fd, &open) == 0 && named.st_dev == open.st_dev &&
         named.st_ino == open.st_ino;
}

void sync_directory_of(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  const int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    const std::string why = reason();
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot write directory " + directory + " to disk: " + why);
  }
  close(fd);
}

}  // namespace

AtomicHdf5File::AtomicHdf5File(std::string path) : path_(std::move(path)), temporary_(temporary_path(path_)) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by exceptions, not printed
  refuse_non_regular(path_);
  fd_ = open(temporary_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot create " + temporary_ + ": " + reason());
  // HDF5 1.10 opens by name only; the name was created by us an instant ago and is checked again at commit().
  file_ = H5Fcreate(temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file_ < 0 || !names_file(temporary_, fd_)) {
    discard();
    throw std::runtime_error("HDF5: cannot create " + temporary_);
  }
}

AtomicHdf5File::~AtomicHdf5File() { discard(); }

void AtomicHdf5File::discard() {
  if (file_ >= 0) H5Fclose(file_);
  file_ = -1;
  if (fd_ >= 0) {
    if (!committed_ && names_file(temporary_, fd_)) unlink(temporary_.c_str());  // ours, unfinished
    close(fd_);
  }
  fd_ = -1;
}

void AtomicHdf5File::commit() {
  const herr_t closed = H5Fclose(file_);
  file_ = -1;
  if (closed < 0) throw std::runtime_error("HDF5: closing " + temporary_ + " failed");
  // The data reaches the disk before the name does: a crash after the rename never leaves a name with half a file.
  if (fsync(fd_) != 0) throw std::runtime_error("cannot write " + temporary_ + " to disk: " + reason());
  if (!names_file(temporary_, fd_))
    throw std::runtime_error(temporary_ + " was replaced by another file while it was written");
  refuse_non_regular(path_);
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot rename " + temporary_ + " to " + path_ + ": " + reason());
  committed_ = true;
  sync_directory_of(path_);  // the rename itself is durable
}

}  // namespace hdf5
}  // namespace fleetsim

#pragma once
// The one way fleetsim writes an HDF5 file in place of `path` (a run's result through Hdf5Recorder, the sweep
// index through write_file_atomically). Internal to sim/telemetry: includes <hdf5.h>.
#include <hdf5.h>

#include <string>

namespace fleetsim::hdf5 {

// An HDF5 file written under a temporary name and put in place only when whole:
//  - refuses (std::runtime_error) when `path` exists and is not a regular file: a link, a directory or a device
//    is never replaced;
//  - creates temporary_path(path) (`path.<pid>.tmp`, hdf5_sink.hpp) exclusively, O_EXCL | O_NOFOLLOW: never
//    through a link, never over another writer's file;
//  - commit() closes the file checking HDF5's close (a full disk shows there; every object in the file must be
//    closed before), fsyncs it, checks that the temporary name still holds the file it created, renames it to
//    `path` and fsyncs the directory;
//  - destroyed before commit() (any failure, an exception), it removes its temporary file, and only its own.
class AtomicHdf5File {
 public:
  explicit AtomicHdf5File(std::string path);
  ~AtomicHdf5File();
  AtomicHdf5File(const AtomicHdf5File&) = delete;
  AtomicHdf5File& operator=(const AtomicHdf5File&) = delete;

  hid_t id() const { return file_; }
  operator hid_t() const { return file_; }
  const std::string& temporary() const { return temporary_; }
  void commit();

 private:
  void discard();  // closes without checking; removes the temporary file unless committed
  std::string path_, temporary_;
  int fd_ = -1;      // the temporary file as created: synced through it, compared with what the name holds
  hid_t file_ = -1;  // the HDF5 file open on the temporary name
  bool committed_ = false;
};

// Writes `path` whole or not at all: `write` fills the open file (and closes every object it opens).
template <class Write>
void write_file_atomically(const std::string& path, Write&& write) {
  AtomicHdf5File file(path);
  write(file.id());
  file.commit();
}

}  // namespace fleetsim::hdf5

#pragma once
// The files of a sweep directory (SCHEMA.md, "Sweep index") and each point's status, read from them:
// done = the result file exists (it is renamed into place only when whole), failed = an error record
// exists, pending = neither.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fleetsim {

enum class PointStatus { pending, done, failed };
const char* to_string(PointStatus status);

struct PointError {
  int exit_code = 1;     // the run's exit code; -1 when the process died without one
  std::string message;   // one line
};

class SweepDirectory {
 public:
  explicit SweepDirectory(std::string root);
  const std::string& root() const { return root_; }

  std::string plan() const { return root_ + "/plan.tsv"; }
  std::string index() const { return root_ + "/sweep.h5"; }
  std::string sweep_file() const { return root_ + "/sweep.toml"; }
  std::string result(const std::string& id) const { return root_ + "/points/" + id + ".h5"; }
  std::string result_relative(const std::string& id) const { return "points/" + id + ".h5"; }
  std::string stats(const std::string& id) const { return root_ + "/points/" + id + ".stats.json"; }
  std::string error(const std::string& id) const { return root_ + "/points/" + id + ".err"; }
  std::string log(const std::string& id) const { return root_ + "/logs/" + id + ".log"; }
  std::string slurm_dir() const { return root_ + "/slurm"; }
  // Held by the sweep (or `sweep collect`) using the directory, for its whole life (FileLock).
  std::string lock() const { return root_ + "/sweep.lock"; }
  // Held by whoever runs the point (the sweep or SLURM task that started it, and the point's process).
  std::string point_lock(const std::string& id) const { return root_ + "/points/" + id + ".lock"; }

  // Creates root, points/, logs/ and slurm/.
  void create() const;

  PointStatus status(const std::string& id) const;
  std::optional<PointError> read_error(const std::string& id) const;
  void write_error(const std::string& id, const PointError& error) const;
  // Removes a previous attempt's error record and statistics (before a retry).
  void clear_attempt(const std::string& id) const;
  // The temporary files of the points' writers (points/<id>.h5.<pid>.tmp, <id>.err.<pid>.tmp), by point id:
  // one scan of points/.
  std::map<std::string, std::vector<std::string>> point_temporaries() const;
  // Removes a point's temporary files (those of point_temporaries() still regular files): call only while
  // holding the point's lock, which every writer of them holds, so they are provably stale. Returns how many.
  std::size_t remove_stale_temporaries(const std::vector<std::string>& paths) const;
  // Removes the index's temporary files left by a killed sweep (sweep.h5.<pid>.tmp): call only while holding
  // the directory's lock, which every index writer holds.
  std::size_t remove_stale_index_temporaries() const;
  // Removes a done point's lock file that a sweep killed between the point's end and its settling left behind,
  // unless someone holds it (taking the lock and releasing it unlinks the file). True when it was removed.
  bool remove_stale_lock(const std::string& id) const;
  // The run's wall time from its statistics file, NaN when unknown.
  double wall_s(const std::string& id) const;
  // The last non-empty line of the point's log (its error line, when the run failed).
  std::string last_log_line(const std::string& id) const;

 private:
  std::string root_;
};

}  // namespace fleetsim

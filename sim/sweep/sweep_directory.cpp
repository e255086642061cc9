#include "sim/sweep/sweep_directory.hpp"

#include "sim/sweep/atomic_text_file.hpp"
#include "sim/sweep/file_lock.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>
#include <sstream>
#include <stdexcept>

namespace fleetsim {

namespace fs = std::filesystem;

const char* to_string(PointStatus status) {
  switch (status) {
    case PointStatus::done: return "done";
    case PointStatus::failed: return "failed";
    default: return "pending";
  }
}

SweepDirectory::SweepDirectory(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

void SweepDirectory::create() const {
  for (const char* sub : {"points", "logs", "slurm"}) fs::create_directories(fs::path(root_) / sub);
}

PointStatus SweepDirectory::status(const std::string& id) const {
  std::error_code ignored;
  if (fs::is_regular_file(result(id), ignored)) return PointStatus::done;
  if (fs::is_regular_file(error(id), ignored)) return PointStatus::failed;
  return PointStatus::pending;
}

std::optional<PointError> SweepDirectory::read_error(const std::string& id) const {
  std::ifstream in(error(id));
  if (!in) return std::nullopt;
  PointError record;
  std::string first;
  std::getline(in, first);
  if (std::sscanf(first.c_str(), "exit %d", &record.exit_code) != 1) record.exit_code = -1;
  std::getline(in, record.message);
  return record;
}

void SweepDirectory::write_error(const std::string& id, const PointError& record) const {
  write_text_atomically(error(id), "exit " + std::to_string(record.exit_code) + "\n" + record.message + "\n");
}

namespace {

// The files in `folder` named <stem>.<pid>.tmp (a writer's temporary file), by <stem>.
std::map<std::string, std::vector<std::string>> temporaries_in(const fs::path& folder) {
  std::map<std::string, std::vector<std::string>> found;
  std::error_code ignored;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".tmp") != 0) continue;
    const std::size_t dot = name.rfind('.', name.size() - 5);
    if (dot == std::string::npos || dot + 1 == name.size() - 4) continue;
    const std::string pid = name.substr(dot + 1, name.size() - 4 - dot - 1);
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    found[name.substr(0, dot)].push_back(entry.path().string());
  }
  return found;
}

// Removes what is still a regular file (a link or a folder put there is not a writer's and is left alone).
std::size_t remove_regular(const std::vector<std::string>& paths) {
  std::size_t removed = 0;
  std::error_code ignored;
  for (const std::string& path : paths)
    if (fs::symlink_status(path, ignored).type() == fs::file_type::regular && fs::remove(path, ignored)) ++removed;
  return removed;
}

}  // namespace

std::map<std::string, std::vector<std::string>> SweepDirectory::point_temporaries() const {
  std::map<std::string, std::vector<std::string>> by_point;
  for (auto& [stem, paths] : temporaries_in(fs::path(root_) / "points")) {
    // <id>.h5 (a result being written) or <id>.err (an error record being written)
    const std::size_t dot = stem.rfind('.');
    if (dot == std::string::npos || (stem.compare(dot, std::string::npos, ".h5") != 0 &&
                                     stem.compare(dot, std::string::npos, ".err") != 0))
      continue;
    auto& list = by_point[stem.substr(0, dot)];
    list.insert(list.end(), paths.begin(), paths.end());
  }
  return by_point;
}

std::size_t SweepDirectory::remove_stale_temporaries(const std::vector<std::string>& paths) const {
  return remove_regular(paths);
}

std::size_t SweepDirectory::remove_stale_index_temporaries() const {
  return remove_regular(temporaries_in(root_)["sweep.h5"]);
}

bool SweepDirectory::remove_stale_lock(const std::string& id) const {
  if (!fs::exists(point_lock(id))) return false;
  std::optional<FileLock> lock = FileLock::try_acquire(point_lock(id));
  if (!lock) return false;
  lock->release();
  return true;
}

void SweepDirectory::clear_attempt(const std::string& id) const {
  std::error_code ignored;
  fs::remove(error(id), ignored);
  fs::remove(stats(id), ignored);
}

double SweepDirectory::wall_s(const std::string& id) const {
  std::ifstream in(stats(id));
  if (!in) return NAN;
  std::ostringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  // The statistics file is the flat JSON object fleetsim run --stats writes; total_s is one of its keys.
  const std::size_t key = json.find("\"total_s\":");
  if (key == std::string::npos) return NAN;
  return std::strtod(json.c_str() + key + 10, nullptr);
}

std::string SweepDirectory::last_log_line(const std::string& id) const {
  std::ifstream in(log(id));
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  return last;
}

}  // namespace fleetsim

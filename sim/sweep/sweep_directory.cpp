#include "sim/sweep/sweep_directory.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
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
  const std::string path = error(id);
  {
    std::ofstream out(path + ".tmp", std::ios::trunc);
    out << "exit " << record.exit_code << "\n" << record.message << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + path + ".tmp");
  }
  fs::rename(path + ".tmp", path);
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

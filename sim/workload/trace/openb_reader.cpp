#include "sim/workload/trace/openb_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "sim/core/input_error.hpp"
#include "sim/workload/trace/csv_row.hpp"

namespace fleetsim {

namespace {

std::ifstream open_csv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError({path, 0}, "file", std::string("cannot be opened: ") + std::strerror(errno));
  return file;
}

bool is_blank(const std::vector<std::string>& fields) { return fields.size() == 1 && fields[0].empty(); }

// The header's column names; a UTF-8 byte order mark before the first one is dropped.
std::vector<std::string> read_header(std::istream& in, const std::string& path, long& line) {
  std::vector<std::string> names;
  while (read_csv_row(in, names, line)) {
    if (is_blank(names)) continue;
    if (names[0].rfind("\xEF\xBB\xBF", 0) == 0) names[0].erase(0, 3);
    return names;
  }
  throw InputError({path, static_cast<int>(line)}, "header", "missing: the file is empty, a header line was expected");
}

std::string joined(const std::vector<std::string>& names, const char* separator) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}

int column_index(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

// Index of every required column in the header, in the order asked; one error names all missing ones.
std::vector<int> required_columns(const std::vector<std::string>& header, const std::vector<std::string>& names,
                                  const std::string& path, long line) {
  std::vector<int> indexes;
  std::vector<std::string> missing;
  for (const auto& name : names) {
    indexes.push_back(column_index(header, name));
    if (indexes.back() < 0) missing.push_back(name);
  }
  if (!missing.empty())
    throw InputError({path, static_cast<int>(line)}, "header",
                     std::string(missing.size() == 1 ? "missing column " : "missing columns ") + joined(missing, ", "),
                     joined(header, ","));
  return indexes;
}

// A finite decimal number filling the whole field.
bool parse_number(const std::string& field, double& value) {
  if (field.empty() || std::isspace(static_cast<unsigned char>(field[0]))) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(field.c_str(), &end);
  return end == field.c_str() + field.size() && errno != ERANGE && std::isfinite(value);
}

// One data row: typed access to its fields, errors naming file, line and column.
class Row {
 public:
  Row(const std::string& path, int line, const std::vector<std::string>& header, const std::vector<std::string>& fields)
      : path_(path), line_(line), header_(header), fields_(fields) {
    if (csv_row_had_unterminated_quote()) fail("row", "has a quoted field that is never closed", "end of file");
    if (fields.size() != header.size())
      fail("row", "expected " + std::to_string(header.size()) + " fields like the header",
           std::to_string(fields.size()));
  }

  const std::string& text(int column) const {
    static const std::string absent;
    return column < 0 ? absent : fields_[column];
  }

  double number(int column) const {
    double value = 0;
    if (!parse_number(fields_[column], value)) fail(column, "must be a number");
    return value;
  }

  std::int64_t whole(int column, std::int64_t max) const {
    double value = 0;
    if (!parse_number(fields_[column], value) || value != std::floor(value) || value < 0 ||
        value > static_cast<double>(max))
      fail(column, max == kNoLimit ? std::string("must be a whole number >= 0")
                                   : "must be a whole number from 0 to " + std::to_string(max));
    return static_cast<std::int64_t>(value);
  }

  [[noreturn]] void fail(int column, const std::string& problem) const {
    const std::string& field = fields_[column];
    fail(header_[column], problem, field.empty() ? "an empty field" : field);
  }
  [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& got) const {
    throw InputError({path_, line_}, key, problem, got);
  }

  static constexpr std::int64_t kNoLimit = std::int64_t(1) << 52;  // exact in a double

 private:
  const std::string& path_;
  int line_;
  const std::vector<std::string>& header_;
  const std::vector<std::string>& fields_;
};

class OpenbPodReader final : public TraceReader {
 public:
  OpenbPodReader(const std::string& path, const TraceOptions& options)
      : path_(path), options_(options), file_(open_csv(path)) {
    header_ = read_header(file_, path_, line_);
    const auto index = required_columns(
        header_, {"name", "num_gpu", "gpu_milli", "creation_time", "deletion_time", "scheduled_time"}, path_, line_);
    name_ = index[0];
    num_gpu_ = index[1];
    gpu_milli_ = index[2];
    creation_ = index[3];
    deletion_ = index[4];
    scheduled_ = index[5];
    gpu_spec_ = column_index(header_, "gpu_spec");
    qos_ = column_index(header_, "qos");
    pod_phase_ = column_index(header_, "pod_phase");
    cpu_milli_ = column_index(header_, "cpu_milli");
    memory_mib_ = column_index(header_, "memory_mib");
  }

  bool next(TraceJob& job) override {
    while (true) {
      const long row_line = line_ + 1;
      if (!read_csv_row(file_, fields_, line_)) break;
      if (is_blank(fields_)) continue;
      try {
        job = parse(Row(path_, static_cast<int>(row_line), header_, fields_));
        return true;
      } catch (const InputError& error) {
        if (!options_.skip_bad_rows) throw;
        note_bad_row(error.what());
      }
    }
    if (file_.bad()) throw InputError({path_, static_cast<int>(line_)}, "file", "read error");
    return false;
  }

 private:
  TraceJob parse(const Row& row) const {
    TraceJob job;
    job.id = row.text(name_);
    if (job.id.empty()) row.fail(name_, "must not be empty");
    const std::int64_t num_gpu = row.whole(num_gpu_, Row::kNoLimit);
    const std::int64_t gpu_milli = row.whole(gpu_milli_, 1000);
    job.gpus = static_cast<double>(num_gpu) * static_cast<double>(gpu_milli) / 1000.0;
    job.nodes = 1;
    const double creation = row.number(creation_);
    const double deletion = row.number(deletion_);
    const bool scheduled = !row.text(scheduled_).empty();
    const double start = scheduled ? row.number(scheduled_) : creation;  // unscheduled: its whole life was waiting
    if (start < creation) row.fail(scheduled_, "must not be before creation_time " + row.text(creation_));
    if (deletion < start)
      row.fail(deletion_, std::string("must not be before ") + (scheduled ? "scheduled_time " : "creation_time ") +
                              row.text(scheduled ? scheduled_ : creation_));
    job.submit_s = creation;
    job.duration_s = deletion - start;
    job.gpu_model = row.text(gpu_spec_);
    job.qos = row.text(qos_);
    job.status = row.text(pod_phase_);
    if (cpu_milli_ >= 0) job.cpu_milli = static_cast<double>(row.whole(cpu_milli_, Row::kNoLimit));
    if (memory_mib_ >= 0) job.memory_mib = static_cast<double>(row.whole(memory_mib_, Row::kNoLimit));
    return job;
  }

  std::string path_;
  TraceOptions options_;
  std::ifstream file_;
  long line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  int name_ = -1, num_gpu_ = -1, gpu_milli_ = -1, creation_ = -1, deletion_ = -1, scheduled_ = -1;
  int gpu_spec_ = -1, qos_ = -1, pod_phase_ = -1, cpu_milli_ = -1, memory_mib_ = -1;  // optional
};

}  // namespace

std::unique_ptr<TraceReader> open_openb_trace(const std::string& path, const TraceOptions& options) {
  return std::make_unique<OpenbPodReader>(path, options);
}

std::vector<OpenbNode> read_openb_nodes(const std::string& path) {
  std::ifstream file = open_csv(path);
  long line = 0;
  const auto header = read_header(file, path, line);
  const auto index = required_columns(header, {"sn", "cpu_milli", "memory_mib", "gpu", "model"}, path, line);
  std::vector<OpenbNode> nodes;
  std::vector<std::string> fields;
  while (true) {
    const long row_line = line + 1;
    if (!read_csv_row(file, fields, line)) break;
    if (is_blank(fields)) continue;
    const Row row(path, static_cast<int>(row_line), header, fields);
    OpenbNode node;
    node.name = row.text(index[0]);
    if (node.name.empty()) row.fail(index[0], "must not be empty");
    node.cpu_milli = row.whole(index[1], Row::kNoLimit);
    node.memory_mib = row.whole(index[2], Row::kNoLimit);
    node.gpus = static_cast<int>(row.whole(index[3], 1024));
    node.model = row.text(index[4]);
    if (node.gpus > 0 && node.model.empty()) row.fail(index[4], "must name the GPU model of a node with GPUs");
    nodes.push_back(std::move(node));
  }
  if (file.bad()) throw InputError({path, static_cast<int>(line)}, "file", "read error");
  return nodes;
}

}  // namespace fleetsim

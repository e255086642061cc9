#include "sim/workload/trace/trace_reader.hpp"

#include <functional>
#include <map>
#include <stdexcept>

#include "sim/workload/trace/helios_reader.hpp"
#include "sim/workload/trace/openb_reader.hpp"
#include "sim/workload/trace/pai_reader.hpp"
#include "sim/workload/trace/philly_reader.hpp"
#include "sim/workload/trace/swf_reader.hpp"

namespace fleetsim {

namespace {
using Opener = std::function<std::unique_ptr<TraceReader>(const std::string&, const TraceOptions&)>;
const std::map<std::string, Opener>& openers() {
  static const std::map<std::string, Opener> formats = {
      {"swf", open_swf_trace},
      {"philly", open_philly_trace},
      {"helios", open_helios_trace},
      {"acme", open_acme_trace},
      {"alibaba-pai-2020", open_pai_trace},
      {"alibaba-openb-2023", open_openb_trace},
  };
  return formats;
}
}  // namespace

std::unique_ptr<TraceReader> open_trace(const std::string& format, const std::string& path, const TraceOptions& options) {
  auto found = openers().find(format);
  if (found == openers().end()) throw std::invalid_argument("unknown trace format \"" + format + "\"");
  return found->second(path, options);
}

std::vector<std::string> trace_reader_formats() {
  std::vector<std::string> names;
  for (const auto& [name, opener] : openers()) names.push_back(name);
  return names;
}

}  // namespace fleetsim

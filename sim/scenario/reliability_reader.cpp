#include "sim/scenario/reliability_reader.hpp"

#include <algorithm>
#include <map>

#include "sim/core/name_list.hpp"

namespace fleetsim {

namespace {

// Exposure of the Llama 3 run: 16,384 GPUs (2,048 servers of 8) for 54 days = 1,296 h.
constexpr double kLlamaGpuHours = 16384.0 * 54 * 24;
constexpr double kLlamaNodeHours = 2048.0 * 54 * 24;

struct Preset {
  const char* name;
  FailureClass::Per per;
  int interruptions;   // Table 5 count
  const char* group;   // which `repair` key applies
  const char* rows;    // Table 5 rows it covers
};

// Grattafiori et al. 2024, Table 5 ("Root-cause categorization of unexpected interruptions during a 54-day period
// of Llama 3 405B pre-training"); the counts sum to 419. GPU classes are rates per GPU-hour, the others per
// server-hour. The table's own percentages match count / 419 except "Faulty GPU" (148 = 35.3%, printed 30.1%).
constexpr Preset kLlama3[] = {
    {"gpu", FailureClass::Per::gpu, 148, "gpu", "Faulty GPU (incl. NVLink)"},
    {"hbm", FailureClass::Per::gpu, 72, "gpu", "GPU HBM3 Memory"},
    {"gpu_sram", FailureClass::Per::gpu, 19, "gpu", "GPU SRAM Memory"},
    {"gpu_system_processor", FailureClass::Per::gpu, 17, "gpu", "GPU System Processor"},
    {"gpu_thermal", FailureClass::Per::gpu, 6, "gpu", "GPU Thermal Interface + Sensor"},
    {"sdc", FailureClass::Per::gpu, 6, "gpu", "Silent Data Corruption"},
    {"software", FailureClass::Per::node, 54, "software", "Software Bug"},
    {"dependency", FailureClass::Per::node, 2, "software", "Dependency"},
    {"nccl_timeout", FailureClass::Per::node, 7, "software", "NCCL Watchdog Timeouts (cause unknown)"},
    {"network", FailureClass::Per::node, 35, "network", "Network Switch/Cable"},
    {"nic", FailureClass::Per::node, 7, "network", "NIC"},
    {"host_maintenance", FailureClass::Per::node, 32, "host", "Host Maintenance (unplanned)"},
    {"host", FailureClass::Per::node, 14, "host",
     "SSD 3, Power Supply 3, Server Chassis 2, IO Expansion Board 2, CPU 2, System Memory 2"},
    // Blast radius: a leaf switch or a rack PDU takes every server of its rack (Cluster::nodes_per_rack). Table 5
    // counts interruptions, not failed components, and has no such row: rate 0 unless a scenario gives one.
    {"switch", FailureClass::Per::rack, 0, "network", ""},
    {"pdu", FailureClass::Per::rack, 0, "host", ""},
};

// Default repair times per group (the contract; a failed GPU is replaced, a host repaired, a link
// re-seated or a switch port reset; a software failure needs only the job's restart).
const std::map<std::string, double> kDefaultRepair = {
    {"gpu", 48 * 3600.0}, {"host", 24 * 3600.0}, {"network", 4 * 3600.0}, {"software", 0.0}};

}  // namespace

std::vector<FailureClass> llama3_failure_classes() {
  std::vector<FailureClass> classes;
  for (const Preset& preset : kLlama3) {
    FailureClass c;
    c.name = preset.name;
    c.per = preset.per;
    c.rate_per_hour = preset.interruptions / (preset.per == FailureClass::Per::gpu ? kLlamaGpuHours : kLlamaNodeHours);
    if (preset.interruptions == 0) c.rate_per_hour = 0;
    c.repair_group = preset.group;
    c.repair_s = kDefaultRepair.at(preset.group);
    classes.push_back(c);
  }
  return classes;
}

double ReliabilityConfig::total_gpu_rate() const {
  double total = 0;
  for (const FailureClass& c : classes) total += c.per == FailureClass::Per::gpu ? c.rate_per_hour : 0;
  return total;
}

double ReliabilityConfig::total_node_rate() const {
  double total = 0;
  for (const FailureClass& c : classes) total += c.per == FailureClass::Per::node ? c.rate_per_hour : 0;
  return total;
}

ReliabilityConfig read_reliability(TomlReader& reader) {
  ReliabilityConfig config;
  const toml::node* failures = reader.node("failures");
  std::vector<FailureClass> classes = llama3_failure_classes();
  if (failures && failures->is_table()) {
    // A table of rates per component-hour, by class name; classes not named do not fail.
    config.failures = "custom";
    TomlReader sub = reader.child(*failures->as_table(), "failures");
    std::vector<FailureClass> chosen;
    for (const auto& [key, value] : *failures->as_table()) {
      const std::string name(key.str());
      auto found = std::find_if(classes.begin(), classes.end(), [&](const FailureClass& c) { return c.name == name; });
      if (found == classes.end())
        sub.fail(name, "unknown failure class (known: " +
                           join_names(classes, [](const FailureClass& c) { return c.name; }) + ")");
      FailureClass c = *found;
      c.rate_per_hour = sub.number_at_least(name, 0.0);
      chosen.push_back(c);
    }
    sub.finish();
    config.classes = chosen;
  } else if (failures) {
    config.failures = reader.string("failures");
    if (config.failures == "llama3") config.classes = classes;
    else if (config.failures != "none")
      reader.fail("failures", "must be \"llama3\", \"none\" or a table of rates per component-hour", reader.got("failures"));
  }
  if (const toml::table* repair = reader.optional_table("repair")) {
    TomlReader sub = reader.child(*repair, "repair");
    for (const auto& [group, seconds] : kDefaultRepair) {
      if (!sub.node(group)) continue;
      const double repair_s = *sub.optional_duration_s(group);
      for (FailureClass& c : config.classes)
        if (c.repair_group == group) c.repair_s = repair_s;
    }
    sub.finish();
  }
  if (const toml::table* shapes = reader.optional_table("shape")) {
    TomlReader sub = reader.child(*shapes, "shape");
    for (const auto& [key, value] : *shapes) {
      const std::string name(key.str());
      auto found = std::find_if(config.classes.begin(), config.classes.end(), [&](const FailureClass& c) { return c.name == name; });
      if (found == config.classes.end())
        sub.fail(name, config.classes.empty() ? "no failure class is on (failures = \"none\")"
                                              : "not a failure class of this scenario (on: " +
                                                    join_names(config.classes, [](const FailureClass& c) { return c.name; }) + ")");
      found->shape = sub.positive_number(name);
      if (found->shape < 0.1 || found->shape > 10)
        sub.fail(name, "must be from 0.1 to 10 (a Weibull shape: < 1 early failures, 1 exponential, > 1 wear-out)", sub.got(name));
    }
    sub.finish();
  }
  if (reader.node("spares_per_cluster"))
    config.spares_per_cluster = static_cast<int>(reader.optional_integer("spares_per_cluster").value_or(0));
  if (config.spares_per_cluster < 0)
    reader.fail("spares_per_cluster", "must be >= 0", reader.got("spares_per_cluster"));
  config.swap_s = reader.optional_duration_s("swap").value_or(1800);
  reader.finish();
  return config;
}

}  // namespace fleetsim

#include "sim/scenario/scheduler_reader.hpp"

#include <algorithm>

#include "sim/core/name_list.hpp"

namespace fleetsim {

namespace {
int read_depth(TomlReader& reader) {
  return reader.node("backfill_depth") ? static_cast<int>(reader.positive_integer("backfill_depth", 1'000'000))
                                       : kDefaultBackfillDepth;
}

PolicySettings read_policy(TomlReader& reader, const std::string& name) {
  if (name == "fifo") return FifoSettings{};
  if (name == "greedy") return GreedySettings{read_depth(reader)};
  if (name == "easy-backfill") return EasyBackfillSettings{read_depth(reader)};
  if (name == "conservative-backfill") return ConservativeBackfillSettings{read_depth(reader)};
  if (name == "priority") return PrioritySettings{};
  reader.fail("policy", "unknown policy (known: " + join_names(policy_names()) + ")", quoted(name));
}
}  // namespace

SchedulerConfig read_scheduler(TomlReader& reader) {
  SchedulerConfig config;
  const std::string policy = reader.optional_string("policy").value_or("fifo");
  config.policy = read_policy(reader, policy);
  const std::string placement = reader.optional_string("placement").value_or("best-fit");
  const auto strategy = placement_strategy(placement);
  if (!strategy)
    reader.fail("placement", "unknown placement (known: " + join_names(placement_names()) + ")", quoted(placement));
  config.placement = *strategy;
  config.gpu_sharing = reader.optional_bool("gpu_sharing").value_or(false);
  if (reader.node("checkpoint_interval"))
    reader.fail("checkpoint_interval",
                "checkpointing is set per job or workload: checkpoint = { interval = \"30min\" } in [[job]] or "
                "[[workload]]");
  const bool has_depth = !std::holds_alternative<FifoSettings>(config.policy) &&
                         !std::holds_alternative<PrioritySettings>(config.policy);
  if (!has_depth && reader.node("backfill_depth"))
    reader.fail("backfill_depth", "policy \"" + policy + "\" has no backfill depth (only greedy, easy-backfill and "
                                  "conservative-backfill look past the head of the queue)");
  reader.finish();
  return config;
}

}  // namespace fleetsim

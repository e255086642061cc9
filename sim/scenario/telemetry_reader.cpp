#include "sim/scenario/telemetry_reader.hpp"

#include <cmath>

#include "sim/core/duration.hpp"

namespace fleetsim {

namespace {

FineWindowConfig read_fine(TomlReader& reader, const SimulationConfig& simulation, std::size_t campuses) {
  FineWindowConfig fine;
  if (!reader.node("start")) reader.fail("start", "required key is missing");
  fine.start_s = *reader.optional_duration_s("start");
  fine.duration_s = reader.positive_duration_s("duration");
  fine.interval_s = reader.positive_duration_s("interval");
  const double horizon_s = simulation.duration_s;
  if (fine.start_s >= horizon_s)
    reader.fail("start", "the window must start before the horizon (" + format_duration(horizon_s) + ")",
                reader.got("start"));
  if (fine.start_s + fine.duration_s > horizon_s * (1 + 1e-12))
    reader.fail("duration",
                "the window ends at " + format_duration(fine.start_s + fine.duration_s) + ", after the horizon (" +
                    format_duration(horizon_s) + ")",
                reader.got("duration"));
  if (fine.interval_s < 1e-3) reader.fail("interval", "must be >= 1ms", reader.got("interval"));
  if (fine.interval_s > fine.duration_s)
    reader.fail("interval", "must be <= the window's duration (" + format_duration(fine.duration_s) + ")",
                reader.got("interval"));
  const double intervals = fine.duration_s / fine.interval_s;
  if (std::abs(intervals - std::round(intervals)) > 1e-6 * intervals)
    reader.fail("interval", "must divide the window's duration (" + format_duration(fine.duration_s) + ")",
                reader.got("interval"));
  if (std::round(intervals) * static_cast<double>(campuses) > static_cast<double>(kMaxFineRows))
    reader.fail("interval",
                "more than " + std::to_string(kMaxFineRows) + " fine rows (samples x campuses); use a longer interval "
                "or a shorter window",
                reader.got("interval"));
  if (reader.node("default_step")) fine.default_step_s = reader.positive_duration_s("default_step");
  if (reader.node("default_communication_share")) {
    fine.default_communication_share = reader.number_at_least("default_communication_share", 0.0);
    if (fine.default_communication_share >= 1)
      reader.fail("default_communication_share", "must be < 1 (the rest of a step computes)",
                  reader.got("default_communication_share"));
  }
  reader.finish();
  return fine;
}

}  // namespace

TelemetryConfig read_telemetry(TomlReader& reader, const SimulationConfig& simulation, std::size_t campuses) {
  TelemetryConfig telemetry;
  if (const toml::table* fine = reader.optional_table("fine")) {
    TomlReader sub = reader.child(*fine, "fine");
    telemetry.fine = read_fine(sub, simulation, campuses);
  }
  reader.finish();
  return telemetry;
}

}  // namespace fleetsim

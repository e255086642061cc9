#include "sim/scenario/time_point_reader.hpp"

#include "sim/core/duration.hpp"

namespace fleetsim {

std::optional<double> time_point_s(const std::string& text, const Calendar& calendar, std::string& problem) {
  problem.clear();
  if (const auto seconds = parse_duration_s(text)) {
    if (*seconds < 0) problem = "must be >= 0";
    return seconds;
  }
  const auto epoch = parse_date_s(text);
  if (!epoch) {
    problem = "must be a duration from the start like \"90d\" or a date like \"2027-06-01\"";
    return std::nullopt;
  }
  if (!calendar.dated()) {
    problem = "a date needs [simulation] start (or write a duration from the start like \"90d\")";
    return std::nullopt;
  }
  const double seconds = calendar.time_of(*epoch);
  if (seconds < 0) problem = "is before the run's start (" + format_date(calendar.start_epoch_s()) + ")";
  return seconds;
}

std::string format_time_point(double time_s, const Calendar& calendar) {
  return calendar.dated() ? format_date(calendar.start_epoch_s() + time_s) : format_duration(time_s);
}

std::optional<double> read_time_point_s(TomlReader& reader, const std::string& key, const Calendar& calendar) {
  const toml::node* found = reader.node(key);
  if (!found) return std::nullopt;
  if (!found->is_string())
    reader.fail(key, "must be a duration from the start like \"90d\" or a date like \"2027-06-01\"", describe(*found));
  std::string problem;
  const auto seconds = time_point_s(*found->value<std::string>(), calendar, problem);
  if (!problem.empty()) reader.fail(key, problem, describe(*found));
  return seconds;
}

}  // namespace fleetsim

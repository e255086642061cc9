#pragma once
// A time point in a scenario: a duration from the start ("90d") or, when [simulation] start dates the run, a date
// ("2027-06-01", "2027-06-01 12:00"). Commissioning, maintenance, grid events, workloads and jobs take either.
#include <optional>
#include <string>

#include "sim/core/calendar.hpp"
#include "sim/core/toml_reader.hpp"

namespace fleetsim {

// Seconds from t = 0; empty when `key` is absent. A date before the start, or a date in an undated run, is an
// input error naming the key.
std::optional<double> read_time_point_s(TomlReader& reader, const std::string& key, const Calendar& calendar);
// The same for a text that is not a TOML value of its own (a table key, a CSV cell): nullopt when it is neither
// a duration nor a date; `problem` says why when it is a date the calendar cannot take.
std::optional<double> time_point_s(const std::string& text, const Calendar& calendar, std::string& problem);

// A time of the run as a date when the run is dated ("2027-06-01"), else as a duration from the start ("90d").
std::string format_time_point(double time_s, const Calendar& calendar);

}  // namespace fleetsim

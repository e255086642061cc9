#pragma once
// Durations written as "<number><unit>" with unit ms, s, min, h, d (e.g. "450ms", "5min", "1.5h", "7d").
#include <optional>
#include <string>
#include <string_view>

namespace fleetsim {

// Seconds in the duration, or nullopt when the text is not a duration.
std::optional<double> parse_duration_s(std::string_view text);

// Shortest exact text for a number of seconds, e.g. 300 -> "5min", 90 -> "90s".
std::string format_duration(double seconds);

}  // namespace fleetsim

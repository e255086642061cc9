#include "sim/core/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace fleetsim {

namespace {
struct Unit {
  std::string_view suffix;
  double seconds;
};
// Longest suffixes first so that "min" is not read as "m" + "in", nor "ms" as "m" + "s".
constexpr Unit kUnits[] = {{"min", 60.0}, {"ms", 1e-3}, {"s", 1.0}, {"h", 3600.0}, {"d", 86400.0}};
}  // namespace

std::optional<double> parse_duration_s(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  for (const Unit& unit : kUnits) {
    if (text.size() <= unit.suffix.size() || text.substr(text.size() - unit.suffix.size()) != unit.suffix)
      continue;
    std::string_view number = text.substr(0, text.size() - unit.suffix.size());
    while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) return std::nullopt;
    return value * unit.seconds;
  }
  return std::nullopt;
}

std::string format_duration(double seconds) {
  const Unit larger_first[] = {{"d", 86400.0}, {"h", 3600.0}, {"min", 60.0}};
  for (const Unit& unit : larger_first) {
    double count = seconds / unit.seconds;
    if (seconds != 0 && count == std::floor(count) && std::fabs(count) < 1e15) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.0f%s", count, std::string(unit.suffix).c_str());
      return buffer;
    }
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17gs", seconds);
  return buffer;
}

}  // namespace fleetsim

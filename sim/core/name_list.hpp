#pragma once
// "a, b, c": the known names listed in "unknown X (known: ...)" messages.
#include <string>
#include <vector>

namespace fleetsim {

// Names of `items` as given by `name_of`, comma-separated, in the items' order.
template <class Range, class NameOf>
std::string join_names(const Range& items, NameOf name_of) {
  std::string names;
  for (const auto& item : items) names += (names.empty() ? "" : ", ") + std::string(name_of(item));
  return names;
}

inline std::string join_names(const std::vector<std::string>& names) {
  return join_names(names, [](const std::string& name) { return name; });
}

}  // namespace fleetsim

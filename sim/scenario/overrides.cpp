#include "sim/scenario/overrides.hpp"

#include <cctype>

namespace fleetsim {

namespace {
std::vector<std::string> split_dots(const std::string& key) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : key) {
    if (c == '.') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

bool is_index(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// The element labelled `label` (its id or name, see element_label) or at index `label`, with its label.
std::pair<toml::table*, std::string> find_element(toml::array& array, const std::string& label) {
  for (std::size_t i = 0; i < array.size(); ++i) {
    toml::table* table = array[i].as_table();
    if (table && element_label(*table, i) == label) return {table, label};
  }
  if (is_index(label) && label.size() < 9) {
    std::size_t index = std::stoul(label);
    if (index < array.size() && array[index].is_table())
      return {array[index].as_table(), element_label(*array[index].as_table(), index)};
  }
  return {nullptr, {}};
}

toml::table parse_value(const std::string& text) {
  try {
    return toml::parse("value = " + text);
  } catch (const toml::parse_error&) {
    toml::table table;
    table.insert("value", text);
    return table;
  }
}
}  // namespace

void apply_override(toml::table& root, const std::string& assignment, int ordinal, OverridePositions& positions) {
  const SourcePosition where{"--set", ordinal};
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw InputError(where, assignment, "expected KEY=VALUE", "\"" + assignment + "\"");
  const std::string key = assignment.substr(0, equals);
  const std::string value_text = assignment.substr(equals + 1);
  // "value = " + text is parsed as one TOML line: a line break would end the value there and drop the rest.
  if (value_text.find_first_of("\r\n") != std::string::npos)
    throw InputError(where, key, "a value must be on one line (it contains a line break)");
  const std::vector<std::string> parts = split_dots(key);
  for (const std::string& part : parts)
    if (part.empty()) throw InputError(where, key, "empty component in dotted key", "\"" + key + "\"");

  toml::table* table = &root;
  std::string walked;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& part = parts[i];
    walked += (walked.empty() ? "" : ".") + part;
    toml::node* child = table->get(part);
    if (!child) {
      positions[walked] = where;  // a table that exists only because of this --set
      table->insert(part, toml::table{});
      table = (*table)[part].as_table();
    } else if (toml::table* sub = child->as_table()) {
      table = sub;
    } else if (toml::array* array = child->as_array(); array && i + 2 < parts.size()) {
      const std::string& label = parts[++i];
      auto [element, canonical] = find_element(*array, label);
      if (!element)
        throw InputError(where, walked + "." + label, "no [[" + walked + "]] element with this name or index",
                         "\"" + label + "\"");
      walked += "." + canonical;
      table = element;
    } else {
      throw InputError(where, walked, "is not a table, cannot set a key inside it");
    }
  }
  toml::table parsed = parse_value(value_text);
  table->insert_or_assign(parts.back(), std::move(*parsed.get("value")));
  positions[walked.empty() ? parts.back() : walked + "." + parts.back()] = where;
}

}  // namespace fleetsim

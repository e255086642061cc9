#pragma once
// Reads [dispatch] (how dispatchable jobs choose a campus) and the keys that make a [[job]] or synthetic
// [[workload]] dispatchable: `campus = "any"`, a list of campus names, or `region = "FR"`, with `dataset_gb` and
// `data_campus`. Any other key or a bad value is an input error naming file, line and key.
#include <optional>
#include <vector>

#include "sim/core/toml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace fleetsim {

DispatchConfig read_dispatch(TomlReader& reader);

// Where a job or workload may run: one campus (`campus = "Paris"`: `campus` set, no `dispatch`), candidates
// (`dispatch` set; `listed`: the candidates in the order written, "any" and region in the scenario's order), or
// nothing when neither `campus` nor `region` is given.
struct CampusChoice {
  int campus = -1;
  std::optional<DispatchTargets> dispatch;
  std::vector<int> listed;
};
CampusChoice read_campus_choice(TomlReader& reader, const Scenario& scenario);

// Whether campuses `a` and `b` are joined by a [[link]] (a dataset can move between them).
bool linked(const Scenario& scenario, int a, int b);

}  // namespace fleetsim

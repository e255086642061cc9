#include "sim/telemetry/campus_description.hpp"

#include <limits>

#include "sim/power/nameplate.hpp"

namespace fleetsim {

namespace {
std::string source_of(const HourlySignal& signal) {
  return signal.is_constant() ? "constant " + format_number(signal.mean()) : signal.source();
}
}  // namespace

std::vector<CampusInfo> describe_campuses(const Scenario& scenario, const Fleet& fleet) {
  std::vector<CampusInfo> infos;
  for (std::size_t c = 0; c < scenario.campuses.size(); ++c) {
    const CampusConfig& config = scenario.campuses[c];
    const CampusNameplate nameplate = campus_nameplate(scenario, config);
    CampusInfo info;
    info.name = config.name;
    info.country = config.country;
    info.gpus = fleet.campuses[c].gpus;
    info.grid_connection_w = config.grid_connection_max_w();
    info.cooling_capacity_w = config.cooling_capacity_w;
    info.cooling = config.cooling;
    info.pue = config.cooling.empty() ? config.pue : std::numeric_limits<double>::quiet_NaN();
    info.ambient_source = source_of(config.ambient_c);
    info.carbon_source = source_of(config.carbon_g_per_kwh);
    info.price_source = source_of(config.price_eur_per_mwh);
    info.nameplate_it_w = nameplate.it_w;
    info.nameplate_facility_w = nameplate.facility_w;
    info.nameplate_rack_ratio = nameplate.rack_ratio;
    infos.push_back(std::move(info));
  }
  return infos;
}

}  // namespace fleetsim

#include "sim/scenario/economics_reader.hpp"

namespace fleetsim {

double EconomicsConfig::node_capex_eur(const hw::NodeSpec& node) const {
  const auto given = capex_per_node_eur.find(node.id);
  return given != capex_per_node_eur.end() ? given->second : node.capex_usd / usd_per_eur;
}

EconomicsConfig read_economics(TomlReader& reader, const hw::Catalog& hardware) {
  EconomicsConfig economics;
  if (reader.node("discount_rate")) {
    economics.discount_rate = reader.number_at_least("discount_rate", 0.0);
    if (economics.discount_rate >= 1) reader.fail("discount_rate", "must be a rate per year below 1 (0.08 = 8%)", reader.got("discount_rate"));
  }
  if (reader.node("usd_per_eur")) economics.usd_per_eur = reader.positive_number("usd_per_eur");
  if (reader.node("node_life_years")) economics.node_life_years = reader.positive_number("node_life_years");
  if (reader.node("facility_life_years")) economics.facility_life_years = reader.positive_number("facility_life_years");
  if (reader.node("facility_capex_per_mw"))
    economics.facility_capex_eur_per_mw = reader.number_at_least("facility_capex_per_mw", 0.0);
  if (reader.node("opex_per_mw_year")) economics.opex_eur_per_mw_year = reader.number_at_least("opex_per_mw_year", 0.0);
  if (const toml::table* prices = reader.optional_table("capex_per_node")) {
    TomlReader sub = reader.child(*prices, "capex_per_node");
    for (const auto& [key, value] : *prices) {
      const std::string id(key.str());
      if (!hardware.find_node(id)) sub.fail(id, "unknown node id (known: " + hw::known_ids(hardware.nodes()) + ")");
      economics.capex_per_node_eur[id] = sub.number_at_least(id, 0.0);
    }
    sub.finish();
  }
  reader.finish();
  return economics;
}

}  // namespace fleetsim

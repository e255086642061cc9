#include "sim/scenario/arrival_reader.hpp"

namespace fleetsim {

ArrivalProfile read_arrival_profile(TomlReader& reader, double year_offset_s) {
  ArrivalProfile profile;
  profile.daily = optional_choice(reader, "daily_profile",
                                  {{"flat", DailyProfile::flat}, {"office", DailyProfile::office}, {"consumer", DailyProfile::consumer}},
                                  DailyProfile::flat);
  profile.weekly = reader.optional_bool("weekly").value_or(false);
  if (reader.node("growth_per_year")) {
    profile.growth_per_year = reader.number("growth_per_year");
    if (!(profile.growth_per_year > -1))
      reader.fail("growth_per_year", "must be more than -1 (a share a year: 0.3 = 30% more each year)",
                  reader.got("growth_per_year"));
  }
  profile.year_offset_s = year_offset_s;
  return profile;
}

}  // namespace fleetsim

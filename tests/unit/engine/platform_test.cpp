// The fleet as a SimGrid platform: hosts per node, NIC and uplink links from the catalog's NICs and fabrics,
// fibre links between campuses. One TEST_CASE per process (SimGrid allows one engine per process).
#include <catch2/catch.hpp>

#include "sim/engine/platform_probe.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

TEST_CASE("platform: nodes are hosts, NICs and uplinks follow the fabric, campuses are joined by fibre") {
  const std::string text = "[simulation]\nduration = \"1h\"\n" + testing::campus_toml("paris", 4) +
                           "fabric = \"ib-ndr-400\"\n" + testing::campus_toml("lyon", 2) +
                           "[[link]]\nfrom = \"paris\"\nto = \"lyon\"\ndistance_km = 465.0\nwavelengths = 4\n";
  Scenario scenario = load_scenario_text(text, {"p.toml", {}, {}});
  Fleet fleet = build_fleet(scenario);
  PlatformProbe platform(fleet);
  CHECK(platform.summary().hosts == 6);
  CHECK(platform.summary().zones == 1 + 2 * (1 + 1 + 1));  // fleet, and per campus: campus, cluster, core
  CHECK(platform.host_count() == 6);

  // DGX H100: 8 compute NICs at 400 Gb/s (catalog) on NDR 400 (non-blocking, 0.15 us per switch).
  const hw::NodeSpec& dgx = *scenario.hardware.find_node("dgx-h100");
  const double nic_bytes_per_s = dgx.nic_count * dgx.nic_gbps * 1e9 / 8;
  CHECK(platform.link("paris/a/n0/nic").bandwidth_bytes_per_s == Approx(nic_bytes_per_s));
  CHECK(platform.link("paris/a/n0/nic").latency_s == Approx(0.15e-6));
  CHECK(platform.link("paris/a/uplink").bandwidth_bytes_per_s == Approx(4 * nic_bytes_per_s));
  // Fibre Paris-Lyon: 4 x 400 Gb/s DWDM wavelengths, 465 km at 4.9 us/km.
  CHECK(platform.link("paris--lyon").bandwidth_bytes_per_s == Approx(4 * 400e9 / 8));
  CHECK(platform.link("paris--lyon").latency_s == Approx(465 * 4.9e-6));
  // A route from a Paris node to a Lyon node crosses both NICs, both uplinks and the fibre.
  const RouteFigures route = platform.route("paris/a/n0", "lyon/a/n1");
  CHECK(route.links == std::vector<std::string>{"paris/a/n0/nic", "paris/a/uplink", "paris--lyon", "lyon/a/uplink",
                                                "lyon/a/n1/nic"});
  CHECK(route.latency_s == Approx(0.15e-6 + 0.30e-6 + 465 * 4.9e-6));
}

// The fleet as a SimGrid platform: hosts per node, NIC and uplink links from the catalog's NICs and fabrics,
// fibre links between campuses. One TEST_CASE per process (SimGrid allows one engine per process).
#include <catch2/catch.hpp>

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include "sim/engine/platform_builder.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/scenario_text.hpp"

using namespace fleetsim;

TEST_CASE("platform: nodes are hosts, NICs and uplinks follow the fabric, campuses are joined by fibre") {
  const std::string text = "[simulation]\nduration = \"1h\"\n" + testing::campus_toml("paris", 4) +
                           "fabric = \"ib-ndr-400\"\n" + testing::campus_toml("lyon", 2) +
                           "[[link]]\nfrom = \"paris\"\nto = \"lyon\"\ndistance_km = 465.0\nwavelengths = 4\n";
  Scenario scenario = load_scenario_text(text, {"p.toml", {}, {}});
  Fleet fleet = build_fleet(scenario);
  simgrid::s4u::Engine engine("platform-test");
  xbt_log_control_set("root.thres:critical");
  const PlatformSummary summary = build_platform(fleet);
  CHECK(summary.hosts == 6);
  CHECK(summary.zones == 1 + 2 * (1 + 1 + 1));  // fleet, and per campus: campus, cluster, core
  CHECK(engine.get_host_count() == 6);

  // DGX H100: 8 compute NICs at 400 Gb/s (catalog) on NDR 400 (non-blocking, 0.15 us per switch).
  const hw::NodeSpec& dgx = *scenario.hardware.find_node("dgx-h100");
  const double nic_bytes_per_s = dgx.nic_count * dgx.nic_gbps * 1e9 / 8;
  auto* nic = simgrid::s4u::Link::by_name("paris/a/n0/nic");
  CHECK(nic->get_bandwidth() == Approx(nic_bytes_per_s));
  CHECK(nic->get_latency() == Approx(0.15e-6));
  CHECK(simgrid::s4u::Link::by_name("paris/a/uplink")->get_bandwidth() == Approx(4 * nic_bytes_per_s));
  // Fibre Paris-Lyon: 4 x 400 Gb/s DWDM wavelengths, 465 km at 4.9 us/km.
  auto* fibre = simgrid::s4u::Link::by_name("paris--lyon");
  CHECK(fibre->get_bandwidth() == Approx(4 * 400e9 / 8));
  CHECK(fibre->get_latency() == Approx(465 * 4.9e-6));
  // A route from a Paris node to a Lyon node crosses both NICs, both uplinks and the fibre.
  std::vector<simgrid::s4u::Link*> route;
  double latency = 0;
  simgrid::s4u::Host::by_name("paris/a/n0")->route_to(simgrid::s4u::Host::by_name("lyon/a/n1"), route, &latency);
  CHECK(route.size() == 5);
  CHECK(latency == Approx(0.15e-6 + 0.30e-6 + 465 * 4.9e-6));
}

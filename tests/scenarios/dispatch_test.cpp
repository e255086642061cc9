// End-to-end dispatch across two campuses (issue 15), tests/scenarios/dispatch.toml, against times computed by hand.
// Paris 55 g/kWh, Warsaw 660 g/kWh (x PUE 1.2 both), one 8-GPU node each; every job takes 8 GPUs (a whole campus).
// Link: one 400 Gb/s wavelength = 50e9 B/s, latency 1,000 km x 4.9 us/km = 4.9 ms; flows share it max-min fairly.
#include <catch2/catch.hpp>

#include "tests/support/run_scenario.hpp"

using namespace fleetsim;

namespace {
const JobRecord& job(const RunRecord& run, const std::string& name) {
  for (const JobRecord& record : run.jobs)
    if (record.name == name) return record;
  FAIL("no job " << name);
  return run.jobs.front();
}
constexpr double kLatency = 1000 * 4.9e-6;
}  // namespace

TEST_CASE("dispatch: lowest-carbon over Paris and Warsaw, datasets over the link, a queued job moved back by hand") {
  // a (any, home paris) t=0: both campuses free -> the cleaner, paris; runs 0 -> 3000 s.
  // b (any, home paris) t=600: paris busy, warsaw free -> the only campus starting it at once: warsaw, 600 -> 3300.
  // c (warsaw, paris; 1000 GB at warsaw) and d (500 GB at warsaw), both t=1200: no campus starts them at once ->
  //   the cleaner, paris, which lacks their data: two flows share the fibre, 25e9 B/s each; d's 500 GB are done
  //   after 20 s (t = 1220.0049), then c's last 500 GB alone at 50e9 B/s take 10 s more (t = 1230.0049).
  //   Paris's queue: d, c.
  // e (any) t=2400: no campus starts it at once -> paris, behind d and c.
  // a ends 3000: d starts at paris (3000 -> 4800). b ends 3300: warsaw free.
  // Reconsideration at 3600: c, queued at paris, would start at once at warsaw, where its data is: moves there,
  //   3600 -> 5400. Warsaw is then busy: e stays. d ends 4800: e starts at paris, 4800 -> 8400.
  const RunRecord run = testing::run_scenario("dispatch.toml", {});
  REQUIRE(run.jobs.size() == 5);
  const JobRecord &a = job(run, "a"), &b = job(run, "b"), &c = job(run, "c"), &d = job(run, "d"), &e = job(run, "e");
  CHECK(a.campus == "paris");
  CHECK(a.home_campus == "paris");
  CHECK(a.start_s == 0.0);
  CHECK(a.end_s == 3000.0);
  CHECK(b.campus == "warsaw");
  CHECK(b.home_campus == "paris");
  CHECK(b.start_s == 600.0);
  CHECK(b.end_s == 3300.0);
  CHECK(d.campus == "paris");
  CHECK(d.home_campus == "warsaw");
  CHECK(d.data_moved_bytes == 500e9);
  CHECK(d.transfer_s == Approx(kLatency + 500e9 / 25e9).margin(1e-3));
  CHECK(d.start_s == 3000.0);
  CHECK(d.end_s == 4800.0);
  CHECK(c.campus == "warsaw");
  CHECK(c.home_campus == "warsaw");
  CHECK(c.moves == 1);
  CHECK(c.data_moved_bytes == 1000e9);
  CHECK(c.transfer_s == Approx(kLatency + 500e9 / 25e9 + 500e9 / 50e9).margin(1e-3));
  CHECK(c.start_s == 3600.0);
  CHECK(c.end_s == 5400.0);
  CHECK(e.campus == "paris");
  CHECK(e.start_s == 4800.0);
  CHECK(e.end_s == 8400.0);
  // Away from home: b (paris -> warsaw) and d (warsaw -> paris); c went to paris but ran at home.
  CHECK(run.summary.jobs_dispatched_away == 2);
  CHECK(run.summary.jobs_moved == 1);
  CHECK(run.summary.data_moved_bytes == 1500e9);
  CHECK(run.summary.jobs_completed == 5);
}

TEST_CASE("dispatch: without reconsideration a job stays in the queue it was sent to") {
  // As above to t = 3000 s; with reconsider = "0s" c waits at paris behind d: 4800 -> 6600, then e 6600 -> 10200.
  const RunRecord run = testing::run_scenario("dispatch.toml", {"dispatch.reconsider=\"0s\""});
  const JobRecord &c = job(run, "c"), &e = job(run, "e");
  CHECK(c.campus == "paris");
  CHECK(c.moves == 0);
  CHECK(c.start_s == 4800.0);
  CHECK(c.end_s == 6600.0);
  CHECK(e.start_s == 6600.0);
  CHECK(e.end_s == 10200.0);
  CHECK(run.summary.jobs_dispatched_away == 3);  // b, c and d
  CHECK(run.summary.jobs_moved == 0);
}

TEST_CASE("dispatch: least-wait sends a job where it starts first, data transfer included") {
  // least-wait: a -> paris (both free: the first campus on the tie). b -> warsaw (it starts there at once).
  // c and d at t=1200, c first (id order); no campus starts them at once. Estimated waits, (GPU-seconds queued
  // or moving there + what the running jobs have left) / 8 GPUs, plus the dataset's transfer alone on the fibre:
  //   c: warsaw (its data) 8 x 2100 (b, to 3300) / 8 = 2100 s; paris 8 x 1800 (a, to 3000) / 8 + 20 = 1820 s -> paris.
  //   d: warsaw 2100 s; paris (8 x 1800 + c's 8 x 1800) / 8 + 10 = 3610 s -> warsaw, no transfer; starts at 3300.
  const RunRecord run = testing::run_scenario("dispatch.toml", {"dispatch.policy=\"least-wait\""});
  const JobRecord &c = job(run, "c"), &d = job(run, "d");
  CHECK(c.home_campus == "warsaw");
  CHECK(c.data_moved_bytes == 1000e9);
  CHECK(c.transfer_s == Approx(kLatency + 1000e9 / 50e9).margin(1e-3));  // alone on the fibre
  CHECK(d.campus == "warsaw");
  CHECK(d.data_moved_bytes == 0);
  CHECK(d.start_s == 3300.0);  // b ends at 3300
}

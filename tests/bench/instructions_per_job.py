#!/usr/bin/python3
"""Instructions per job, by thread of work, from 1/100 of the 1 GW year upwards (issue 10: cost per job should not
depend on the fleet's size). Wall time on a shared 2-core VM without hardware counters varies by up to 30%;
instruction counts under valgrind's callgrind do not. For each scenario it runs the year and the same fleet with one
job per workload, and divides the difference by the jobs added:

- simulation: inclusive instructions of FleetRun::simulate (the event loop, the scheduler, the components), less
  the chunks it compressed for the writer thread while that was behind (the main thread's shuffle_deflate);
- writer: what writing /jobs and the campus series costs on either thread: the writer thread's whole profile and
  the main thread's shuffle_deflate (it depends on what the series hold, not only on the jobs);
- total: the whole process.

Each thread has its own profile (callgrind --separate-threads=yes): thread 1 is the main thread.

    tests/bench/instructions_per_job.py [BIN] [OUT_DIR] [--only STEM ...] [--set KEY=VALUE ...]

Default scenarios: fleet-1gw-year-100th and fleet-1gw-year-10th (about 5 min); add fleet-1gw-year with --only
(about 15 min more). The 10 GW year does not fit under callgrind; a few days of it do, against the same days of the
1 GW year (`--only fleet-1gw-year fleet-10gw-year --set simulation.duration=3d`, about 25 min; positionals first, as --only
takes every name after it): --set overrides go to
both runs of each scenario. Writes OUT_DIR/instructions_per_job.json (default build/bench), or
instructions_per_job-<KEY=VALUE...>.json with --set."""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from one_job_fleet import one_job_per_workload

ROOT = Path(__file__).resolve().parents[2]
KEYS = ("simulation", "writer", "total")
SIMULATE, COMPRESS, TOTAL = "fleetsim::FleetRun::simulate(", "fleetsim::hdf5::shuffle_deflate(", "PROGRAM TOTALS"


def inclusive(profile: Path) -> dict:
    """Inclusive instructions of simulate, shuffle_deflate and the whole profile (one thread's)."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(profile)],
                         capture_output=True, text=True, check=True).stdout
    costs = {SIMULATE: 0, COMPRESS: 0, TOTAL: 0}
    for line in out.splitlines():
        match = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)", line)
        if not match:
            continue
        value, name = int(match.group(1).replace(",", "")), match.group(2)
        for needle in costs:
            if needle in name:
                costs[needle] = max(costs[needle], value)
    return costs


def profile(binary: Path, scenario: Path, extra: list, work: Path, label: str) -> dict:
    """simulation, writer and total instructions of one run (see the module's docstring)."""
    out = work / f"{label}.callgrind"
    subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes", f"--callgrind-out-file={out}",
                    str(binary), "run", str(scenario), "-o", str(work / f"{label}.h5"), "--quiet", *extra],
                   check=True, capture_output=True)
    threads = sorted(work.glob(f"{label}.callgrind-*"), key=lambda path: int(path.name.rsplit("-", 1)[1]))
    costs = [inclusive(path) for path in threads]
    main, others = costs[0], costs[1:]
    # The writer thread is the other thread that compresses (the job list's builder never does).
    writer = sum(cost[TOTAL] for cost in others if cost[COMPRESS] > 0)
    return {"simulation": main[SIMULATE] - main[COMPRESS], "writer": main[COMPRESS] + writer,
            "total": sum(cost[TOTAL] for cost in costs)}


def measure(binary: Path, stem: str, work: Path, overrides: list) -> dict:
    scenario = ROOT / "scenarios/bench" / f"{stem}.toml"
    workloads, one_each = one_job_per_workload(scenario)
    stats = work / f"{stem}.json"
    sets = [arg for override in overrides for arg in ("--set", override)]
    full = profile(binary, scenario, ["--stats", str(stats), *sets], work, stem)
    jobs = json.loads(stats.read_text())["jobs"]
    fixed = profile(binary, scenario, [*one_each, *sets], work, stem + "-one-job")
    added = jobs - len(workloads)
    result = {"stem": stem, "jobs": jobs, "overrides": overrides}
    for key in KEYS:
        result[f"{key}_per_job"] = round((full[key] - fixed[key]) / added)
        result[f"{key}_fixed"] = fixed[key]
    print(f"{stem:24s} {jobs:>10,} jobs  simulation {result['simulation_per_job']:>8,} instr/job  writer "
          f"{result['writer_per_job']:>8,}  total {result['total_per_job']:>8,}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=str(ROOT / "build/fleetsim"))
    parser.add_argument("out_dir", nargs="?", default=str(ROOT / "build/bench"))
    parser.add_argument("--only", nargs="+", default=["fleet-1gw-year-100th", "fleet-1gw-year-10th"])
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="a scenario override for every run (e.g. simulation.duration=3d)")
    args = parser.parse_args()
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as work:
        results = [measure(Path(args.binary), stem, Path(work), args.overrides) for stem in args.only]
    simulation = [r["simulation_per_job"] for r in results]
    report = {"results": results,
              "simulation_max_over_min": round(max(simulation) / min(simulation), 4) if min(simulation) > 0 else None}
    path = out_dir / ("instructions_per_job" + "".join("-" + o.replace("/", "_") for o in args.overrides) + ".json")
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

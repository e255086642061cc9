#!/usr/bin/python3
"""Analysis benchmark (not a test): how fast the Python side opens and reads a large fleetsim result (the 1 GW
fleet-year: ~1M jobs, 13 campuses x 105,120 telemetry rows). Times, each on a freshly opened file:

  open_summary    fleetsim.load + summary, meta, campuses, job count (target: < 2 s)
  to_xarray       every campus timeseries as one xarray.Dataset
  filtered_jobs   read_jobs(4 fields, where="campus == <largest campus> and gpus >= 64")
  full_jobs       result.jobs, the whole table as a DataFrame

and writes them, with the process's resident memory after each step and its peak, to OUT.json.

usage: tests/bench/analysis_open.py RESULT.h5 OUT.json
"""
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "analysis"))

import fleetsim  # noqa: E402

TARGET_OPEN_S = 2.0  # issue #6: a 1 GW fleet-year opens in under 2 s
FILTER_COLUMNS = ["id", "submit_s", "start_s", "end_s"]


def resident_bytes():
    """Current resident set size of this process (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def timed(step, function):
    start = time.perf_counter()
    value = function()
    wall = time.perf_counter() - start
    step.update(wall_s=round(wall, 3), rss_after_bytes=resident_bytes())
    return value


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    path, out = Path(argv[1]), Path(argv[2])
    steps = {name: {} for name in ("open_summary", "to_xarray", "filtered_jobs", "full_jobs")}

    def open_summary():
        result = fleetsim.load(path)
        return result, result.summary, result.meta, result.campuses, result.job_count

    result, summary, meta, campuses, job_count = timed(steps["open_summary"], open_summary)
    data = timed(steps["to_xarray"], lambda: fleetsim.load(path).to_xarray())
    steps["to_xarray"].update(campuses=data.sizes["campus"], times=data.sizes["time"], variables=len(data.data_vars))
    del data

    largest = max(campuses, key=lambda campus: result.campus_attributes(campus)["gpus"])
    where = f"campus == '{largest}' and gpus >= 64"
    jobs = timed(steps["filtered_jobs"], lambda: fleetsim.load(path).read_jobs(FILTER_COLUMNS, where))
    steps["filtered_jobs"].update(where=where, columns=FILTER_COLUMNS, rows=len(jobs))
    del jobs

    jobs = timed(steps["full_jobs"], lambda: fleetsim.load(path).jobs)
    steps["full_jobs"].update(rows=len(jobs), columns=len(jobs.columns))
    del jobs

    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "result": str(path),
        "file_bytes": path.stat().st_size,
        "jobs": job_count,
        "campuses": len(campuses),
        "horizon_s": meta["horizon_s"],
        "steps": steps,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "target_open_s": TARGET_OPEN_S,
        "meets_target": steps["open_summary"]["wall_s"] < TARGET_OPEN_S,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    for name, step in steps.items():
        print(f"{name:14s} {step['wall_s']:7.3f} s  rss {step['rss_after_bytes'] / 2**20:7.0f} MiB"
              + (f"  {step['rows']:,} rows" if "rows" in step else ""))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Sweep benchmark (issue #6; not a test). Writes OUT_DIR/sweep.json with:

1. one point's time: the median wall time of `fleetsim run` on the quick-start scenario (5 runs);
2. the 64-point sweep scenarios/sweeps/quickstart-64.toml on a local SLURM (scripts/local-slurm), from
   `fleetsim sweep` start to the index written, against the target 1.2 x (64 / cores) x one point's time;
   the same sweep with one point per array task, and with the local backend, for reference;
3. building the index of a 1,000-point sweep (`fleetsim sweep collect`) from 1,000 real result files
   (copies of one quick-start result under the ids of a 1,000-line plan), against the target 10 s.

usage: tests/bench/sweep_bench.py [FLEETSIM_BIN] [OUT_DIR]     (defaults: build/fleetsim build/bench)
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ROOT / "scenarios/sweeps/quickstart-64.toml"
QUICKSTART = ROOT / "scenarios/examples/quickstart.toml"


def timed(command, env=None):
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, command))}\n{result.stdout}{result.stderr}")
    return wall


def one_point_s(binary, work):
    walls = [timed([binary, "run", QUICKSTART, "-o", work / "point.h5", "--quiet"]) for _ in range(5)]
    return statistics.median(walls), walls


def sweep_s(binary, sweep_file, out, backend, env):
    shutil.rmtree(out, ignore_errors=True)
    return timed([binary, "sweep", sweep_file, "-o", out, "--backend", backend, "--quiet"], env=env)


def index_1000_s(binary, work):
    """A 1,000-point sweep directory (plan + one real result file per point), then time `sweep collect`."""
    directory = work / "index-1000"
    (directory / "points").mkdir(parents=True)
    result = work / "point.h5"
    lines = ["# fleetsim sweep plan v1", "# name\tindex-1000", f"# scenario\t{QUICKSTART}", "# digest\t0",
             "id\treplica\tseed\tcampus.paris.pue\tscheduler.policy"]
    for i in range(1000):
        point_id = f"p{i:012x}"
        lines.append(f"{point_id}\t0\t{i}\t{1.1 + i * 1e-4:.4f}\t\"{'fifo' if i % 2 else 'easy-backfill'}\"")
        shutil.copy(result, directory / "points" / f"{point_id}.h5")
    (directory / "plan.tsv").write_text("\n".join(lines) + "\n")
    subprocess.run(["sync"], check=False)
    walls = [timed([binary, "sweep", "collect", directory]) for _ in range(3)]
    return statistics.median(walls), walls


def main():
    binary = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build/fleetsim").resolve()
    out_dir = Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "build/bench")
    out_dir.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count()
    report = {"machine": {"cpus": cores}, "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with tempfile.TemporaryDirectory(dir=out_dir) as work_name:
        work = Path(work_name)
        point, point_walls = one_point_s(binary, work)
        report["one_point_s"] = round(point, 3)
        report["one_point_runs_s"] = [round(w, 3) for w in point_walls]

        slurm_dir = work / "slurm"
        started = subprocess.run([ROOT / "scripts/local-slurm", "start", slurm_dir], capture_output=True, text=True)
        if started.returncode != 0:
            raise SystemExit("local SLURM did not start:\n" + started.stderr)
        env = dict(os.environ, SLURM_CONF=str(slurm_dir / "slurm.conf"))
        try:
            slurm = [sweep_s(binary, SWEEP, work / f"slurm-{i}", "slurm", env) for i in range(3)]
            one_per_task = work / "one-per-task.toml"
            one_per_task.write_text(SWEEP.read_text().replace("points_per_task = 32", "points_per_task = 1")
                                    .replace('"../examples/quickstart.toml"', f'"{QUICKSTART}"'))
            slurm_single = sweep_s(binary, one_per_task, work / "slurm-single", "slurm", env)
        finally:
            subprocess.run([ROOT / "scripts/local-slurm", "stop", slurm_dir], check=False)
        local = [sweep_s(binary, SWEEP, work / f"local-{i}", "local", None) for i in range(3)]

        target = 1.2 * (64 / cores) * point
        report["sweep_64_slurm_s"] = round(statistics.median(slurm), 3)
        report["sweep_64_slurm_runs_s"] = [round(w, 3) for w in slurm]
        report["sweep_64_slurm_target_s"] = round(target, 3)
        report["sweep_64_slurm_meets_target"] = statistics.median(slurm) <= target
        report["sweep_64_slurm_one_point_per_task_s"] = round(slurm_single, 3)
        report["sweep_64_local_s"] = round(statistics.median(local), 3)
        index, index_walls = index_1000_s(binary, work)
        report["index_1000_s"] = round(index, 3)
        report["index_1000_runs_s"] = [round(w, 3) for w in index_walls]
        report["index_1000_target_s"] = 10.0
    (out_dir / "sweep.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"wrote {out_dir / 'sweep.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

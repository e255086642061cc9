"""Shared by the sweep tests: a toy base scenario with an SWF trace whose path is a sweep parameter, so one
value ("bad.swf", a malformed row) makes its points fail at run time after passing validation."""
import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("FLEETSIM_BIN") or REPO / "build" / "fleetsim")

BASE = """
[simulation]
name = "toy"
duration = "6h"
seed = 1
telemetry_interval = "1h"

[[hw.gpu]]
id = "toy-gpu"
idle_w = 100.0
max_w = 700.0
power_cap_min_w = 200.0
power_cap_max_w = 700.0

[[hw.node]]
id = "toy-node"
gpu = "toy-gpu"
gpus = 8
base_w = 1000.0

[[campus]]
name = "paris"
country = "FR"
grid_connection_mw = 40.0
pue = 1.5
carbon_intensity_g_per_kwh = 56.0

[[campus.cluster]]
name = "a"
node = "toy-node"
nodes = 2

[scheduler]
policy = "fifo"

[[workload]]
kind = "trace"
name = "t"
campus = "paris"
format = "swf"
path = "good.swf"
"""
GOOD_SWF = "\n".join(
    f"{i:5d} {i * 600:6d} -1 {1800 + 300 * (i % 4):6d} {8 * (1 + i % 2):3d} -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1"
    for i in range(1, 21)) + "\n"
BAD_SWF = ("    1    0   -1   60    8   -1   -1   -1   -1   -1  1  1  1 -1  1 -1 -1 -1\n"
           "    2   10   -1   sixty  8   -1   -1   -1   -1   -1  1  1  1 -1  1 -1 -1 -1\n")
# A synthetic workload whose job count a test sets (jobs = 10 here): a point that runs for as long as it needs.
SLOW_WORKLOAD = """
[[workload]]
kind = "synthetic"
name = "mix"
jobs = 10
arrival = "poisson"
rate_per_h = 1000000.0
gpus = { values = [1, 8], weights = [0.5, 0.5] }
duration = { distribution = "lognormal", median = "1h", sigma = 1.0 }
gpu_utilization = 0.8
"""


SWEEP = """
[sweep]
name = "toy-sweep"
scenario = "base.toml"
replicas = 1

[grid]
"scheduler.policy" = ["fifo", "easy-backfill"]
"workload.t.path" = ["good.swf", "bad.swf"]
"campus.paris.cluster.a.power_cap_w" = [400.0, 700.0]
{extra}
"""


def write_toy_sweep(directory, extra=""):
    """The toy base scenario, its traces and a 2x2x2 sweep file in `directory`; returns the sweep path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "base.toml").write_text(BASE)
    (directory / "good.swf").write_text(GOOD_SWF)
    (directory / "bad.swf").write_text(BAD_SWF)
    path = directory / "sweep.toml"
    path.write_text(SWEEP.replace("{extra}", extra))
    return path


def fleetsim(*args, env=None, timeout=300):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=timeout, env=env)


def read_index(directory):
    """(root attributes, /points as a DataFrame with strings decoded)."""
    with h5py.File(Path(directory) / "sweep.h5", "r") as f:
        attributes = dict(f.attrs)
        rows = f["points"][()]
    table = pd.DataFrame(rows)
    for name in rows.dtype.names:
        if rows.dtype[name].kind == "S":
            table[name] = [value.decode() for value in rows[name]]
    return attributes, table


def check_toy_index(directory):
    """Every point of the toy sweep is in the index: the good-trace points done with their own summary, the
    bad-trace points failed with the trace's error line."""
    attributes, points = read_index(directory)
    assert attributes["kind"] == "fleetsim-sweep"
    assert list(attributes["parameters"]) == ["scheduler.policy", "workload.t.path",
                                              "campus.paris.cluster.a.power_cap_w"]
    assert attributes["points"] == 8 and attributes["done"] == 4 and attributes["failed"] == 4
    assert len(points) == 8 and points["id"].is_unique
    good = points["workload.t.path"] == "good.swf"
    assert (points.loc[good, "status"] == "done").all()
    assert (points.loc[~good, "status"] == "failed").all()
    for error in points.loc[~good, "error"]:
        assert error.endswith("bad.swf:2: run_time: must be a number (got sixty)"), error
    assert points["campus.paris.cluster.a.power_cap_w"].dtype == np.float64
    assert set(points["scheduler.policy"]) == {"fifo", "easy-backfill"}
    for _, point in points[good].iterrows():
        with h5py.File(Path(directory) / point["path"], "r") as f:
            summary = f["summary"].attrs
            for metric in ("jobs_completed", "it_energy_j", "carbon_kg", "mean_wait_s"):
                assert point[metric] == summary[metric], metric
            horizon_days = f["meta"].attrs["horizon_s"] / 86400
            assert point["jobs_per_day"] == summary["jobs_completed"] / horizon_days
            scenario = f["meta/scenario"][()].decode()
            assert f"policy = '{point['scheduler.policy']}'" in scenario
            assert f["meta"].attrs["seed"] == point["seed"]
        assert point["wall_s"] > 0
        assert point["error"] == ""
    assert points.loc[~good, "jobs_completed"].isna().all()
    return points

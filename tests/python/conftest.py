"""Shared fixtures: a synthetic result file following sim/telemetry/SCHEMA.md, and paths."""
import os
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
ANALYSIS = REPO / "analysis"
sys.path.insert(0, str(ANALYSIS))  # import fleetsim from the source tree

HORIZON_S = 2 * 86400.0
INTERVAL_S = 3600.0
NAN = float("nan")

JOB_DTYPE = np.dtype([
    ("id", "<u8"), ("name", "S64"), ("campus", "S32"), ("cluster", "S32"), ("gpus", "<u4"),
    ("submit_s", "<f8"), ("start_s", "<f8"), ("end_s", "<f8"), ("state", "S12"), ("energy_j", "<f8"),
])
JOB_UNITS = {"id": "1", "gpus": "1", "submit_s": "s", "start_s": "s", "end_s": "s", "energy_j": "J"}
JOBS = [  # name is str here, written as UTF-8 bytes
    (0, "pretrain-llm", "austin", "a1", 512, 0.0, 0.0, 86400.0, "completed", 3.0e10),
    (1, "0-1", "oslo", "o1", 64, 100.0, 3700.0, 10000.0, "completed", 2.0e8),
    (2, "läufer", "oslo", "o1", 8, 200.0, 7400.0, NAN, "running", 5.0e8),
    (3, "x" * 64, "austin", "", 1024, 300.0, NAN, NAN, "queued", 0.0),
]

TIMESERIES_DTYPE = np.dtype([
    ("time_s", "<f8"), ("it_power_w", "<f8"), ("facility_power_w", "<f8"),
    ("gpus_busy", "<f8"), ("carbon_kg", "<f8"),
])
TIMESERIES_UNITS = {"time_s": "s", "it_power_w": "W", "facility_power_w": "W", "gpus_busy": "1",
                    "carbon_kg": "kg"}
# Written in this (unsorted) order on purpose.
CAMPUSES = {
    "oslo": {"country": "NO", "grid_connection_w": 20e6, "pue": 1.1, "gpus": 1024,
             "carbon_intensity_kg_per_j": 8e-9},
    "austin": {"country": "US", "grid_connection_w": 60e6, "pue": 1.3, "gpus": 4096,
               "carbon_intensity_kg_per_j": 1.1e-7},
}
CAMPUS_UNITS = {"grid_connection_w": "W", "pue": "1", "gpus": "1", "carbon_intensity_kg_per_j": "kg/J"}

SUMMARY = {
    "jobs_submitted": (4, "1"), "jobs_completed": (2, "1"), "jobs_running": (1, "1"),
    "jobs_queued": (1, "1"), "it_energy_j": (4.1e12, "J"), "facility_energy_j": (5.2e12, "J"),
    "carbon_kg": (4.6e5, "kg"), "mean_wait_s": (3600.0, "s"), "p95_wait_s": (7200.0, "s"),
    "gpu_hours_busy": (13000.0, "h"), "gpu_utilization": (0.05, "1"),
}
SCENARIO_TOML = '[simulation]\nduration = "2d"\nseed = 7\n'
META = {
    "schema_version": (1, "1"), "fleetsim_version": ("0.1.0", None), "git_commit": ("abc1234", None),
    "seed": (7, "1"), "scenario_path": ("scenarios/test.toml", None),
    "created_utc": ("2026-11-25T20:41:07Z", None), "horizon_s": (HORIZON_S, "s"),
    "telemetry_interval_s": (INTERVAL_S, "s"),
}


def _write_attributes(obj, values_and_units):
    for key, (value, unit) in values_and_units.items():
        obj.attrs[key] = value  # str -> variable-length UTF-8; int/float -> int64/float64
        if unit is not None:
            obj.attrs[f"{key}.units"] = unit


def _write_table(group, name, rows, units):
    dataset = group.create_dataset(name, data=rows, chunks=True, shuffle=True, compression="gzip")
    for field, unit in units.items():
        dataset.attrs[f"{field}.units"] = unit
    return dataset


def write_synthetic_result(path):
    """Write a small result file that follows SCHEMA.md version 1."""
    with h5py.File(path, "w") as f:
        meta = f.create_group("meta")
        _write_attributes(meta, META)
        meta.create_dataset("scenario", data=SCENARIO_TOML, dtype=h5py.string_dtype("utf-8"))

        jobs = [tuple(v.encode() if isinstance(v, str) else v for v in job) for job in JOBS]
        _write_table(f, "jobs", np.array(jobs, dtype=JOB_DTYPE), JOB_UNITS)

        times = np.arange(0.0, HORIZON_S, INTERVAL_S)
        for index, (name, attributes) in enumerate(CAMPUSES.items()):
            group = f.create_group(f"campuses/{name}")
            _write_attributes(group, {k: (v, CAMPUS_UNITS.get(k)) for k, v in attributes.items()})
            rows = np.zeros(len(times), dtype=TIMESERIES_DTYPE)
            rows["time_s"] = times
            rows["it_power_w"] = (5 + index) * 1e6 * (1.5 + np.sin(times / 86400 * 2 * np.pi))
            rows["facility_power_w"] = rows["it_power_w"] * attributes["pue"]
            rows["gpus_busy"] = np.minimum(attributes["gpus"], 100.0 * (1 + times / 3600))
            rows["carbon_kg"] = np.cumsum(rows["facility_power_w"] * INTERVAL_S) * 1e-7
            _write_table(group, "timeseries", rows, TIMESERIES_UNITS)

        _write_attributes(f.create_group("summary"), SUMMARY)


@pytest.fixture(scope="session")
def synthetic_h5(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.h5"
    write_synthetic_result(path)
    return path


@pytest.fixture
def fleetsim_bin():
    """The built simulator from $FLEETSIM_BIN; skips the test when unset."""
    binary = os.environ.get("FLEETSIM_BIN")
    if not binary:
        pytest.skip("FLEETSIM_BIN is not set")
    if not Path(binary).is_file():
        pytest.fail(f"FLEETSIM_BIN={binary} does not exist")
    return Path(binary).resolve()


def analysis_env():
    """Environment for subprocesses/kernels: analysis/ on PYTHONPATH, headless matplotlib."""
    env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ANALYSIS), env.get("PYTHONPATH")]))
    return env

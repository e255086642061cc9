"""Trace replay keeps the trace's statistics: the /jobs table of a replay reproduces the job-size and run-time
distributions of the trace it read (issue #5: within 1%)."""
import subprocess

import numpy as np
import pytest
import pandas as pd

import fleetsim
from conftest import REPO


def test_helios_format_replay_reproduces_size_and_duration_distributions(fleetsim_bin, tmp_path):
    trace = tmp_path / "helios_like.csv"
    subprocess.run(["/usr/bin/python3", str(REPO / "tests/bench/make_helios_like_trace.py"), str(trace), "20000", "7"],
                   check=True, capture_output=True)
    out = tmp_path / "replay.h5"
    subprocess.run([str(fleetsim_bin), "run", "tests/bench/helios-replay.toml", "-o", str(out), "--quiet",
                    "--set", f"workload.helios.path={trace}", "--set", "workload.helios.time_scale=1.0",
                    "--set", "simulation.duration=240d"], cwd=REPO, check=True, capture_output=True, timeout=600)
    source = pd.read_csv(trace)
    jobs = fleetsim.load(out).jobs
    assert len(jobs) == len(source)
    completed = jobs[jobs["state"] == "completed"]
    assert len(completed) == len(jobs)  # the horizon outlasts the longest job
    run_s = completed["end_s"] - completed["start_s"]
    for replayed, original in [(jobs["gpus"], source["gpu_num"]), (run_s, source["duration"])]:
        for statistic in (np.mean, np.median, lambda x: np.percentile(x, 90)):
            assert statistic(replayed) == pytest.approx(statistic(original), rel=0.01)

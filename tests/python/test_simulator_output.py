"""End to end: the built simulator's output is readable by the loader (needs $FLEETSIM_BIN)."""
import subprocess

import pytest

import fleetsim
from conftest import REPO, SUMMARY

SCENARIO = "scenarios/examples/quickstart.toml"


def test_quickstart_output_loads(fleetsim_bin, tmp_path):
    if not (REPO / SCENARIO).is_file():
        pytest.skip(f"{SCENARIO} does not exist yet")
    out = tmp_path / "q.h5"
    run = subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(out), "--quiet",
                          "--set", "simulation.duration=1d"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    result = fleetsim.load(out)
    assert len(result.jobs) > 0
    assert result.campuses
    for campus in result.campuses:
        assert len(result.timeseries(campus)) > 0
    assert set(SUMMARY) <= set(result.summary)
    assert result.meta["horizon_s"] == 86400
    assert result.meta["scenario"]

"""End to end: the built simulator's output is readable by the loader (needs $FLEETSIM_BIN)."""
import subprocess

import h5py

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


def test_resolved_scenario_in_meta_reruns_to_identical_results(fleetsim_bin, tmp_path):
    """/meta/scenario is the fully resolved scenario: saved to a file, it runs as is and gives the same run."""
    first = tmp_path / "first.h5"
    args = ["--quiet", "--seed", "7", "--set", "simulation.duration=1d", "--set", "campus.paris.grid_connection_mw=2.5"]
    subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(first), *args], cwd=REPO, check=True,
                   capture_output=True)
    resolved = tmp_path / "resolved.toml"
    resolved.write_text(fleetsim.load(first).meta["scenario"])
    second = tmp_path / "second.h5"
    subprocess.run([str(fleetsim_bin), "run", str(resolved), "-o", str(second), "--quiet"], check=True,
                   capture_output=True)
    with h5py.File(first) as a, h5py.File(second) as b:
        assert a["meta"].attrs["seed"] == b["meta"].attrs["seed"] == 7
        assert a["jobs"][()].tobytes() == b["jobs"][()].tobytes()
        for campus in a["campuses"]:
            assert a[f"campuses/{campus}/timeseries"][()].tobytes() == b[f"campuses/{campus}/timeseries"][()].tobytes()
        assert a["campuses/paris"].attrs["grid_connection_w"] == 2.5e6

"""The fleet level agrees with the request level (issue 13): for a flat demand at three load levels, the replicas
`fleetsim run` gives a service (read off /services/<name>/timeseries) are within 10% of the smallest pool whose
request-level run (`fleetsim serve --find-pool`: every request through continuous batching on SimGrid) meets the
SLO. Needs $FLEETSIM_BIN."""
import json
import subprocess

import h5py
import pytest

from conftest import REPO

SCENARIO = "tests/scenarios/serving_levels.toml"
# Subscribers x 8.64 requests a day = 0.0001 requests/s each: 50, 150 and 400 requests/s.
LOADS = [5e5, 1.5e6, 4e6]


@pytest.mark.parametrize("subscribers", LOADS)
def test_fleet_level_replicas_within_10_percent_of_the_smallest_request_level_pool(fleetsim_bin, tmp_path, subscribers):
    demand = f"service.chat.demand.subscribers={subscribers}"
    out = tmp_path / "fleet.h5"
    run = subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(out), "--quiet", "--set", demand],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    with h5py.File(out, "r") as f:
        replicas = f["services/chat/timeseries"]["replicas"]
        assert replicas.min() == pytest.approx(replicas.max())  # a flat demand: one pool size all along
        fleet = round(float(replicas[0]), 6)
    serve = subprocess.run([str(fleetsim_bin), "serve", SCENARIO, "--set", demand, "--duration", "20min",
                            "--find-pool", "--json"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert serve.returncode == 0, serve.stderr
    result = json.loads(serve.stdout)
    assert result["meets_slo"]
    pool = result["replicas"]
    assert result["fleet_level_replicas"] == fleet
    assert abs(fleet - pool) <= 0.1 * pool, f"fleet level {fleet} replicas, request level {pool}"

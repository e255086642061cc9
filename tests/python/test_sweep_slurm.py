"""`fleetsim sweep --backend slurm` against a real single-node SLURM (slurmctld + slurmd + munged, started by
scripts/local-slurm, which installs slurm-wlm and munge from Debian when missing, and stopped at the end)."""
import os
import subprocess
import time

import pytest

from sweep_support import BINARY, REPO, check_toy_index, fleetsim, read_index, write_toy_sweep

LOCAL_SLURM = REPO / "scripts" / "local-slurm"

pytestmark = [
    pytest.mark.skipif(not BINARY.is_file(), reason=f"fleetsim binary not found at {BINARY}"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the local SLURM runs its daemons as root"),
]


@pytest.fixture(scope="module")
def slurm_env(tmp_path_factory):
    """Environment with SLURM_CONF pointing at a running local SLURM; stops the daemons afterwards."""
    directory = tmp_path_factory.mktemp("slurm")
    started = subprocess.run([str(LOCAL_SLURM), "start", str(directory)], capture_output=True, text=True, timeout=600)
    assert started.returncode == 0, started.stdout + started.stderr
    env = dict(os.environ, SLURM_CONF=str(directory / "slurm.conf"))
    try:
        yield env
    finally:
        stopped = subprocess.run([str(LOCAL_SLURM), "stop", str(directory)], capture_output=True, text=True, timeout=60)
        assert stopped.returncode == 0, stopped.stderr
        for pid_file in ("slurmctld.pid", "slurmd.pid"):
            assert not (directory / "run" / pid_file).exists()


def queue_is_empty(env, job_id):
    result = subprocess.run(["squeue", "-h", "-j", job_id], capture_output=True, text=True, env=env)
    return result.returncode != 0 or not result.stdout.strip()


def test_slurm_sweep_runs_every_point_as_an_array_task(tmp_path, slurm_env):
    sweep = write_toy_sweep(tmp_path / "in", extra='[slurm]\ntime = "5min"\nmem = "500M"\nthrottle = 2\n'
                                                  'points_per_task = 2\nsbatch = ["--comment=fleetsim-test"]\n')
    out = tmp_path / "out"
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--backend", "slurm", env=slurm_env)
    assert result.returncode == 1, result.stdout + result.stderr  # the bad-trace points fail
    assert "submitted SLURM job array" in result.stdout
    check_toy_index(out)
    job_id = (out / "slurm" / "jobs").read_text().split()[0]
    script = (out / "slurm" / "batch-1.sbatch").read_text()
    assert "#SBATCH --array=0-3%2\n" in script and "#SBATCH --comment=fleetsim-test\n" in script
    # Every array task ran under SLURM: one output file per task, and the job has left the queue.
    outputs = sorted((out / "slurm").glob(f"batch-1_{job_id}_*.out"))
    assert len(outputs) == 4
    for task_output in outputs:
        lines = task_output.read_text().split()
        assert len([word for word in lines if word in ("done", "failed")]) == 2
    deadline = time.time() + 30
    while not queue_is_empty(slurm_env, job_id) and time.time() < deadline:
        time.sleep(0.2)
    assert queue_is_empty(slurm_env, job_id)

    # Resume on SLURM: only the failed points are submitted again.
    again = fleetsim("sweep", str(sweep), "-o", str(out), "--backend", "slurm", env=slurm_env)
    assert "8 points, 4 to run (4 done before)" in again.stdout
    assert (out / "slurm" / "batch-2.tasks").read_text().split().__len__() == 4


def test_slurm_no_wait_then_collect(tmp_path, slurm_env):
    sweep = write_toy_sweep(tmp_path / "in")
    (tmp_path / "in" / "bad.swf").write_text((tmp_path / "in" / "good.swf").read_text())
    out = tmp_path / "out"
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--backend", "slurm", "--no-wait", env=slurm_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not waiting" in result.stdout
    job_id = (out / "slurm" / "jobs").read_text().split()[0]
    deadline = time.time() + 120
    while not queue_is_empty(slurm_env, job_id) and time.time() < deadline:
        time.sleep(0.5)
    collected = fleetsim("sweep", "collect", str(out))
    assert collected.returncode == 0, collected.stdout
    attributes, points = read_index(out)
    assert attributes["done"] == 8
    assert (points["status"] == "done").all()


def test_a_task_that_dies_fails_its_points(tmp_path, slurm_env):
    """An array task that dies before running its points (here its shell kills itself, as an out-of-memory
    or time-limit kill would) leaves no result: the waiting submitter records those points as failed."""
    sweep = write_toy_sweep(tmp_path / "in", extra='[slurm]\nsetup = ["kill -KILL $$"]\n')
    out = tmp_path / "out"
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--backend", "slurm", env=slurm_env)
    assert result.returncode == 1
    attributes, points = read_index(out)
    assert attributes["failed"] == 8 and attributes["pending"] == 0
    for error in points["error"]:
        assert "ended without a result or error for this point" in error

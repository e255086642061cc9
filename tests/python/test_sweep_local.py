"""`fleetsim sweep` with the local backend: every point runs or is recorded as failed, re-running skips
finished points and retries failed ones, `sweep collect` rebuilds the index, bad sweep files are rejected."""
import re
import shutil
import signal
import subprocess
import time

import pytest

from sweep_support import SLOW_WORKLOAD, BINARY, check_toy_index, fleetsim, read_index, write_toy_sweep

pytestmark = pytest.mark.skipif(not BINARY.is_file(), reason=f"fleetsim binary not found at {BINARY}")


def test_local_sweep_records_every_point(tmp_path):
    sweep = write_toy_sweep(tmp_path / "in")
    out = tmp_path / "out"
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--jobs", "2")
    assert result.returncode == 1, result.stderr  # some points failed: exit 1, and each is in the index
    assert "8 points: 4 done, 4 failed, 0 pending" in result.stdout
    assert "bad.swf:2: run_time: must be a number (got sixty)" in result.stdout
    points = check_toy_index(out)
    for point_id in points["id"]:
        assert (out / "logs" / f"{point_id}.log").is_file()
    assert (out / "sweep.toml").read_text() == sweep.read_text()

    # Resume: finished points are skipped, failed ones retried (and fail again).
    done_files = {p: p.stat().st_mtime_ns for p in (out / "points").glob("*.h5")}
    again = fleetsim("sweep", str(sweep), "-o", str(out))
    assert "8 points, 4 to run (4 done before)" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in (out / "points").glob("*.h5")} == done_files

    # Fix the trace: the retry succeeds and the sweep is complete.
    shutil.copy(tmp_path / "in" / "good.swf", tmp_path / "in" / "bad.swf")
    fixed = fleetsim("sweep", str(sweep), "-o", str(out))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    attributes, points = read_index(out)
    assert attributes["done"] == 8 and attributes["failed"] == 0
    assert (points["error"] == "").all()
    assert not list((out / "points").glob("*.err"))

    # A result file cut short (a bad copy, a damaged disk) is not "done": the point runs again, and the damaged
    # file is kept aside.
    damaged = sorted((out / "points").glob("*.h5"))[0]
    damaged.write_bytes(damaged.read_bytes()[:100])
    redone = fleetsim("sweep", str(sweep), "-o", str(out))
    assert redone.returncode == 0, redone.stdout + redone.stderr
    assert "8 points, 1 to run (7 done before)" in redone.stdout
    assert (out / "points" / (damaged.name + ".corrupt")).is_file()
    attributes, _ = read_index(out)
    assert attributes["done"] == 8


def test_collect_rebuilds_the_index(tmp_path):
    sweep = write_toy_sweep(tmp_path / "in")
    out = tmp_path / "out"
    fleetsim("sweep", str(sweep), "-o", str(out), "--quiet")
    _, before = read_index(out)
    (out / "sweep.h5").unlink()
    result = fleetsim("sweep", "collect", str(out))
    assert result.returncode == 1  # failed points are still failed
    _, after = read_index(out)
    columns = [c for c in before.columns if c != "wall_s"]
    assert before[columns].fillna(-1).equals(after[columns].fillna(-1))
    # A removed result turns its point back to pending.
    first_done = after[after["status"] == "done"].iloc[0]
    (out / first_done["path"]).unlink()
    fleetsim("sweep", "collect", str(out))
    attributes, again = read_index(out)
    assert attributes["pending"] == 1
    assert again.loc[again["id"] == first_done["id"], "status"].item() == "pending"


def test_dry_run_writes_nothing(tmp_path):
    sweep = write_toy_sweep(tmp_path / "in")
    result = fleetsim("sweep", str(sweep), "-o", str(tmp_path / "out"), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "toy-sweep: 8 points" in result.stdout
    assert "8 of 8 points to run" in result.stdout
    assert not (tmp_path / "out").exists()
    slurm = fleetsim("sweep", str(sweep), "-o", str(tmp_path / "out"), "--dry-run", "--backend", "slurm")
    assert "#SBATCH --array=0-7\n" in slurm.stdout
    assert not (tmp_path / "out").exists()


def run_toy_sweep(tmp_path, name, body):
    """Runs a sweep named `name` of the toy base scenario with `body` ([grid] or [sample]); returns its index."""
    sweep = write_toy_sweep(tmp_path / "in")
    sweep.write_text(f'[sweep]\nname = "{name}"\nscenario = "base.toml"\n' + body)
    out = tmp_path / "out"
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return read_index(out)


def test_sampled_sweep_runs(tmp_path):
    _, points = run_toy_sweep(tmp_path, "lhs", """
[sample]
method = "lhs"
points = 3
seed = 5
[sample.ranges]
"campus.paris.pue" = [1.1, 1.5]
"campus.paris.cluster.a.nodes" = [1, 4]
""")
    assert len(points) == 3 and (points["status"] == "done").all()
    pue = sorted(points["campus.paris.pue"])
    # Latin hypercube: one value in each third of [1.1, 1.5].
    assert [int((p - 1.1) / 0.4 * 3) for p in pue] == [0, 1, 2]
    assert points["campus.paris.cluster.a.nodes"].between(1, 4).all()


def test_duration_parameters_get_their_seconds_beside_the_text(tmp_path):
    _, points = run_toy_sweep(tmp_path, "intervals", """
[grid]
"simulation.telemetry_interval" = ["5min", "1h"]
"campus.paris.cluster.a.nodes" = [1, 2]
""")
    assert list(points["simulation.telemetry_interval"]) == ["5min", "5min", "1h", "1h"]
    assert list(points["simulation.telemetry_interval_s"]) == [300.0, 300.0, 3600.0, 3600.0]
    assert "campus.paris.cluster.a.nodes_s" not in points  # numbers need no second column


@pytest.mark.parametrize("body, expected", [
    ('[grid]\n"campus.paris.pue" = [1.2, -1.0]\n',
     r':5: grid\.campus\.paris\.pue: point p[0-9a-f]{12} \(seed 1, campus\.paris\.pue=-1\.0\) is not a valid '
     r'scenario: --set:1: campus\.paris\.pue: must be >= 1\.0 \(facility power includes IT power\) '
     r'\(got -1\.0 \(float\)\)\n'),
    ('[grid]\n"campus.paris.no_such_key" = [1]\n', None),
    ('[zip]\na = [1, 2]\nb = [3]\n', ':{line}: zip.b: zipped lists must have the same length (2) (got 1 values)\n'),
    # A sampled range is checked at its lowest and highest draws: here the low end is an invalid PUE.
    ('[sample]\npoints = 500\n[sample.ranges]\n"campus.paris.pue" = [0.5, 1.5]\n',
     r':7: sample\.ranges\.campus\.paris\.pue: point p[0-9a-f]{12} \(seed 1, campus\.paris\.pue=0\.50[0-9]*\) is not '
     r'a valid scenario: --set:1: campus\.paris\.pue: must be >= 1\.0 \(facility power includes IT power\) '
     r'\(got 0\.50[0-9]* \(float\)\)\n'),
])
def test_bad_sweeps_are_rejected_with_one_line(tmp_path, body, expected):
    sweep = write_toy_sweep(tmp_path / "in")
    sweep.write_text('[sweep]\nname = "bad"\nscenario = "base.toml"\n' + body)
    out = tmp_path / "out"
    result = fleetsim("sweep", str(sweep), "-o", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{sweep}:"), result.stderr
    assert not out.exists()
    if expected is None:
        assert "grid.campus.paris.no_such_key" in result.stderr and "unknown key" in result.stderr
    elif expected.startswith((":5", ":7")):
        assert re.fullmatch(re.escape(str(sweep)) + expected, result.stderr), result.stderr
    else:
        assert result.stderr == f"{sweep}" + expected.format(line=6)


def test_changed_base_scenario_is_not_mixed_into_old_results(tmp_path):
    sweep = write_toy_sweep(tmp_path / "in")
    out = tmp_path / "out"
    fleetsim("sweep", str(sweep), "-o", str(out), "--quiet")
    base = tmp_path / "in" / "base.toml"
    base.write_text(base.read_text().replace('duration = "6h"', 'duration = "12h"'))
    result = fleetsim("sweep", str(sweep), "-o", str(out))
    assert result.returncode == 2
    assert "holds points of another base scenario" in result.stderr


def test_unknown_backend(tmp_path):
    sweep = write_toy_sweep(tmp_path / "in")
    result = fleetsim("sweep", str(sweep), "--backend", "cloud")
    assert result.returncode == 2
    assert result.stderr == "--backend:0: --backend: unknown backend (known: local, slurm) (got cloud)\n"




def write_slow_sweep(directory, extra_sweep=""):
    """The toy base plus a synthetic workload whose job count is a parameter: 10 jobs (fast) or 3M (tens of seconds)."""
    sweep = write_toy_sweep(directory)
    base = directory / "base.toml"
    base.write_text(base.read_text() + SLOW_WORKLOAD)
    sweep.write_text(f"""
[sweep]
name = "slow"
scenario = "base.toml"
{extra_sweep}
[grid]
"workload.mix.jobs" = [10, 3000000]
""")
    return sweep


def test_point_timeout_stops_a_point_and_records_it(tmp_path):
    sweep = write_slow_sweep(tmp_path / "in", 'point_timeout = "2s"')
    out = tmp_path / "out"
    start = time.monotonic()
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--jobs", "2")
    assert time.monotonic() - start < 20
    assert result.returncode == 1, result.stdout + result.stderr
    _, points = read_index(out)
    slow = points["workload.mix.jobs"] == 3000000
    assert points.loc[~slow, "status"].item() == "done"
    assert points.loc[slow, "status"].item() == "failed"
    assert points.loc[slow, "error"].item() == "timed out after 2s (point_timeout); stopped"
    assert not list((out / "points").glob("*.tmp")), "the stopped point left a partial file"


def test_interrupt_leaves_stopped_points_pending_and_indexes_the_rest(tmp_path):
    sweep = write_slow_sweep(tmp_path / "in")
    out = tmp_path / "out"
    process = subprocess.Popen([str(BINARY), "sweep", str(sweep), "-o", str(out), "--jobs", "2", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(list((out / "points").glob("*.h5"))) < 1:
        time.sleep(0.05)  # the fast point is done; the slow one runs
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)  # to the sweep process only, as `kill -INT` would
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stdout + stderr
    assert "interrupted" in stdout
    attributes, points = read_index(out)
    assert attributes["done"] == 1 and attributes["pending"] == 1 and attributes["failed"] == 0
    assert not list((out / "points").glob("*.err"))
    assert not list((out / "points").glob("*.tmp"))
    # Resuming would run only the stopped point.
    resumed = fleetsim("sweep", str(sweep), "-o", str(out), "--dry-run")
    assert "1 of 2 points to run" in resumed.stdout

"""Sweeps never lose or clobber results (issue 11, hardening): a sweep locks its directory (a second one is
refused with exit 2), a point runs only under its own lock (a resumed sweep waits for a point another process
still runs and takes its result), a sweep reaps its children and its children die with it, and the index is
written through a temporary file of its own."""
import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from sweep_support import SLOW_WORKLOAD, BINARY, fleetsim, read_index, write_toy_sweep

pytestmark = pytest.mark.skipif(not BINARY.is_file(), reason=f"fleetsim binary not found at {BINARY}")

# A synthetic workload whose job count is the parameter: 10 jobs take a blink, SLOW_JOBS about a second on an idle
# 2-core machine (several under load).
SLOW_JOBS = 200000


def write_sweep(directory, jobs):
    """The toy base (good trace) plus the synthetic workload, and a sweep over its job count."""
    sweep = write_toy_sweep(directory)
    base = directory / "base.toml"
    base.write_text(base.read_text() + SLOW_WORKLOAD)
    sweep.write_text('[sweep]\nname = "locks"\nscenario = "base.toml"\n[grid]\n'
                     f'"workload.mix.jobs" = [{", ".join(str(j) for j in jobs)}]\n')
    return sweep


def start_sweep(sweep, out, *extra):
    return subprocess.Popen([str(BINARY), "sweep", str(sweep), "-o", str(out), "--jobs", "2", "--quiet", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def temporaries(out):
    return sorted(p.name for p in out.rglob("*.tmp"))


def lock_files(out):
    return sorted(p.name for p in out.rglob("*.lock"))


def children_of(pid):
    """Live (non-zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def fast_done_slow_writing(out, sweep_pid):
    """The fast point's file is in and its process has ended (it exits a moment after the rename), while the slow
    point still writes its temporary file."""
    return (len(list((out / "points").glob("*.h5"))) == 1 and len(temporaries(out)) == 1
            and len(children_of(sweep_pid)) == 1)


def is_gone(pid):
    """True when `pid` no longer runs (exited and reaped, or a zombie of a dead parent waiting for init)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2:].split()[0] == "Z"


def check_all_done(out, points):
    attributes, table = read_index(out)
    assert attributes["points"] == points and attributes["done"] == points, attributes
    for path in table["path"]:
        with h5py.File(out / path, "r") as f:
            assert f["summary"].attrs["jobs_completed"] >= 0
    assert temporaries(out) == []
    assert lock_files(out) == []
    return table


def test_a_second_sweep_on_the_directory_is_refused_and_the_first_completes(tmp_path):
    sweep = write_sweep(tmp_path / "in", [10, SLOW_JOBS])
    out = tmp_path / "out"
    first = start_sweep(sweep, out)
    wait_for(lambda: len(list((out / "logs").glob("*.log"))) == 2, what="both points to start")
    assert (out / "sweep.lock").read_text() == f"{first.pid}\n"

    second = fleetsim("sweep", str(sweep), "-o", str(out), "--jobs", "2")
    assert second.returncode == 2, second.stdout + second.stderr
    assert second.stderr == (f"--output:0: -o: another fleetsim sweep (pid {first.pid}) is using this directory; "
                             f"wait for it to end or choose another directory (got {out})\n")
    assert second.stdout == ""
    collect = fleetsim("sweep", "collect", str(out))
    assert collect.returncode == 2 and f"(pid {first.pid}) is using this directory" in collect.stderr

    stdout, stderr = first.communicate(timeout=60)
    assert first.returncode == 0, stdout + stderr
    check_all_done(out, 2)


@pytest.mark.parametrize("orphan_finishes", [True, False], ids=["orphan-finishes", "orphan-dies"])
def test_a_resumed_sweep_waits_for_a_point_another_process_runs(tmp_path, orphan_finishes):
    sweep = write_sweep(tmp_path / "in", [10, 20])
    out = tmp_path / "out"
    assert fleetsim("sweep", str(sweep), "-o", str(out), "--quiet").returncode == 0
    _, table = read_index(out)
    point = table["id"][0]
    result = out / "points" / f"{point}.h5"
    saved = result.read_bytes()
    result.unlink()
    (out / "logs" / f"{point}.log").unlink()

    # The orphan of a killed sweep still runs the point: it holds the point's lock and writes its temporary file.
    lock = open(out / "points" / f"{point}.lock", "a+")
    fcntl.flock(lock, fcntl.LOCK_EX)
    partial = out / "points" / f"{point}.h5.4000001.tmp"
    partial.write_bytes(saved[:1000])
    resumed = start_sweep(sweep, out)
    time.sleep(1.0)
    assert resumed.poll() is None, "the resumed sweep did not wait for the point"
    assert partial.read_bytes() == saved[:1000], "the resumed sweep touched the orphan's temporary file"
    assert not (out / "logs" / f"{point}.log").exists(), "the resumed sweep ran the point a second time"

    if orphan_finishes:
        partial.write_bytes(saved)
        partial.rename(result)
    lock.close()  # the orphan ends (killed, when it does not finish: its temporary file stays)
    stdout, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stdout + stderr
    table = check_all_done(out, 2)
    if orphan_finishes:  # its result was taken, the point not run again
        assert result.read_bytes() == saved
        assert not (out / "logs" / f"{point}.log").exists()
    else:  # the point ran here, after its stale temporary file was removed
        assert (out / "logs" / f"{point}.log").exists()
    assert set(table["status"]) == {"done"}


def test_a_sweep_killed_mid_run_takes_its_points_with_it_and_resumes(tmp_path):
    sweep = write_sweep(tmp_path / "in", [10, SLOW_JOBS])
    out = tmp_path / "out"
    killed = start_sweep(sweep, out)
    wait_for(lambda: fast_done_slow_writing(out, killed.pid), what="the fast point done and the slow one writing")
    done_before = {p.name: p.read_bytes() for p in (out / "points").glob("*.h5")}
    children = children_of(killed.pid)
    assert len(children) == 1
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=10)
    # The point dies with the sweep (PR_SET_PDEATHSIG) and removes its partial file: no orphan writes on.
    wait_for(lambda: all(is_gone(pid) for pid in children), timeout=10, what="the point to die with the sweep")
    wait_for(lambda: temporaries(out) == [], timeout=5, what="the partial file to go")
    assert {p.name for p in (out / "points").glob("*.h5")} == set(done_before), "the killed point finished"
    # Killed between a point's end and its settling, a sweep also leaves the done point's lock file: the resumed
    # sweep removes it (nobody holds it).
    for name in done_before:
        (out / "points" / (name[:-len(".h5")] + ".lock")).touch()

    resumed = fleetsim("sweep", str(sweep), "-o", str(out), "--jobs", "2")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "2 points, 1 to run (1 done before)" in resumed.stdout
    check_all_done(out, 2)
    for name, content in done_before.items():  # not lost, not run again
        assert (out / "points" / name).read_bytes() == content


def test_sigterm_stops_and_reaps_the_points(tmp_path):
    sweep = write_sweep(tmp_path / "in", [10, SLOW_JOBS])
    out = tmp_path / "out"
    process = start_sweep(sweep, out)
    wait_for(lambda: fast_done_slow_writing(out, process.pid), what="the fast point done and the slow one writing")
    children = children_of(process.pid)
    assert len(children) == 1
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stdout + stderr
    assert "interrupted: the points it stopped are pending; run the sweep again to resume" in stdout
    # Waited for: not running, and not a zombie either (its /proc entry is gone once reaped).
    for pid in children:
        assert not Path(f"/proc/{pid}").exists(), f"point process {pid} outlived the sweep"
    assert temporaries(out) == [] and lock_files(out) == []
    attributes, _ = read_index(out)
    assert attributes["done"] == 1 and attributes["pending"] == 1


def test_the_index_is_not_written_through_a_link_at_the_old_temporary_name(tmp_path):
    sweep = write_sweep(tmp_path / "in", [10, 20])
    out = tmp_path / "out"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    for old_name in ("sweep.h5.tmp", "plan.tsv.tmp", "sweep.toml.tmp"):  # the former fixed temporary names
        (out / old_name).symlink_to(precious)
    # A stale index temporary of a killed sweep (its pid cannot run now: above pid_max) is removed.
    (out / "sweep.h5.4999999.tmp").write_bytes(b"stale")
    result = fleetsim("sweep", str(sweep), "-o", str(out), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert precious.read_text() == "keep me"
    assert all((out / name).is_symlink() for name in ("sweep.h5.tmp", "plan.tsv.tmp", "sweep.toml.tmp"))
    assert not (out / "sweep.h5.4999999.tmp").exists()
    assert read_index(out)[0]["done"] == 2
    again = fleetsim("sweep", "collect", str(out))
    assert again.returncode == 0, again.stdout + again.stderr
    assert precious.read_text() == "keep me"


def test_a_task_of_a_second_submission_does_not_run_a_done_point_again(tmp_path):
    """`sweep run-task` (what a SLURM array task runs) takes each point's lock and skips a point found done: a point
    queued in two submissions runs once."""
    sweep = write_sweep(tmp_path / "in", [10, 20])
    out = tmp_path / "out"
    assert fleetsim("sweep", str(sweep), "-o", str(out), "--quiet").returncode == 0
    _, table = read_index(out)
    ids = list(table["id"])
    results = {i: (out / "points" / f"{i}.h5").read_bytes() for i in ids}
    for i in ids:
        (out / "logs" / f"{i}.log").unlink()
    (out / "points" / f"{ids[1]}.h5").unlink()  # pending again
    tasks = tmp_path / "batch.tasks"
    tasks.write_text(" ".join(ids) + "\n")
    result = fleetsim("sweep", "run-task", str(out), "--tasks", str(tasks), "--task", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == [ids[0], "done", ids[1], "done"]
    assert (out / "points" / f"{ids[0]}.h5").read_bytes() == results[ids[0]]
    assert not (out / "logs" / f"{ids[0]}.log").exists(), "the done point ran again"
    assert (out / "logs" / f"{ids[1]}.log").exists()
    assert temporaries(out) == [] and lock_files(out) == []

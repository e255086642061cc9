"""The summary `fleetsim run` prints: the binding limit comes with what it means and what a planner can do."""
import subprocess

import h5py

from conftest import REPO

SCENARIO = "scenarios/examples/quickstart.toml"


def run(fleetsim_bin, tmp_path, *sets):
    args = [str(fleetsim_bin), "run", SCENARIO, "-o", str(tmp_path / "o.h5")]
    for s in sets:
        args += ["--set", s]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "binding limit:" in line)
    with h5py.File(tmp_path / "o.h5") as f:
        limits = f["limits"][:]
    binding = [row for row in limits if row["binding"]]
    return lines[at], lines[at + 1], binding


def test_a_limit_with_room_says_so(fleetsim_bin, tmp_path):
    line, advice, _ = run(fleetsim_bin, tmp_path)
    assert "paris:racks" in line
    assert "every limit holds even at full load" in advice


def test_a_grid_connection_below_the_nameplate_gets_its_ratio_and_remedies(fleetsim_bin, tmp_path):
    # The quick start's Paris campus on a 0.5 MW connection: its nameplate is far above it.
    line, advice, binding = run(fleetsim_bin, tmp_path, "campus.paris.grid_connection_mw=0.5")
    assert "paris:grid" in line
    paris = [row for row in binding if row["campus"] == b"paris"][0]
    assert f"nameplate {paris['nameplate_ratio'] * 100:.0f}% of the limit" in advice
    assert "raise grid_connection_mw" in advice and '[power] policy = "cap"' in advice


def test_stats_give_the_phases_and_the_event_loop_s_waits_for_the_writer(fleetsim_bin, tmp_path):
    import json
    out, stats_path = tmp_path / "o.h5", tmp_path / "stats.json"
    done = subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(out), "--quiet", "--stats", str(stats_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    stats = json.loads(stats_path.read_text())
    for key in ("load_s", "workload_s", "simulate_s", "write_s", "total_s", "platform_build_s", "engine_run_s",
                "engine_writer_wait_s", "engine_writer_help_s", "events", "jobs", "jobs_started", "hosts",
                "huge_page_heap", "peak_rss_bytes"):
        assert key in stats, key
    assert 0 <= stats["engine_writer_wait_s"] + stats["engine_writer_help_s"] <= stats["engine_run_s"]
    with h5py.File(out) as f:
        assert stats["jobs"] == len(f["jobs"])
    assert stats["events"] > stats["jobs"]  # every job's arrival and end, and the ticks


def machine_allows_huge_page_heap() -> bool:
    """What sim/app/huge_page_heap.cpp asks of the machine: THP on request and glibc >= 2.35."""
    import platform
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as file:
            mode = file.read()
    except OSError:
        return False
    name, version = platform.libc_ver()
    major, minor = (int(part) for part in version.split(".")[:2]) if name == "glibc" else (0, 0)
    return "[madvise]" in mode and (major, minor) >= (2, 35)


def test_a_run_asks_for_a_huge_page_heap_and_its_results_do_not_depend_on_it(fleetsim_bin, tmp_path):
    """fleetsim run starts itself again with glibc.malloc.hugetlb=1 where the machine allows it, unless told not to
    (FLEETSIM_HUGE_PAGE_HEAP=0) or the user set the tunable; the results are the same either way."""
    import json
    import os
    runs = {}
    for label, extra_env in [("default", {}), ("off", {"FLEETSIM_HUGE_PAGE_HEAP": "0"}),
                             ("user", {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"})]:
        env = {k: v for k, v in os.environ.items() if k not in ("GLIBC_TUNABLES", "FLEETSIM_HUGE_PAGE_HEAP")}
        out, stats_path = tmp_path / f"{label}.h5", tmp_path / f"{label}.json"
        done = subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(out), "--quiet", "--stats",
                               str(stats_path)], cwd=REPO, capture_output=True, text=True, timeout=300,
                              env={**env, **extra_env})
        assert done.returncode == 0, done.stderr
        runs[label] = (json.loads(stats_path.read_text()), out)
    assert runs["default"][0]["huge_page_heap"] is machine_allows_huge_page_heap()
    assert runs["off"][0]["huge_page_heap"] is False
    assert runs["user"][0]["huge_page_heap"] is False
    import numpy as np
    with h5py.File(runs["default"][1]) as a, h5py.File(runs["off"][1]) as b:
        jobs_a, jobs_b = a["jobs"][:], b["jobs"][:]
        assert len(jobs_a) > 0 and jobs_a.dtype == jobs_b.dtype
        for name in jobs_a.dtype.names:
            floats = jobs_a.dtype[name].kind == "f"
            assert np.array_equal(jobs_a[name], jobs_b[name], equal_nan=floats), name

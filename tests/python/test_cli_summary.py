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
                "peak_rss_bytes"):
        assert key in stats, key
    assert 0 <= stats["engine_writer_wait_s"] + stats["engine_writer_help_s"] <= stats["engine_run_s"]
    with h5py.File(out) as f:
        assert stats["jobs"] == len(f["jobs"])
    assert stats["events"] > stats["jobs"]  # every job's arrival and end, and the ticks

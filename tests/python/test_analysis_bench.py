"""tests/bench/analysis_open.py (a benchmark, run by tests/bench/run) still runs: on the small synthetic result."""
import json
import subprocess

from conftest import REPO, analysis_env


def test_analysis_benchmark_writes_its_figures(synthetic_h5, tmp_path):
    out = tmp_path / "bench" / "analysis.json"
    run = subprocess.run(["/usr/bin/python3", str(REPO / "tests/bench/analysis_open.py"), str(synthetic_h5), str(out)],
                         env=analysis_env(), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(out.read_text())
    assert report["jobs"] == 4 and report["campuses"] == 2
    steps = report["steps"]
    assert list(steps) == ["open_summary", "to_xarray", "filtered_jobs", "full_jobs"]
    assert all(step["wall_s"] >= 0 and step["rss_after_bytes"] > 0 for step in steps.values())
    # The largest campus is austin (4,096 GPUs); its jobs with >= 64 GPUs: 0 (512) and 3 (1,024).
    assert steps["filtered_jobs"]["where"] == "campus == 'austin' and gpus >= 64"
    assert steps["filtered_jobs"]["rows"] == 2
    assert steps["full_jobs"]["rows"] == 4
    assert steps["to_xarray"]["times"] == 48
    assert report["meets_target"] is True


def test_analysis_benchmark_usage(tmp_path):
    run = subprocess.run(["/usr/bin/python3", str(REPO / "tests/bench/analysis_open.py")], capture_output=True,
                         text=True, env=analysis_env())
    assert run.returncode == 2 and "usage: tests/bench/analysis_open.py RESULT.h5 OUT.json" in run.stderr

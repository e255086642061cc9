"""The progress bar: on stderr when it is a terminal, never with --quiet or when stderr is a pipe."""
import shlex
import subprocess

from conftest import REPO

SCENARIO = "scenarios/bench/fleet-1gw-year-100th.toml"


def run_in_terminal(fleetsim_bin, args, tmp_path):
    # `script` (util-linux) gives the command a pseudo-terminal, as an interactive shell would.
    command = " ".join(shlex.quote(a) for a in [str(fleetsim_bin), "run", SCENARIO, "-o", str(tmp_path / "o.h5"), *args])
    run = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=REPO, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout
    return run.stdout


def test_progress_bar_on_a_terminal(fleetsim_bin, tmp_path):
    screen = run_in_terminal(fleetsim_bin, [], tmp_path)
    last = [line for line in screen.split("\r") if "ETA" in line][-1]
    assert "365.0d / 365.0d" in last
    assert "events/s" in last and "[" + "#" * 30 + "]" in last


def test_quiet_has_no_progress_bar(fleetsim_bin, tmp_path):
    screen = run_in_terminal(fleetsim_bin, ["--quiet"], tmp_path)
    assert "ETA" not in screen
    assert screen.strip().endswith("o.h5")


def test_no_progress_bar_when_stderr_is_not_a_terminal(fleetsim_bin, tmp_path):
    run = subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(tmp_path / "o.h5")], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0
    assert run.stderr == ""
    assert "wrote" in run.stdout

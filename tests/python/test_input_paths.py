"""Inputs that are not files (issue 11): a directory or a device given as the scenario is one line and exit 2,
not "[simulation] missing" or a read that never ends."""
import subprocess

import pytest


@pytest.mark.parametrize("path, command", [("/tmp", "validate"), ("/dev/zero", "validate"), ("/dev/zero", "run")])
def test_a_scenario_must_be_a_regular_file(fleetsim_bin, tmp_path, path, command):
    extra = ["-o", str(tmp_path / "out.h5")] if command == "run" else []
    result = subprocess.run([str(fleetsim_bin), command, path, *extra], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"{path}:0: file: a scenario must be a regular file\n"
    assert list(tmp_path.iterdir()) == []


def test_a_huge_unknown_key_is_one_short_line(fleetsim_bin, tmp_path):
    """A 25 MB key: no "did you mean" matrix of its size (it exhausted memory: exit 1), and the key is not echoed
    whole."""
    from conftest import REPO
    text = (REPO / "tests/scenarios/toy.toml").read_text().replace("[scheduler]", "[scheduler]\n" + "k" * 25_000_000 + " = 1", 1)
    scenario = tmp_path / "huge-key.toml"
    scenario.write_text(text)
    result = subprocess.run([str(fleetsim_bin), "validate", str(scenario)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.endswith("... (25000010 bytes): unknown key (got 1 (integer))\n")
    assert len(result.stderr) < 600


def test_a_set_value_with_a_line_break_is_bad_input(fleetsim_bin):
    """--set parses "value = TEXT" as one TOML line: a line break used to end the value there silently."""
    from conftest import REPO
    result = subprocess.run([str(fleetsim_bin), "validate", str(REPO / "tests/scenarios/toy.toml"),
                             "--set", "campus.paris.pue=1.5\nx = 2"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == "--set:1: campus.paris.pue: a value must be on one line (it contains a line break)\n"


@pytest.mark.parametrize("path", ["/tmp", "/dev/zero"])
def test_a_sweep_file_must_be_a_regular_file(fleetsim_bin, tmp_path, path):
    """A directory reads as nothing and /dev/zero never ends: refused at once, nothing created."""
    result = subprocess.run([fleetsim_bin, "sweep", path, "-o", str(tmp_path / "out")], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"{path}:0: file: a sweep file must be a regular file\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["validate"], ["sweep"]])
def test_a_read_error_is_an_error_not_the_end_of_the_file(fleetsim_bin, tmp_path, command):
    """/proc/self/mem is a regular file whose first read fails with EIO: the scenario or sweep file is refused with
    the error, where std::ifstream would have read it as empty."""
    args = [fleetsim_bin, *command, "/proc/self/mem"] + (["-o", str(tmp_path / "out")] if command == ["sweep"] else [])
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == "/proc/self/mem:1: read error: Input/output error\n"

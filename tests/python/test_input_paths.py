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

"""Output files are never lost or clobbered (issue 11): fleetsim run replaces only a regular file, never a device,
a directory, a link's target or the scenario itself; it writes a temporary file of its own (OUT.h5.<pid>.tmp,
created exclusively) and renames it when complete, so two runs on one output do not spoil each other."""
import os
import subprocess
from pathlib import Path

import h5py
import pytest

from conftest import REPO

QUICKSTART = REPO / "scenarios/examples/quickstart.toml"
SHORT = ["--set", "simulation.duration=6h", "--quiet"]


def run(fleetsim_bin, *args, scenario=QUICKSTART):
    return subprocess.run([str(fleetsim_bin), "run", str(scenario), *args], capture_output=True, text=True)


@pytest.mark.parametrize("target, message", [
    ("/dev/null", "-o: exists and is not a regular file (it is never replaced) (got /dev/null)"),
    ("", '-o: must name a file (got "")'),
])
def test_special_outputs_are_bad_input(fleetsim_bin, target, message):
    result = run(fleetsim_bin, "-o", target, *SHORT)
    assert result.returncode == 2
    assert result.stderr == f"--output:0: {message}\n"
    assert Path("/dev/null").is_char_device()


def test_a_directory_is_not_an_output(fleetsim_bin, tmp_path):
    result = run(fleetsim_bin, "-o", str(tmp_path), *SHORT)
    assert result.returncode == 2
    assert "-o: is a directory" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_link_is_never_followed(fleetsim_bin, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "out.h5"
    link.symlink_to(target)
    result = run(fleetsim_bin, "-o", str(link), *SHORT)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert target.read_text() == "keep me"


def test_a_link_at_the_old_temporary_name_is_left_alone(fleetsim_bin, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "out.h5.tmp").symlink_to(target)
    result = run(fleetsim_bin, "-o", str(tmp_path / "out.h5"), *SHORT)
    assert result.returncode == 0, result.stderr
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5", "out.h5.tmp", "precious.txt"]


def test_the_scenario_is_never_the_output(fleetsim_bin, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text((REPO / "tests/scenarios/toy.toml").read_text())
    before = scenario.read_bytes()
    result = run(fleetsim_bin, "-o", str(scenario), "--quiet", scenario=scenario)
    assert result.returncode == 2
    assert "-o: is the scenario file itself" in result.stderr
    assert scenario.read_bytes() == before


def test_two_runs_on_one_output_both_finish_and_leave_a_whole_file(fleetsim_bin, tmp_path):
    out = tmp_path / "same.h5"
    command = [str(fleetsim_bin), "run", str(QUICKSTART), "-o", str(out), *SHORT]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for process in (first, second):
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.h5"]
    with h5py.File(out, "r") as f:
        assert f["jobs"].shape[0] > 0


def test_a_full_disk_leaves_nothing_and_does_not_crash(fleetsim_bin, tmp_path):
    """On a 64 KiB file system the write fails: exit 1 (not a crash), no file under the final name and no
    temporary file (the file's close is checked before the rename). Needs root to mount a tmpfs; skipped else."""
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not root?)")
    try:
        result = run(fleetsim_bin, "-o", str(small / "out.h5"), *SHORT)
        assert result.returncode == 1, result.stderr
        assert "fleetsim: internal error" in result.stderr and "Segmentation" not in result.stderr
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], check=False)

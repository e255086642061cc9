"""Bad output paths (tests/bad_inputs/outputs/, see tests/bad_inputs/README.md): every case is refused by
`fleetsim run` before it simulates, with exit code 2 and exactly the expected line on stderr, and the case's
directory is left exactly as it was (nothing created, replaced, followed or removed)."""
import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "bad_inputs" / "outputs"
BINARY = Path(os.environ.get("FLEETSIM_BIN") or REPO / "build" / "fleetsim").absolute()  # the runs change directory
DEFAULT_SCENARIO = REPO / "scenarios" / "examples" / "quickstart.toml"
MIN_CASES = 15

pytestmark = pytest.mark.skipif(not BINARY.is_file(), reason=f"fleetsim binary not found at {BINARY}")


def case_names():
    return sorted(p.stem for p in CORPUS.glob("*.expected"))


def set_up(directory, lines):
    """Setup lines: `dir NAME`, `file NAME`, `fifo NAME`, `symlink NAME TARGET`, `copy NAME REPO_PATH`."""
    for line in lines:
        verb, name, *rest = line.split()
        path = directory / name
        if verb == "dir":
            path.mkdir()
        elif verb == "file":
            path.write_text("keep me\n")
        elif verb == "fifo":
            os.mkfifo(path)
        elif verb == "symlink":
            path.symlink_to(rest[0])
        elif verb == "copy":
            shutil.copyfile(REPO / rest[0], path)
        else:
            raise ValueError(f"unknown setup verb {verb!r}")


def snapshot(directory):
    """Every entry below `directory`: kind, link target, and a digest of a regular file's bytes."""
    state = {}
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            path = Path(root) / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                state[str(path)] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                state[str(path)] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                state[str(path)] = (stat.S_IFMT(mode),)
    return state


@pytest.mark.parametrize("name", case_names())
def test_output_path_is_refused(name, tmp_path):
    setup = CORPUS / f"{name}.setup"
    set_up(tmp_path, setup.read_text().splitlines() if setup.exists() else [])
    args = (CORPUS / f"{name}.args").read_text().splitlines()
    expected = (CORPUS / f"{name}.expected").read_text()
    assert expected.endswith("\n") and expected.count("\n") == 1, f"{name}.expected must hold exactly one line"
    scenario = "s.toml" if (tmp_path / "s.toml").exists() else str(DEFAULT_SCENARIO)
    before = snapshot(tmp_path)
    result = subprocess.run([str(BINARY), "run", scenario, *args, "--quiet"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2, f"exit code {result.returncode}; stderr: {result.stderr!r}"
    assert result.stderr == expected.replace("{tmp}", str(tmp_path))
    assert snapshot(tmp_path) == before


def test_corpus_size():
    assert len(case_names()) >= MIN_CASES


def test_every_case_has_arguments():
    for name in case_names():
        assert (CORPUS / f"{name}.args").is_file(), f"{name}.args is missing"

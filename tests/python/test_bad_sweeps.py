"""Bad-input corpus for sweeps (tests/bad_inputs/sweeps/, see tests/bad_inputs/README.md): every case is
rejected by `fleetsim sweep CASE.toml -o TMPDIR/out` with exit code 2, exactly its expected line on stderr, and
nothing created or changed in TMPDIR."""
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "bad_inputs" / "sweeps"
BINARY = Path(os.environ.get("FLEETSIM_BIN") or REPO / "build" / "fleetsim")
MIN_CASES = 12

pytestmark = pytest.mark.skipif(not BINARY.is_file(), reason=f"fleetsim binary not found at {BINARY}")


def case_names():
    return sorted({p.stem for p in CORPUS.iterdir() if p.is_file() and p.suffix in (".toml", ".missing")})


def prepare(tmp, setup_file):
    """Creates what CASE.setup lists in `tmp` (`file NAME`, `dir NAME`, `symlink NAME TARGET`)."""
    if not setup_file.exists():
        return
    for line in setup_file.read_text().splitlines():
        kind, name, *target = line.split()
        path = tmp / name
        if kind == "file":
            path.write_text(f"keep {name}\n")
        elif kind == "dir":
            path.mkdir()
        elif kind == "symlink":
            path.symlink_to(target[0])
        else:
            raise AssertionError(f"{setup_file}: unknown setup line {line!r}")


def snapshot(tmp):
    """Every entry under `tmp`: its kind and (files) content or (links) target."""
    entries = {}
    for path in sorted(tmp.rglob("*")):
        if path.is_symlink():
            entries[str(path.relative_to(tmp))] = ("link", os.readlink(path))
        elif path.is_dir():
            entries[str(path.relative_to(tmp))] = ("dir", None)
        else:
            entries[str(path.relative_to(tmp))] = ("file", path.read_bytes())
    return entries


def test_corpus_size():
    assert len(case_names()) >= MIN_CASES


@pytest.mark.parametrize("name", case_names())
def test_sweep_rejects(name, tmp_path):
    sweep = f"tests/bad_inputs/sweeps/{name}.toml"  # relative to REPO, the cwd of the run
    missing = (CORPUS / f"{name}.missing").exists()
    assert (CORPUS / f"{name}.toml").exists() != missing, f"{name}: exactly one of .toml and .missing"
    expected_file = CORPUS / f"{name}.expected"
    assert expected_file.exists(), f"{expected_file} is missing"
    expected = expected_file.read_text()
    assert expected.endswith("\n") and expected.count("\n") == 1, f"{expected_file} must hold exactly one line"
    args_file = CORPUS / f"{name}.args"
    args = ([line for line in args_file.read_text().splitlines() if line] if args_file.exists()
            else ["-o", "{tmp}/out"])
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    prepare(tmp_path, CORPUS / f"{name}.setup")
    before = snapshot(tmp_path)

    result = subprocess.run([str(BINARY), "sweep", sweep, *args], cwd=REPO, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2, f"exit code {result.returncode}; stderr: {result.stderr!r}"
    assert result.stderr == expected.replace("{file}", sweep).replace("{tmp}", str(tmp_path))
    assert result.stdout == ""
    assert snapshot(tmp_path) == before, "the rejected sweep created or changed files"

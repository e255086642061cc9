"""Bad-input corpus (tests/bad_inputs/, see its README.md): every case is rejected by both
`fleetsim validate` and `fleetsim run` with exit code 2, exactly one expected line on stderr, and no
output file left behind."""
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "bad_inputs"
BINARY = Path(os.environ.get("FLEETSIM_BIN") or REPO / "build" / "fleetsim")
EXIT_BAD_INPUT = 2
MIN_CASES = 30

pytestmark = pytest.mark.skipif(
    not BINARY.is_file(),
    reason=f"fleetsim binary not found at {BINARY} (build it or set FLEETSIM_BIN)",
)


def case_names():
    return sorted({p.stem for p in CORPUS.iterdir() if p.suffix in (".toml", ".missing")})


class Case:
    def __init__(self, name):
        self.name = name
        self.scenario = f"tests/bad_inputs/{name}.toml"  # relative to REPO, the cwd of the runs
        self.missing = (CORPUS / f"{name}.missing").exists()
        args_file = CORPUS / f"{name}.args"
        self.args = [line for line in args_file.read_text().splitlines() if line] if args_file.exists() else []
        expected_file = CORPUS / f"{name}.expected"
        assert expected_file.exists(), f"{expected_file} is missing"
        text = expected_file.read_text()
        assert text.endswith("\n") and text.count("\n") == 1, f"{expected_file} must hold exactly one line"
        self.expected = text.replace("{file}", self.scenario)


def run_fleetsim(*args):
    return subprocess.run([str(BINARY), *args], cwd=REPO, capture_output=True, text=True, timeout=60)


def check_rejected(result, case, out_dir):
    assert result.returncode == EXIT_BAD_INPUT, (
        f"exit code {result.returncode}, expected {EXIT_BAD_INPUT}; stderr: {result.stderr!r}")
    assert result.stderr == case.expected
    left = sorted(p.name for p in out_dir.iterdir())
    assert not left, f"files left in the output directory: {left}"


def test_corpus_size():
    assert len(case_names()) >= MIN_CASES


@pytest.mark.parametrize("name", case_names())
def test_case_files(name):
    case = Case(name)
    assert (CORPUS / f"{name}.toml").exists() != case.missing, (
        f"{name}: exactly one of {name}.toml and {name}.missing must exist")


@pytest.mark.parametrize("name", case_names())
def test_validate_rejects(name, tmp_path):
    case = Case(name)
    result = run_fleetsim("validate", case.scenario, *case.args)
    check_rejected(result, case, tmp_path)
    assert result.stdout == ""


@pytest.mark.parametrize("name", case_names())
def test_run_rejects(name, tmp_path):
    case = Case(name)
    result = run_fleetsim("run", case.scenario, "-o", str(tmp_path / "out.h5"), *case.args)
    check_rejected(result, case, tmp_path)

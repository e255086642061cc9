"""Shared by tests/python/test_example_summaries.py and tests/scenarios/expected/update.py: which scenarios have
expected figures, how each is run (as tests/CMakeLists.txt runs it), which figures of its result file are
compared, where the expected file lives, and the comparison itself."""
import json
import math
import subprocess
from pathlib import Path

import h5py
import numpy as np

REPO = Path(__file__).resolve().parents[2]
EXPECTED_DIR = REPO / "tests" / "scenarios" / "expected"
SCENARIO_DIRS = ("scenarios/examples", "scenarios/validation", "scenarios/bench", "scenarios/seed")
# Seed scenarios too long for a test run whole: shortened to this duration (as tests/CMakeLists.txt).
SEED_SHORTENED = {"scenarios/seed/europe-2030.toml": "30d"}
# Too large for a test even shortened (and not in every checkout).
TOO_LARGE = {"scenarios/bench/fleet-10gw-year.toml"}
CAMPUS_FIGURES = ("it_energy_j", "peak_it_power_w")
REL_TOLERANCE = 1e-9


def scenario_paths():
    """Every scenario with expected figures, as repository-relative POSIX paths, sorted."""
    found = []
    for directory in SCENARIO_DIRS:
        found += [path.relative_to(REPO).as_posix() for path in (REPO / directory).rglob("*.toml")]
    return sorted(path for path in found if path not in TOO_LARGE)


def run_arguments(scenario):
    """Extra `fleetsim run` arguments, exactly as tests/CMakeLists.txt: benchmarks are shortened to 2 days, the
    largest seed scenarios as SEED_SHORTENED says."""
    if scenario.startswith("scenarios/bench/"):
        return ["--set", "simulation.duration=2d"]
    if scenario in SEED_SHORTENED:
        return ["--set", f"simulation.duration={SEED_SHORTENED[scenario]}"]
    return []


def command_line(scenario):
    """The run as a reader would type it (recorded in the expected file)."""
    return " ".join(["fleetsim", "run", scenario, "-o", "OUT.h5", "--quiet"] + run_arguments(scenario))


def expected_path(scenario):
    """scenarios/bench/x.toml -> tests/scenarios/expected/scenarios__bench__x.toml.expected.json"""
    return EXPECTED_DIR / (scenario.replace("/", "__") + ".expected.json")


def run(binary, scenario, out):
    """Runs the scenario from the repository root into `out`; raises with the simulator's stderr on failure."""
    command = [str(binary), "run", scenario, "-o", str(out), "--quiet"] + run_arguments(scenario)
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise RuntimeError(f"{scenario}: `{' '.join(command)}` exited {completed.returncode}: {completed.stderr}")
    return out


def _plain(value):
    """An HDF5 attribute as a JSON-able Python value: int, float or str (types kept: an int stays exact)."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode()
    if isinstance(value, (str, np.str_)):
        return str(value)
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"unexpected boolean attribute {value!r}")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    raise TypeError(f"unexpected attribute type {type(value).__name__}: {value!r}")


def read_figures(result):
    """{"summary": every /summary attribute but the units, "campuses": {name: CAMPUS_FIGURES}} of a result."""
    with h5py.File(result, "r") as f:
        summary = {key: _plain(value) for key, value in sorted(f["summary"].attrs.items())
                   if not key.endswith(".units")}
        campuses = {name: {figure: _plain(f["campuses"][name].attrs[figure]) for figure in CAMPUS_FIGURES}
                    for name in sorted(f["campuses"])}
    return {"summary": summary, "campuses": campuses}


def load_expected(scenario):
    """The expected file (JSON; NaN is written as the bare token NaN, which Python's json reads and writes)."""
    return json.loads(expected_path(scenario).read_text())


def write_expected(scenario, figures, why):
    document = {"scenario": scenario, "command": command_line(scenario), "why": why, **figures}
    expected_path(scenario).write_text(json.dumps(document, indent=2, allow_nan=True) + "\n")


def _same(expected, actual):
    """Exact for int and str, relative REL_TOLERANCE for float, NaN equal to NaN; the types must agree."""
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, float):
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return math.isclose(expected, actual, rel_tol=REL_TOLERANCE, abs_tol=0.0)
    return expected == actual


def _kind(value):
    return f"{value!r} ({type(value).__name__})"


def differences(scenario, expected, actual):
    """One line per difference, each naming the scenario, the key, the expected and the actual value."""
    lines = []

    def compare(where, want, got):
        for key in sorted(set(want) - set(got)):
            lines.append(f"{scenario}: {where}{key}: expected {_kind(want[key])}, missing from the output")
        for key in sorted(set(got) - set(want)):
            lines.append(f"{scenario}: {where}{key}: not in the expected file, got {_kind(got[key])}")
        for key in sorted(set(want) & set(got)):
            if not _same(want[key], got[key]):
                lines.append(f"{scenario}: {where}{key}: expected {_kind(want[key])}, got {_kind(got[key])}")

    compare("/summary/", expected["summary"], actual["summary"])
    want_campuses, got_campuses = expected["campuses"], actual["campuses"]
    if set(want_campuses) != set(got_campuses):
        lines.append(f"{scenario}: /campuses: expected {sorted(want_campuses)}, got {sorted(got_campuses)}")
    for name in sorted(set(want_campuses) & set(got_campuses)):
        compare(f"/campuses/{name}/", want_campuses[name], got_campuses[name])
    return lines

#!/usr/bin/python3
"""Re-generates the expected figures of every example, validation and benchmark scenario.

Usage, from anywhere: /usr/bin/python3 tests/scenarios/expected/update.py FLEETSIM_BIN

For each scenario under scenarios/examples, scenarios/validation and scenarios/bench (benchmarks shortened with
`--set simulation.duration=2d`, as tests/CMakeLists.txt runs them; scenarios/bench/fleet-10gw-year.toml is
left out, too large for a test), it runs `fleetsim run` and writes one file here,
`<scenario path with / replaced by __>.expected.json`, e.g. scenarios__examples__quickstart.toml.expected.json:

    scenario   the scenario's path
    command    how it was run
    why        one hand-written sentence: what a reader should find plausible about these values
    summary    every /summary attribute of the result file (ints stay ints, NaN is the bare token NaN)
    campuses   per campus: it_energy_j and peak_it_power_w

tests/python/test_example_summaries.py compares every run against these files (relative tolerance 1e-9 for
floats, exact for integers and strings; the selection and the comparison are in tests/python/scenario_figures.py).
The "why" sentence of an existing file is kept; a new scenario gets an empty one, which the test refuses until
someone writes it. Files of scenarios that no longer exist are removed.

A change of expected values is a change of the simulator's results: commit the re-generated files together
with the change that caused them, and explain in the commit message which values moved and why that is right.
Review the diff (`git diff tests/scenarios/expected`) before committing.
"""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
import scenario_figures  # noqa: E402  (tests/python/scenario_figures.py)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = Path(argv[1]).resolve()
    if not binary.is_file():
        print(f"{argv[1]}: no such file", file=sys.stderr)
        return 2
    scenarios = scenario_figures.scenario_paths()
    needs_why = []
    with tempfile.TemporaryDirectory(prefix="fleetsim-expected-") as directory:
        for index, scenario in enumerate(scenarios):
            out = Path(directory) / f"{index}.h5"
            scenario_figures.run(binary, scenario, out)
            path = scenario_figures.expected_path(scenario)
            why = scenario_figures.load_expected(scenario).get("why", "") if path.exists() else ""
            scenario_figures.write_expected(scenario, scenario_figures.read_figures(out), why)
            print(f"{path.relative_to(scenario_figures.REPO)}")
            if not why:
                needs_why.append(path)
    wanted = {scenario_figures.expected_path(scenario) for scenario in scenarios}
    for stale in sorted(set(scenario_figures.EXPECTED_DIR.glob("*.expected.json")) - wanted):
        stale.unlink()
        print(f"removed {stale.relative_to(scenario_figures.REPO)} (its scenario is gone)")
    for path in needs_why:
        print(f"{path.relative_to(scenario_figures.REPO)}: write its \"why\" sentence", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

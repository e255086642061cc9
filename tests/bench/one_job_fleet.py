"""The fixed cost of a benchmark year: the same fleet and horizon with one job per workload, so that the year less
it is the cost of the jobs themselves (tests/bench/run, instructions_per_job.py)."""
import tomllib
from pathlib import Path


def one_job_per_workload(scenario: Path) -> tuple:
    """The scenario's workload names and the `--set` arguments that leave each of them one job."""
    with open(scenario, "rb") as file:
        workloads = [w["name"] for w in tomllib.load(file).get("workload", [])]
    return workloads, [arg for name in workloads for arg in ("--set", f"workload.{name}.jobs=1")]

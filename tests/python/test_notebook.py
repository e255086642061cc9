"""Every notebook under analysis/notebooks/ is committed without outputs and runs headless: against
$FLEETSIM_RESULT (or the synthetic result) for the run notebooks, against the synthetic sweep directory for
sweep.ipynb."""
import os

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ANALYSIS, analysis_env

NOTEBOOKS = ANALYSIS / "notebooks"
# notebook: figures it shows
RUN_NOTEBOOKS = {"quickstart.ipynb": 3, "fleet-overview.ipynb": 5}
SWEEP_NOTEBOOKS = {"sweep.ipynb": 4}
SEED_NOTEBOOKS = {"planner.ipynb": 6}


def test_every_notebook_is_tested():
    assert sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")) == sorted(
        {**RUN_NOTEBOOKS, **SWEEP_NOTEBOOKS, **SEED_NOTEBOOKS})


@pytest.mark.parametrize("name", sorted({**RUN_NOTEBOOKS, **SWEEP_NOTEBOOKS, **SEED_NOTEBOOKS}))
def test_committed_notebook_has_no_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.fixture
def result_path(synthetic_h5):
    return os.environ.get("FLEETSIM_RESULT") or str(synthetic_h5)


def execute(name, monkeypatch, **environment):
    """Run notebook `name` in a fresh kernel (which inherits this environment); return its PNG outputs."""
    for key, value in dict(analysis_env(), **environment).items():
        monkeypatch.setenv(key, str(value))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError on a failing cell
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if "image/png" in output.get("data", {})]


@pytest.mark.parametrize("name", sorted(RUN_NOTEBOOKS))
def test_run_notebook_runs_headless(name, result_path, monkeypatch):
    assert len(execute(name, monkeypatch, FLEETSIM_RESULT=result_path)) == RUN_NOTEBOOKS[name]


@pytest.mark.parametrize("name", sorted(SWEEP_NOTEBOOKS))
def test_sweep_notebook_runs_headless_on_the_synthetic_sweep(name, synthetic_sweep, monkeypatch):
    assert len(execute(name, monkeypatch, FLEETSIM_SWEEP=synthetic_sweep)) == SWEEP_NOTEBOOKS[name]


@pytest.mark.skipif(not os.environ.get("FLEETSIM_SWEEP"), reason="FLEETSIM_SWEEP is not set")
@pytest.mark.parametrize("name", sorted(SWEEP_NOTEBOOKS))
def test_sweep_notebook_runs_headless_on_FLEETSIM_SWEEP(name, monkeypatch):
    """A real sweep directory (e.g. `fleetsim sweep scenarios/sweeps/quickstart-sweep.toml -o DIR`)."""
    assert len(execute(name, monkeypatch, FLEETSIM_SWEEP=os.environ["FLEETSIM_SWEEP"])) == SWEEP_NOTEBOOKS[name]


@pytest.mark.parametrize("name", sorted(SEED_NOTEBOOKS))
def test_planner_notebook_runs_the_seed_scenarios_headless(name, fleetsim_bin, tmp_path, monkeypatch):
    """The planner notebook runs every seed scenario (europe-2030 shortened to 90 days) and draws its figures."""
    figures = execute(name, monkeypatch, FLEETSIM_SEED_DIR=tmp_path, FLEETSIM_BIN=fleetsim_bin, FLEETSIM_PLANNER_QUICK=1)
    assert len(figures) == SEED_NOTEBOOKS[name]
    assert sorted(path.name for path in tmp_path.glob("*.h5")) == sorted(
        path.stem + ".h5" for path in (ANALYSIS.parent / "scenarios" / "seed").glob("*.toml"))

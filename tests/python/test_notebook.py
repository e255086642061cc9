import os

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ANALYSIS, analysis_env

NOTEBOOK = ANALYSIS / "notebooks" / "quickstart.ipynb"


def test_committed_notebook_has_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.fixture
def result_path(synthetic_h5):
    return os.environ.get("FLEETSIM_RESULT") or str(synthetic_h5)


def test_notebook_runs_headless(result_path, monkeypatch):
    # The kernel inherits this process's environment.
    for key, value in dict(analysis_env(), FLEETSIM_RESULT=str(result_path)).items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on a failing cell
    images = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if "image/png" in output.get("data", {})]
    assert len(images) == 3

import io
import shutil
import subprocess

import h5py
import pytest
from matplotlib.figure import Figure

import fleetsim
from fleetsim import plot
from conftest import ANALYSIS, CAMPUSES, HORIZON_S, analysis_env

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def result(synthetic_h5):
    return fleetsim.load(synthetic_h5)


def _renders_png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue().startswith(PNG_MAGIC)


def test_campus_power_panels_in_mw_and_days(result):
    fig = plot.campus_power(result)
    assert isinstance(fig, Figure) and _renders_png(fig)
    assert [ax.get_title(loc="left") for ax in fig.axes] == result.campuses
    for ax, campus in zip(fig.axes, result.campuses):
        it_line, facility_line, grid_line = ax.get_lines()
        assert grid_line.get_linestyle() == "--"
        assert grid_line.get_ydata()[0] == CAMPUSES[campus]["grid_connection_w"] / 1e6
        assert it_line.get_xdata()[-1] == HORIZON_S / 86400
        assert max(it_line.get_ydata()) == result.timeseries(campus)["it_power_w"].max() / 1e6
    assert fig.axes[-1].get_xlabel() == "time (days)"


def test_gpus_busy(result):
    fig = plot.gpus_busy(result)
    assert isinstance(fig, Figure) and _renders_png(fig)
    assert len(fig.axes) == len(result.campuses)


def test_wait_cdf(result):
    fig = plot.wait_cdf(result)
    assert isinstance(fig, Figure) and _renders_png(fig)
    (ax,) = fig.axes
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["all campuses (3)", "austin (1)", "oslo (2)"]
    assert "1 never started" in ax.get_title(loc="left")
    assert ax.get_lines()[0].get_xdata()[-1] == pytest.approx(7200 / 3600)


def _run_cli(*args):
    return subprocess.run(["/usr/bin/python3", "-m", "fleetsim.plot", *map(str, args)],
                          env=analysis_env(), capture_output=True, text=True, cwd=ANALYSIS.parent)


def test_cli_writes_three_pngs(synthetic_h5, tmp_path):
    out = tmp_path / "figures"
    run = _run_cli(synthetic_h5, "-o", out)
    assert run.returncode == 0, run.stderr
    expected = [out / f"synthetic_{suffix}.png" for suffix in ("power", "gpus_busy", "waits")]
    assert run.stdout.split() == [str(path) for path in expected]
    assert all(path.read_bytes().startswith(PNG_MAGIC) for path in expected)


def test_cli_reports_missing_file(tmp_path):
    run = _run_cli(tmp_path / "missing.h5", "-o", tmp_path)
    assert run.returncode == 1
    assert "missing.h5" in run.stderr and "Traceback" not in run.stderr


def test_plots_survive_a_run_without_jobs_or_telemetry(synthetic_h5, tmp_path):
    path = tmp_path / "empty.h5"
    shutil.copy(synthetic_h5, path)
    with h5py.File(path, "r+") as f:
        for name in ["jobs"] + [f"campuses/{campus}/timeseries" for campus in f["campuses"]]:
            dtype = f[name].dtype
            del f[name]
            f.create_dataset(name, shape=(0,), dtype=dtype)
    result = fleetsim.load(path)
    assert result.jobs.empty and result.timeseries("oslo").empty
    for make_figure in plot.FIGURES.values():
        assert _renders_png(make_figure(result))

import io
import shutil
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import fleetsim
from fleetsim import plot
from conftest import ANALYSIS, CAMPUSES, HORIZON_S, SWEEP_GRID, SWEEP_NAME, analysis_env

POLICY, CAP, GRID = SWEEP_GRID

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


def test_fleet_power_stacks_campuses_under_the_sum_of_grid_connections(result):
    fig = plot.fleet_power(result)
    assert _renders_png(fig)
    (ax,) = fig.axes
    *_, it_line, grid_line = ax.get_lines()
    assert grid_line.get_linestyle() == "--" and grid_line.get_ydata()[0] == pytest.approx(80.0)  # 20 + 60 MW
    # At t = 0 the sine is 0: IT = (5 + 6) MW x 1.5; facility 5 x 1.5 x 1.1 + 6 x 1.5 x 1.3 = 19.95 MW.
    assert it_line.get_ydata()[0] == pytest.approx(16.5)
    top = ax.collections[-1]  # the last campus's band tops the stack
    assert max(top.get_paths()[0].vertices[:, 1]) == pytest.approx(
        max(result.to_xarray()["fleet_facility_power_w"].values) / 1e6)
    assert [text.get_text() for text in ax.get_legend().get_texts()][:2] == ["austin", "oslo"]
    assert "of 80 MW connected" in ax.get_title(loc="left")


def test_energy_carbon_bars_by_hand(result):
    fig = plot.energy_carbon(result)
    assert _renders_png(fig)
    energy, carbon = fig.axes
    # campus order austin, oslo; IT bars then facility bars (MWh); see conftest for the hand values.
    heights = [bar.get_height() for bar in energy.patches]
    assert heights == pytest.approx([432.0, 360.0, 561.6, 396.0])
    assert [bar.get_height() for bar in carbon.patches] == pytest.approx([224.64, 11.88])
    assert [text.get_text() for text in carbon.texts] == ["400 g/kWh", "30 g/kWh"]
    assert [label.get_text() for label in carbon.get_xticklabels()] == ["austin", "oslo"]


@pytest.fixture(scope="module")
def sweep(synthetic_sweep):
    return fleetsim.load_sweep(synthetic_sweep)


def test_sweep_heatmap_averages_done_points_over_the_first_two_numeric_parameters(sweep):
    fig = plot.sweep_heatmap(sweep, "jobs_per_day")
    assert _renders_png(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == CAP and ax.get_ylabel() == GRID
    assert [label.get_text() for label in ax.get_xticklabels()] == ["400", "550", "700"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["0.8", "1.2"]
    grid = ax.images[0].get_array()
    # Cell (cap 400, grid 0.8): fifo 1790, 1810, backfill 1890, 1910 jobs -> mean 1850.
    assert grid[0, 0] * 7 == pytest.approx(1850)
    # (550, 0.8): fifo replica 1 pending -> (1940 + 2040 + 2060) / 3.
    assert grid[0, 1] * 7 == pytest.approx((1940 + 2040 + 2060) / 3)
    # (700, 1.2): fifo replica 1 failed -> (2290 + 2390 + 2410) / 3.
    assert grid[1, 2] * 7 == pytest.approx((2290 + 2390 + 2410) / 3)
    texts = [text.get_text() for text in ax.texts]
    assert "n=3" in texts[1] and "n=4" in texts[0]
    assert "averaged over replicas, policy" in ax.get_title(loc="left")
    assert fig.axes[1].get_ylabel() == "jobs_per_day (1/d)"  # the colour bar


def test_sweep_heatmap_chosen_axes_and_empty_cells(sweep):
    nothing_at_400 = sweep.copy()
    nothing_at_400.loc[nothing_at_400[CAP] == 400.0, "status"] = "failed"
    fig = plot.sweep_heatmap(nothing_at_400, "carbon_kg", x=POLICY, y=CAP)
    ax = fig.axes[0]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["fifo", "easy-backfill"]
    grid = ax.images[0].get_array()
    assert grid.mask[0].all() and not grid.mask[1:].any()
    assert [text.get_text() for text in ax.texts[:2]] == ["no data", "no data"]
    # (fifo, 550): 7105 (0.8, replica 0; replica 1 pending), 7905, 7895 (1.2) -> mean.
    assert grid[1, 0] == pytest.approx((7105 + 7905 + 7895) / 3)


def test_sweep_heatmap_bins_sampled_parameters():
    rng = np.random.default_rng(1)
    table = pd.DataFrame({"status": "done", "a": rng.uniform(0, 1, 200), "b": rng.uniform(10, 20, 200)})
    table["m"] = table["a"] + table["b"]
    table.attrs.update(parameters=["a", "b"], units={"m": "1"})
    ax = plot.sweep_heatmap(table, "m", max_levels=4).axes[0]
    assert ax.images[0].get_array().shape == (4, 4)
    assert len(ax.get_xticklabels()) == 4 and "–" in ax.get_xticklabels()[0].get_text()


def test_sweep_heatmap_with_one_parameter_is_one_row(sweep):
    one = sweep[sweep[GRID] == 0.8].copy()
    one.attrs["parameters"] = [CAP]
    assert plot.sweep_heatmap(one, "jobs_per_day").axes[0].images[0].get_array().shape == (1, 3)


def test_sweep_pareto_marks_the_non_dominated_combinations(sweep):
    fig = plot.sweep_pareto(sweep)
    assert _renders_png(fig)
    (ax,) = fig.axes
    (front,) = [line for line in ax.get_lines() if line.get_label() == "Pareto front"]
    # See test_sweep.test_pareto_front_of_the_synthetic_sweep: backfill (400, 0.8), (400, 1.2), (550, 1.2), (700, 1.2).
    assert front.get_xdata() * 7 == pytest.approx([1900, 2100, 2250, 2400])
    assert front.get_ydata() == pytest.approx([5600, 6400, 7900, 9400])
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "1: policy=easy-backfill, power_cap_w=400, grid_connection_mw=0.8" in labels
    assert ax.get_xlabel() == "jobs_per_day (1/d), higher is better"
    assert ax.get_ylabel() == "carbon_kg (kg), lower is better"
    assert ax.get_title(loc="left") == "4 of 12 parameter combinations on the Pareto front"
    replicas, means = ax.collections
    assert len(replicas.get_offsets()) == 22 and len(means.get_offsets()) == 8


def test_sweep_pareto_other_metrics_and_senses(sweep):
    # Minimizing waits (1e6 / cap: higher caps wait less) against carbon: every combination with the highest
    # cap has the least wait; the front runs from the least carbon to the least wait.
    ax = plot.sweep_pareto(sweep, "mean_wait_s", "carbon_kg").axes[0]
    (front,) = [line for line in ax.get_lines() if line.get_label() == "Pareto front"]
    assert min(front.get_xdata()) == pytest.approx(1e6 / 700) and min(front.get_ydata()) == pytest.approx(5600)
    ax = plot.sweep_pareto(sweep, "jobs_per_day", "carbon_kg", maximize_y=True).axes[0]
    (front,) = [line for line in ax.get_lines() if line.get_label() == "Pareto front"]
    # Both up: the two most-jobs points; fifo (700, 1.2) replica 0 alone has 2290 jobs and the most carbon, 9405 kg.
    assert front.get_xdata() * 7 == pytest.approx([2290, 2400]) and ax.get_ylabel().endswith("higher is better")


def _run_cli(*args):
    return subprocess.run(["/usr/bin/python3", "-m", "fleetsim.plot", *map(str, args)],
                          env=analysis_env(), capture_output=True, text=True, cwd=ANALYSIS.parent)


def test_cli_writes_five_pngs_for_a_result(synthetic_h5, tmp_path):
    out = tmp_path / "figures"
    run = _run_cli(synthetic_h5, "-o", out)
    assert run.returncode == 0, run.stderr
    expected = [out / f"synthetic_{suffix}.png" for suffix in ("power", "fleet_power", "gpus_busy", "waits", "energy")]
    assert run.stdout.split() == [str(path) for path in expected]
    assert all(path.read_bytes().startswith(PNG_MAGIC) for path in expected)


def test_cli_reports_missing_file(tmp_path):
    run = _run_cli(tmp_path / "missing.h5", "-o", tmp_path)
    assert run.returncode == 1
    assert "missing.h5" in run.stderr and "Traceback" not in run.stderr


def test_cli_writes_sweep_figures_for_a_directory(synthetic_sweep, tmp_path):
    run = _run_cli(synthetic_sweep, "-o", tmp_path)
    assert run.returncode == 0, run.stderr
    expected = [tmp_path / f"{SWEEP_NAME}_{name}.png"
                for name in ("heatmap_jobs_per_day", "heatmap_carbon_kg", "pareto")]
    assert run.stdout.split() == [str(path) for path in expected]
    assert all(path.read_bytes().startswith(PNG_MAGIC) for path in expected)


def _main(capsys, *args):
    """plot.main in this process: (exit code, stdout, stderr)."""
    try:
        plot.main([str(arg) for arg in args])
        code = 0
    except SystemExit as exit:
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sweep_index_file_and_options(synthetic_sweep, tmp_path, capsys):
    code, out, err = _main(capsys, synthetic_sweep / "sweep.h5", "-o", tmp_path, "--metric", "mean_wait_s",
                           "--metric", "gpu_utilization", "--x", GRID, "--y", POLICY, "--pareto-x",
                           "gpu_utilization", "--pareto-y", "energy_cost_eur", "--minimize", "gpu_utilization")
    assert code == 0, err
    assert out.split() == [str(tmp_path / f"{SWEEP_NAME}_{name}.png")
                           for name in ("heatmap_mean_wait_s", "heatmap_gpu_utilization", "pareto")]


@pytest.mark.parametrize("args, message", [
    (["--metric", "speed"], "--metric speed: not a numeric metric"),
    (["--pareto-y", "binding_limit"], "--pareto-y binding_limit: not a numeric metric"),
    (["--x", "campus.mars.pue"], "campus.mars.pue: not a parameter"),
])
def test_cli_names_unknown_sweep_metrics_and_parameters(synthetic_sweep, tmp_path, capsys, args, message):
    code, out, err = _main(capsys, synthetic_sweep, "-o", tmp_path, *args)
    assert code == 2 and message in err and out == ""


def test_cli_reports_a_directory_that_is_not_a_sweep(tmp_path, capsys):
    code, _, err = _main(capsys, tmp_path, "-o", tmp_path / "out")
    assert code == 1 and "sweep collect" in err


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


def test_sweep_heatmap_shows_enough_digits_to_tell_cells_apart():
    table = pd.DataFrame({"status": "done", "cap": [400.0, 550.0], "jobs_per_day": [1065.857143, 1066.214286]})
    table.attrs.update(parameters=["cap"], units={})
    ax = plot.sweep_heatmap(table, "jobs_per_day").axes[0]
    assert [text.get_text() for text in ax.texts] == ["1065.857\nn=1", "1066.214\nn=1"]

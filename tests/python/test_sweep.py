"""fleetsim.load_sweep and the sweep helpers, on the synthetic sweep directory (conftest.write_synthetic_sweep)."""
import math

import h5py
import numpy as np
import pandas as pd
import pytest

import fleetsim
from fleetsim import sweep as sweep_module
from conftest import SWEEP_ERROR, SWEEP_GRID, SWEEP_METRICS, SWEEP_NAME, sweep_plan, write_synthetic_sweep

POLICY, CAP, GRID = SWEEP_GRID


@pytest.fixture(scope="module")
def sweep(synthetic_sweep):
    return fleetsim.load_sweep(synthetic_sweep)


def _row(table, policy, cap, grid, replica):
    rows = table[(table[POLICY] == policy) & (table[CAP] == cap) & (table[GRID] == grid)
                 & (table["replica"] == replica)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_one_row_per_point_in_plan_order_with_decoded_strings(sweep):
    plan = sweep_plan()
    assert len(sweep) == 24
    assert sweep["id"].tolist() == [point["id"] for point in plan]
    assert sweep[POLICY].tolist() == [point[POLICY] for point in plan]
    for column in ("id", "status", POLICY, "binding_limit", "path", "error"):
        assert all(type(value) is str for value in sweep[column]), column
    assert sweep[CAP].dtype == np.float64 and sweep["replica"].dtype == np.int64


def test_columns_follow_the_schema(sweep):
    assert list(sweep.columns[:4]) == ["id", "status", "replica", "seed"]
    assert list(sweep.columns[4:7]) == list(SWEEP_GRID)
    assert list(sweep.columns[-5:]) == ["horizon_s", "jobs_per_day", "wall_s", "path", "error"]


def test_attrs_name_parameters_metrics_counts_and_units(sweep, synthetic_sweep):
    assert sweep.attrs["parameters"] == list(SWEEP_GRID)
    assert sweep.attrs["metrics"] == SWEEP_METRICS
    assert sweep.attrs["name"] == SWEEP_NAME
    assert sweep.attrs["counts"] == {"points": 24, "done": 22, "failed": 1, "pending": 1}
    assert sweep.attrs["directory"] == str(synthetic_sweep)
    assert sweep.attrs["units"]["jobs_per_day"] == "1/d"
    assert sweep.attrs["units"]["carbon_kg"] == "kg"
    assert CAP not in sweep.attrs["units"]


def test_statuses_errors_and_nan_metrics(sweep):
    assert sweep["status"].value_counts().to_dict() == {"done": 22, "failed": 1, "pending": 1}
    failed = _row(sweep, "fifo", 700.0, 1.2, 1)
    assert failed["status"] == "failed" and failed["error"] == SWEEP_ERROR
    assert math.isnan(failed["jobs_per_day"]) and failed["binding_limit"] == ""
    pending = _row(sweep, "fifo", 550.0, 0.8, 1)
    assert pending["status"] == "pending" and pending["error"] == "" and math.isnan(pending["carbon_kg"])
    # Done: jobs_completed = 1000 + cap + 500 x grid (+100 with backfill), minus 10 for replica 0.
    done = _row(sweep, "easy-backfill", 550.0, 0.8, 0)
    assert done["jobs_completed"] == 1000 + 550 + 400 + 100 - 10
    assert done["jobs_per_day"] == pytest.approx(2040 / 7)
    assert done["binding_limit"] == "paris:grid"


def test_directory_and_index_file_load_the_same(synthetic_sweep, sweep):
    pd.testing.assert_frame_equal(fleetsim.load_sweep(synthetic_sweep / "sweep.h5"), sweep)


def test_missing_sweep_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        fleetsim.load_sweep(tmp_path / "nowhere")
    (tmp_path / "running").mkdir()
    with pytest.raises(FileNotFoundError, match="sweep collect"):
        fleetsim.load_sweep(tmp_path / "running")


def test_a_run_result_is_not_a_sweep_and_the_error_says_so(synthetic_h5):
    with pytest.raises(ValueError, match="not a fleetsim sweep index.*fleetsim.load"):
        fleetsim.load_sweep(synthetic_h5)
    assert not sweep_module.is_sweep(synthetic_h5)


def test_other_files_are_not_sweeps(tmp_path, synthetic_sweep):
    text = tmp_path / "notes.h5"
    text.write_text("not hdf5")
    with pytest.raises(ValueError, match="notes.h5.*not an HDF5 file"):
        fleetsim.load_sweep(text)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["kind"] = "something-else"
        f["points"] = [1, 2]
    with pytest.raises(ValueError, match="kind = 'something-else'"):
        fleetsim.load_sweep(other)
    assert sweep_module.is_sweep(synthetic_sweep) and sweep_module.is_sweep(synthetic_sweep / "sweep.h5")
    assert not sweep_module.is_sweep(text) and not sweep_module.is_sweep(tmp_path / "missing")


def test_newer_schema_is_refused(tmp_path):
    """A sweep index from a newer fleetsim is an error naming both versions, not a warning before wrong reads."""
    directory = write_synthetic_sweep(tmp_path / "future")
    with h5py.File(directory / "sweep.h5", "r+") as f:
        f.attrs["schema_version"] = np.int64(2)
    with pytest.raises(ValueError, match="sweep schema version 2 is newer than this reader's \\(1\\)"):
        fleetsim.load_sweep(directory)


def test_replica_means_average_done_points_only(sweep):
    means = fleetsim.replica_means(sweep)
    assert means.index.names == list(SWEEP_GRID)
    assert len(means) == 12
    assert means.index[0] == ("fifo", 400.0, 0.8)  # plan order
    # Two replicas average to the model: (1790 + 1810) / 2 = 1800 jobs, carbon 4000 + 1600 = 5600 kg.
    assert means.loc[("fifo", 400.0, 0.8), "jobs_completed"] == 1800
    assert means.loc[("fifo", 400.0, 0.8), "carbon_kg"] == 5600
    assert means.loc[("fifo", 400.0, 0.8), "replicas"] == 2
    # Replica 1 pending / failed: the mean is replica 0 alone (jobs - 10, carbon + 5).
    assert means.loc[("fifo", 550.0, 0.8), "jobs_completed"] == 1940
    assert means.loc[("fifo", 550.0, 0.8), "replicas"] == 1
    assert means.loc[("fifo", 700.0, 1.2), "carbon_kg"] == 9405
    assert "binding_limit" not in means  # text metrics are not averaged


def test_replica_means_keep_combinations_without_a_done_point(sweep):
    failed_everywhere = sweep.copy()
    failed_everywhere.loc[failed_everywhere[CAP] == 400.0, "status"] = "failed"
    means = fleetsim.replica_means(failed_everywhere, ["jobs_per_day"])
    assert len(means) == 12
    assert means.loc[("fifo", 400.0, 0.8), "replicas"] == 0
    assert math.isnan(means.loc[("fifo", 400.0, 0.8), "jobs_per_day"])


def test_pareto_front_by_hand():
    table = pd.DataFrame({"jobs_per_day": [10, 20, 20, 30, 5, np.nan, 30],
                          "carbon_kg": [1, 2, 3, 4, 0.5, 0.1, 4]})
    # (20, 3) is beaten by (20, 2); (30, 4) twice: equal points do not dominate each other; NaN never on it.
    assert fleetsim.pareto_front(table, "jobs_per_day", "carbon_kg").tolist() == [
        True, True, False, True, True, False, True]
    # Minimizing both: only (5, 0.5) (the NaN row is out).
    assert fleetsim.pareto_front(table, "jobs_per_day", "carbon_kg", maximize_x=False).tolist() == [
        False, False, False, False, True, False, False]


def test_pareto_front_of_the_synthetic_sweep(sweep):
    means = fleetsim.replica_means(sweep)
    front = fleetsim.pareto_front(means, "jobs_per_day", "carbon_kg")
    # Each fifo combination does 100 jobs fewer than its backfill twin for the same carbon (single-replica fifo
    # means are worse still: 10 jobs fewer, 5 kg more). Backfill, jobs / carbon: (400, 0.8) 1900 / 5600,
    # (400, 1.2) 2100 / 6400, (550, 0.8) 2050 / 7100 (beaten by (400, 1.2)), (550, 1.2) 2250 / 7900,
    # (700, 0.8) 2200 / 8600 (beaten by (550, 1.2)), (700, 1.2) 2400 / 9400.
    assert list(means.index[front]) == [("easy-backfill", 400.0, 0.8), ("easy-backfill", 400.0, 1.2),
                                        ("easy-backfill", 550.0, 1.2), ("easy-backfill", 700.0, 1.2)]


def test_higher_is_better_defaults():
    assert fleetsim.higher_is_better("jobs_per_day") and fleetsim.higher_is_better("gpu_utilization")
    assert not fleetsim.higher_is_better("carbon_kg") and not fleetsim.higher_is_better("p95_wait_s")


def test_load_point_opens_a_done_point_and_explains_the_others(sweep):
    point = _row(sweep, "easy-backfill", 400.0, 0.8, 1)
    result = fleetsim.load_point(sweep, point["id"])
    assert isinstance(result, fleetsim.Result) and result.campuses == ["austin", "oslo"]
    with pytest.raises(ValueError, match="failed.*too small"):
        fleetsim.load_point(sweep, _row(sweep, "fifo", 700.0, 1.2, 1)["id"])
    with pytest.raises(KeyError, match="p000"):
        fleetsim.load_point(sweep, "p000")


def test_a_table_without_sweep_attrs_is_refused(sweep):
    with pytest.raises(ValueError, match="attrs"):
        fleetsim.replica_means(pd.DataFrame(sweep))


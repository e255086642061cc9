"""The fine power window (/fine, issue 15) through the analysis package: its layout, units and the arithmetic its
columns promise, on a run of the validation scenario."""
import subprocess

import h5py
import numpy as np
import pytest

import fleetsim
from conftest import REPO


@pytest.fixture(scope="module")
def swing_h5(fleetsim_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("swing") / "swing.h5"
    subprocess.run([str(fleetsim_bin), "run", "scenarios/validation/training-power-swing.toml", "-o", str(out),
                    "--quiet"], cwd=REPO, check=True, capture_output=True, timeout=600)
    return out


def test_fine_window_layout_and_units(swing_h5):
    with h5py.File(swing_h5, "r") as f:
        assert f["meta"].attrs["schema_version"] == 7
        assert sorted(f["fine"]) == ["dc16k"]
        series = f["fine/dc16k/series"]
        assert list(series.dtype.names) == ["time_s", "it_power_w", "facility_power_w", "floored_it_power_w",
                                            "grid_power_w", "storage_power_w", "storage_energy_j"]
        assert series.attrs["time_s.units"] == "s" and series.attrs["storage_energy_j.units"] == "J"
        assert f["fine/dc16k"].attrs["grid_max_ramp_w_per_s.units"] == "W/s"
        assert f["fine"].attrs["interval_s.units"] == "s"


def test_fine_series_reads_as_a_dataframe_and_adds_up(swing_h5):
    result = fleetsim.load(swing_h5)
    window = result.fine_window
    assert window["start_s"] == 3600 and window["duration_s"] == 600 and window["interval_s"] == pytest.approx(0.1)
    series = result.fine("dc16k")
    assert len(series) == 6000
    assert np.allclose(np.diff(series.index.to_numpy()), 0.1)
    # PUE 1.1 throughout; the grid draws the floored IT power less the storage's discharge, times the PUE.
    assert np.allclose(series["facility_power_w"], 1.1 * series["it_power_w"])
    assert np.allclose(series["grid_power_w"], 1.1 * (series["floored_it_power_w"] - series["storage_power_w"]))
    assert (series["floored_it_power_w"] >= series["it_power_w"] - 1e-6).all()
    attributes = result.fine_attributes("dc16k")
    capacity = attributes["storage_capacity_j"]
    assert capacity == attributes["racks"] * window["rack_storage_j"] == 512 * 0.5 * 3.6e6
    assert ((series["storage_energy_j"] >= 0) & (series["storage_energy_j"] <= capacity)).all()
    assert (series["storage_power_w"].abs() <= attributes["storage_power_w"] + 1e-6).all()
    # The statistics are the series'.
    assert attributes["swing_w"] == pytest.approx(series["facility_power_w"].max() - series["facility_power_w"].min())
    assert attributes["grid_peak_w"] == pytest.approx(series["grid_power_w"].max())
    ramp = np.abs(np.diff(series["facility_power_w"].to_numpy())).max() / 0.1
    assert attributes["max_ramp_w_per_s"] == pytest.approx(ramp)
    assert attributes["energy_j"] == pytest.approx(series["facility_power_w"].sum() * 0.1)


def test_a_file_without_fine_window_has_no_fine_group(synthetic_h5):
    result = fleetsim.load(synthetic_h5)
    assert result.fine_campuses == [] and result.fine_window == {}
    assert result.swing_summary().empty
    with pytest.raises(KeyError):
        result.fine("anywhere")

"""Result.to_xarray (every campus timeseries as one Dataset) and Result.campus_totals, values by hand (conftest)."""
import os

import h5py
import numpy as np
import pytest
import xarray as xr

import fleetsim
from conftest import CAMPUSES, HORIZON_S, INTERVAL_S, TIMESERIES_DTYPE, TIMESERIES_UNITS, write_synthetic_result

FIELDS = list(TIMESERIES_DTYPE.names)[1:]


@pytest.fixture
def result(synthetic_h5):
    return fleetsim.load(synthetic_h5)


def test_dims_coordinates_and_one_variable_per_field_with_units(result):
    data = result.to_xarray()
    assert isinstance(data, xr.Dataset)
    assert dict(data.sizes) == {"campus": 2, "time": 48}
    assert list(data["campus"].values) == ["austin", "oslo"]
    assert data["time"].values[1] == INTERVAL_S and data["time"].attrs["units"] == "s"
    for field in FIELDS:
        assert data[field].dims == ("campus", "time")
        assert data[field].attrs["units"] == TIMESERIES_UNITS[field]
    assert list(data["country"].values) == ["US", "NO"]
    assert list(data["gpus"].values) == [4096, 1024]
    assert data["grid_connection_w"].attrs["units"] == "W"
    assert data.attrs["horizon_s"] == HORIZON_S and data.attrs["seed"] == 7


def test_values_are_the_campus_timeseries(result):
    data = result.to_xarray()
    for campus in result.campuses:
        series = result.timeseries(campus)
        for field in FIELDS:
            np.testing.assert_array_equal(data[field].sel(campus=campus).values, series[field].to_numpy())


def test_energy_from_power_times_interval_length(result):
    data = result.to_xarray()
    assert float(data["interval_s"].sum()) == HORIZON_S
    energy = (data["it_power_w"] * data["interval_s"]).sum("time")
    # (5 + k) MW x 1.5 x 172,800 s for campus k (oslo 0, austin 1).
    assert energy.sel(campus="oslo").item() == pytest.approx(1.296e12)
    assert energy.sel(campus="austin").item() == pytest.approx(1.5552e12)


def test_fleet_totals(result):
    data = result.to_xarray()
    assert data["fleet_it_power_w"].dims == ("time",)
    # t = 0: sin = 0, IT (5 + 6) MW x 1.5 = 16.5 MW; facility 7.5 x 1.1 + 9 x 1.3 = 19.95 MW.
    assert data["fleet_it_power_w"].values[0] == pytest.approx(16.5e6)
    assert data["fleet_facility_power_w"].values[0] == pytest.approx(19.95e6)
    assert data["fleet_pue"].values[0] == pytest.approx(19.95 / 16.5)
    assert data["fleet_carbon_kg"].values[-1] == pytest.approx(11880 + 224640)
    assert data["fleet_gpus_busy"].attrs["units"] == "1"
    assert "fleet_ambient_c" not in data and "fleet_pue" in data


def test_is_cached(result):
    assert result.to_xarray() is result.to_xarray()


def test_campuses_with_different_rows_are_aligned_on_time(synthetic_h5, tmp_path):
    path = tmp_path / "ragged.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        rows = f["campuses/oslo/timeseries"][:10]
        del f["campuses/oslo/timeseries"]
        f["campuses/oslo/timeseries"] = rows
    data = fleetsim.load(path).to_xarray()
    assert data.sizes["time"] == 48
    oslo = data["it_power_w"].sel(campus="oslo").values
    assert np.isfinite(oslo[:10]).all() and np.isnan(oslo[10:]).all()
    assert data["fleet_it_power_w"].values[20] == pytest.approx(data["it_power_w"].sel(campus="austin").values[20])


def test_campus_totals_by_hand(result):
    totals = result.campus_totals()
    assert list(totals.index) == ["austin", "oslo"]
    oslo = totals.loc["oslo"]
    assert oslo["it_energy_j"] == pytest.approx(1.296e12)
    assert oslo["facility_energy_j"] == pytest.approx(1.4256e12)
    assert oslo["carbon_kg"] == pytest.approx(11880)
    assert oslo["cost_eur"] == pytest.approx(19800)
    assert oslo["mean_pue"] == pytest.approx(1.1)
    assert oslo["carbon_g_per_kwh"] == pytest.approx(30)
    assert totals.loc["austin", "carbon_g_per_kwh"] == pytest.approx(400)
    # GPUs busy: min(1024, 100 (1 + h)) over hours h = 0..47 -> 100 x (1 + ... + 10) + 1024 x 38, over 48 h.
    assert oslo["mean_gpus_busy"] == pytest.approx((100 * 55 + 1024 * 38) / 48)
    assert oslo["gpu_utilization"] == pytest.approx((100 * 55 + 1024 * 38) / 48 / 1024)
    assert totals.attrs["units"]["carbon_g_per_kwh"] == "g/kWh"


def test_campus_utilization_counts_the_installed_gpu_seconds(tmp_path):
    """Schema 2: a campus whose GPUs were installed half the run (commissioned at 24 h) is busy twice as much
    of its installed GPU-seconds; a version 1 file, without gpu_seconds_installed, counts GPUs x horizon."""
    path = tmp_path / "commissioned.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        f["campuses/oslo"].attrs["gpu_seconds_installed"] = 1024 * HORIZON_S / 2
    busy_gpu_s = (100 * 55 + 1024 * 38) * 3600.0
    assert fleetsim.load(path).campus_totals().loc["oslo", "gpu_utilization"] == \
        pytest.approx(busy_gpu_s / (1024 * HORIZON_S / 2))
    with h5py.File(path, "r+") as f:
        del f["campuses/oslo"].attrs["gpu_seconds_installed"]
        del f["campuses/oslo"].attrs["gpu_seconds_installed.units"]
        f["meta"].attrs["schema_version"] = 1
    with pytest.warns(UserWarning, match="schema version 1"):
        old = fleetsim.load(path)
    assert old.campus_totals().loc["oslo", "gpu_utilization"] == pytest.approx(busy_gpu_s / (1024 * HORIZON_S))


def test_campus_totals_from_the_timeseries_when_attributes_are_missing(tmp_path):
    path = tmp_path / "old.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        for campus in CAMPUSES:
            for name in ("it_energy_j", "facility_energy_j", "carbon_kg", "cost_eur", "peak_facility_power_w"):
                del f[f"campuses/{campus}"].attrs[name]
    totals = fleetsim.load(path).campus_totals()
    assert totals.loc["austin", "it_energy_j"] == pytest.approx(1.5552e12)
    assert totals.loc["austin", "facility_energy_j"] == pytest.approx(2.02176e12)
    assert totals.loc["austin", "carbon_kg"] == pytest.approx(224640)
    assert totals.loc["austin", "cost_eur"] == pytest.approx(44928)
    # Without the exact peak, the highest interval mean: 6 MW x 2.5 x 1.3 at hour 6 (sin = 1).
    assert totals.loc["austin", "peak_facility_power_w"] == pytest.approx(19.5e6)


@pytest.mark.skipif(not os.environ.get("FLEETSIM_RESULT"), reason="FLEETSIM_RESULT is not set")
def test_simulator_output_totals_agree_with_its_summary():
    result = fleetsim.load(os.environ["FLEETSIM_RESULT"])
    totals, summary = result.campus_totals(), result.summary
    assert totals["it_energy_j"].sum() == pytest.approx(summary["it_energy_j"], rel=1e-9)
    assert totals["carbon_kg"].sum() == pytest.approx(summary["carbon_kg"], rel=1e-9)
    # GPUs busy are exact interval means: their time integral is the summary's GPU-hours.
    busy_hours = (totals["mean_gpus_busy"] * result.meta["horizon_s"] / 3600).sum()
    assert busy_hours == pytest.approx(summary["gpu_hours_busy"], rel=1e-6)
    # Utilisation: busy over installed GPU-seconds, fleet-wide as per campus.
    installed_s = sum(result.campus_attributes(campus)["gpu_seconds_installed"] for campus in result.campuses)
    assert busy_hours * 3600 / installed_s == pytest.approx(summary["gpu_utilization"], rel=1e-6)
    data = result.to_xarray()
    energy = float((data["fleet_facility_power_w"] * data["interval_s"]).sum())
    assert energy == pytest.approx(summary["facility_energy_j"], rel=1e-6)

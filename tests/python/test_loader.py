import math
import shutil

import h5py
import pytest

import fleetsim
from fleetsim import hdf5_read
from conftest import (CAMPUSES, JOB_DTYPE, CAMPUS_UNITS, JOB_UNITS, JOBS, LIMITS, META, SCENARIO_TOML, SUMMARY,
                      TIMESERIES_DTYPE, TIMESERIES_UNITS, HORIZON_S, INTERVAL_S, nan_equal, write_synthetic_result)


@pytest.fixture
def result(synthetic_h5):
    return fleetsim.load(synthetic_h5)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        fleetsim.load(tmp_path / "nope.h5")


def test_non_hdf5_file_raises_value_error_naming_it(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("not hdf5")
    with pytest.raises(ValueError, match="notes.h5"):
        fleetsim.load(path)


def test_hdf5_without_meta_raises_value_error_naming_it(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = [1, 2, 3]
    with pytest.raises(ValueError, match="other.h5.*not a fleetsim result"):
        fleetsim.load(path)


def test_jobs_strings_are_decoded_and_unpadded(result):
    jobs = result.jobs
    assert list(jobs.columns) == list(JOB_DTYPE.names)
    assert list(jobs["name"]) == [job[1] for job in JOBS]
    assert list(jobs["campus"]) == ["austin", "oslo", "oslo", "austin"]
    assert list(jobs["cluster"]) == ["a1", "o1", "o1", ""]
    assert list(jobs["state"]) == ["completed", "completed", "running", "queued"]
    assert all(type(value) is str for column in ("name", "campus", "cluster", "state")
               for value in jobs[column])
    assert len(jobs["name"][3]) == 64


def test_jobs_numbers_and_nans(result):
    jobs = result.jobs
    assert list(jobs["id"]) == [0, 1, 2, 3]
    assert list(jobs["gpus"]) == [512, 64, 8, 1024]
    assert jobs["start_s"].isna().tolist() == [False, False, False, True]
    assert jobs["end_s"].isna().tolist() == [False, False, True, True]


def test_campuses_are_sorted(result):
    assert result.campuses == sorted(CAMPUSES) == ["austin", "oslo"]


def test_timeseries_indexed_by_time(result):
    series = result.timeseries("oslo")
    assert series.index.name == "time_s"
    assert list(series.columns) == list(TIMESERIES_DTYPE.names)[1:]
    assert len(series) == HORIZON_S / INTERVAL_S
    assert series.index[1] == INTERVAL_S
    assert (series["facility_power_w"] == series["it_power_w"] * CAMPUSES["oslo"]["pue"]).all()


def test_unknown_campus_raises_key_error(result):
    with pytest.raises(KeyError, match="mars"):
        result.timeseries("mars")
    with pytest.raises(KeyError, match="mars"):
        result.campus_attributes("mars")


def test_campus_attributes(result):
    attributes = result.campus_attributes("austin")
    assert attributes.keys() == CAMPUSES["austin"].keys()
    assert all(nan_equal(attributes[key], value) for key, value in CAMPUSES["austin"].items())
    assert type(attributes["country"]) is str


def test_summary_is_plain_dict_without_units(result):
    assert result.summary == {key: value for key, (value, _) in SUMMARY.items()}
    assert not any(key.endswith(".units") for key in result.summary)
    assert type(result.summary["jobs_submitted"]) is int
    assert type(result.summary["it_energy_j"]) is float


def test_units(result):
    assert result.units("jobs") == JOB_UNITS
    assert result.units("summary") == {key: unit for key, (_, unit) in SUMMARY.items() if unit}
    assert result.units("summary")["gpu_hours_busy"] == "h"
    assert result.units("campuses/oslo/timeseries") == TIMESERIES_UNITS
    assert result.units("campuses/oslo") == CAMPUS_UNITS
    assert result.units("meta")["horizon_s"] == "s"
    with pytest.raises(KeyError, match="nothing"):
        result.units("nothing")


def test_meta_has_attributes_and_scenario_text(result):
    meta = result.meta
    assert meta == {**{key: value for key, (value, _) in META.items()}, "scenario": SCENARIO_TOML}
    assert type(meta["scenario"]) is str
    assert not any(key.endswith(".units") for key in meta)


def test_limits_table(result):
    limits = result.limits
    assert list(limits["campus"]) == ["oslo", "austin"]
    assert list(limits["limit"]) == ["grid", "grid"]
    assert limits["peak_ratio"].tolist() == [row[6] for row in LIMITS]


def test_periods_by_month_and_by_year(result):
    periods = result.periods
    assert list(periods["period"]) == ["2022-12", "2023-01"]
    assert list(periods["campus"]) == ["oslo", "oslo"]
    yearly = result.yearly()
    assert list(yearly["year"]) == [2022, 2023]
    assert list(yearly["it_energy_j"] / 3.6e9) == [5.0, 7.0]
    assert list(yearly["grid_connection_w"]) == [20e6, 30e6]
    assert result.units("periods")["energy_cost_eur"] == "EUR"


def test_economics_by_year_with_the_run_total_and_inputs(result):
    economics = result.economics
    assert list(economics["year"]) == [2023, 0]
    assert economics["tco_eur"].iloc[-1] == 130000.0
    attributes = result.economics_attributes()
    assert attributes["npc_eur"] == 5.06e6 and attributes["discount_rate"] == 0.08
    assert result.units("economics")["eur_per_gpu_hour"] == "EUR"


def test_reads_lazily_and_caches(synthetic_h5, monkeypatch):
    calls = []

    def counting_read_table(path, name):
        calls.append(name)
        return read_table(path, name)

    def counting_blocks(path, name, fields, block_rows=None):
        calls.append(name)
        return iter_table_blocks(path, name, fields, block_rows)

    read_table, iter_table_blocks = hdf5_read.read_table, hdf5_read.iter_table_blocks
    monkeypatch.setattr(hdf5_read, "read_table", counting_read_table)
    monkeypatch.setattr(hdf5_read, "iter_table_blocks", counting_blocks)
    result = fleetsim.load(synthetic_h5)
    assert result.summary["jobs_submitted"] == 4
    assert calls == []
    assert result.jobs is result.jobs
    assert result.timeseries("oslo") is result.timeseries("oslo")
    assert calls == ["jobs", "campuses/oslo/timeseries"]


def test_does_not_keep_the_file_open(synthetic_h5, tmp_path):
    path = tmp_path / "copy.h5"
    shutil.copy(synthetic_h5, path)
    result = fleetsim.load(path)
    jobs = result.jobs
    h5py.File(path, "r+").close()  # HDF5 refuses this while the file is open read-only
    path.unlink()  # everything read is cached
    assert result.jobs is jobs
    assert math.isclose(result.jobs["energy_j"].sum(), sum(job[9] for job in JOBS))


def test_a_result_from_a_newer_schema_is_refused(tmp_path):
    """A result written by a newer fleetsim is an error naming both versions (an older one loads, with a warning)."""
    path = tmp_path / "future.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        f["meta"].attrs["schema_version"] = fleetsim.result.SCHEMA_VERSION + 1
    with pytest.raises(ValueError, match="is newer than this reader's"):
        fleetsim.load(path)


@pytest.mark.parametrize("version", [0, -1, "2", 1.5])
def test_a_result_with_an_unknown_schema_version_is_refused(tmp_path, version):
    """Only the integer versions 1..SCHEMA_VERSION are read; anything else is an error, not a warning."""
    path = tmp_path / "odd.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        f["meta"].attrs["schema_version"] = version
    with pytest.raises(ValueError, match="odd.h5: schema version .* is not one this reader knows"):
        fleetsim.load(path)


def _damage_first_chunk(path, name):
    """Overwrite the middle of the first stored chunk of dataset `name` with bytes that do not inflate."""
    with h5py.File(path, "r") as f:
        dataset = f[name]
        assert dataset.chunks and dataset.compression == "gzip", "the simulator writes deflated chunks"
        chunk = dataset.id.get_chunk_info(0)
        offset, size = chunk.byte_offset, chunk.size
    with open(path, "r+b") as raw:
        raw.seek(offset + size // 4)
        raw.write(b"\xff" * max(8, size // 2))


def test_a_damaged_compressed_block_is_a_clear_error(tmp_path, fleetsim_bin):
    """A corrupt /jobs or timeseries chunk gives DamagedFileError naming the file and the table (a ValueError),
    not a raw h5py OSError; the tables not damaged still read."""
    import subprocess
    path = tmp_path / "quick.h5"
    subprocess.run([fleetsim_bin, "run", "scenarios/examples/quickstart.toml", "-o", str(path), "--quiet"],
                   check=True)
    _damage_first_chunk(path, "jobs")
    result = fleetsim.load(path)
    with pytest.raises(hdf5_read.DamagedFileError, match=r"quick\.h5: cannot read jobs: .*damaged or truncated"):
        result.jobs
    with pytest.raises(ValueError, match="cannot read jobs"):
        list(result.iter_jobs(["energy_j"]))
    campus = result.campuses[0]
    assert len(result.timeseries(campus)) > 0


def test_a_truncated_result_is_a_clear_error(tmp_path, synthetic_h5):
    """A file cut short (a copy interrupted) is refused with a message naming it, never a raw h5py error."""
    path = tmp_path / "cut.h5"
    data = open(synthetic_h5, "rb").read()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="cut.h5"):
        fleetsim.load(path).jobs

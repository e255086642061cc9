"""Reading /jobs in blocks: only the fields asked for, only the rows a filter keeps, same answer as the full table."""
import h5py
import numpy as np
import pandas as pd
import pytest

import fleetsim
from fleetsim import hdf5_read, table_query
from conftest import JOB_DTYPE, JOBS, write_synthetic_result


@pytest.fixture
def result(synthetic_h5):
    return fleetsim.load(synthetic_h5)


@pytest.fixture
def fields_read(monkeypatch):
    """The field lists passed to each block read."""
    calls = []
    original = hdf5_read.iter_table_blocks

    def recording(path, name, fields, block_rows=None):
        calls.append(list(fields))
        return original(path, name, fields, block_rows)

    monkeypatch.setattr(hdf5_read, "iter_table_blocks", recording)
    return calls


def test_job_fields_and_count_without_reading_rows(result, fields_read):
    assert result.job_fields == list(JOB_DTYPE.names)
    assert result.job_count == 4
    assert fields_read == []


def test_full_table_has_a_range_index_and_every_field(result):
    jobs = result.jobs
    assert isinstance(jobs.index, pd.RangeIndex) and len(jobs) == 4
    assert list(jobs.columns) == list(JOB_DTYPE.names)
    assert jobs["gpus"].dtype == np.uint32 and jobs["preemptions"].dtype == np.uint32


def test_expression_filter_reads_only_the_fields_it_names_and_the_columns_asked(result, fields_read):
    # Jobs 1 (64 GPUs) and 2 (8 GPUs) ran in oslo; job 2 is the only one there with fewer than 64 GPUs.
    jobs = result.read_jobs(columns=["id", "start_s"], where="campus == 'oslo' and gpus < 64")
    assert fields_read == [["id", "campus", "gpus", "start_s"]]  # table order
    assert list(jobs.columns) == ["id", "start_s"]
    assert jobs["id"].tolist() == [2] and jobs.index.tolist() == [2]
    assert jobs["start_s"].tolist() == [7400.0]


def test_only_requested_fields_are_read_without_a_filter(result, fields_read):
    jobs = result.read_jobs(columns=["state", "gpus"])
    assert fields_read == [["gpus", "state"]]  # in table order
    assert list(jobs.columns) == ["state", "gpus"]  # in the order asked
    assert jobs["state"].tolist() == ["completed", "completed", "running", "queued"]


def test_string_literals_in_an_expression_are_not_taken_for_fields(result, fields_read):
    jobs = result.read_jobs(columns=["id"], where="state == 'name' or cluster == \"gpus\"")
    assert fields_read == [["id", "cluster", "state"]]
    assert jobs.empty and list(jobs.columns) == ["id"]


def test_expressions_on_numbers_nan_and_arithmetic(result):
    # Waits: 0 s, 3,600 s, 7,200 s; job 3 never started (NaN is not > 0).
    assert result.read_jobs(["id"], "start_s - submit_s > 3000")["id"].tolist() == [1, 2]
    assert result.read_jobs(["id"], "start_s != start_s")["id"].tolist() == [3]  # NaN test


def test_dict_filter_equality_and_lists(result):
    assert result.read_jobs(["id"], {"campus": "austin"})["id"].tolist() == [0, 3]
    assert result.read_jobs(["id"], {"state": ["running", "queued"], "campus": "oslo"})["id"].tolist() == [2]


def test_jobs_where_keywords_and_expression_are_and_ed(result, fields_read):
    jobs = result.jobs_where("gpus >= 64", campus="austin", columns=["name"])
    assert jobs["name"].tolist() == ["pretrain-llm", "x" * 64]
    assert fields_read == [["name", "campus", "gpus"]]
    assert result.jobs_where(campus="oslo", state="completed")["id"].tolist() == [1]
    assert len(result.jobs_where()) == 4


def test_callable_filter_gets_every_field(result):
    seen = []

    def started_in_oslo(block):
        seen.append(list(block.columns))
        return (block["campus"] == "oslo") & block["start_s"].notna()

    assert result.read_jobs(["name"], started_in_oslo)["name"].tolist() == ["0-1", "läufer"]
    assert seen == [list(JOB_DTYPE.names)]


def test_a_filter_must_give_one_boolean_per_row(result):
    with pytest.raises(ValueError, match="one boolean per row"):
        result.read_jobs(where=lambda block: block["gpus"])
    with pytest.raises(TypeError, match="where must be"):
        result.read_jobs(where=42)


def test_unknown_fields_are_named(result):
    with pytest.raises(KeyError, match="colour"):
        result.read_jobs(columns=["id", "colour"])
    with pytest.raises(KeyError, match="colour"):
        result.jobs_where(colour="red")
    with pytest.raises(KeyError, match=r"colour.*is not defined.*fields: \[.*energy_j"):
        result.read_jobs(["id"], "colour == 'red'")


def test_iter_jobs_streams_blocks_with_row_numbers(result):
    blocks = list(result.iter_jobs(["energy_j"], block_rows=3))
    assert [block.index.tolist() for block in blocks] == [[0, 1, 2], [3]]
    assert sum(block["energy_j"].sum() for block in blocks) == pytest.approx(sum(job[9] for job in JOBS))


def test_empty_table_gives_typed_empty_frames(synthetic_h5, tmp_path):
    path = tmp_path / "empty.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        del f["jobs"]
        f.create_dataset("jobs", shape=(0,), dtype=JOB_DTYPE)
    result = fleetsim.load(path)
    assert result.jobs.empty and list(result.jobs.columns) == list(JOB_DTYPE.names)
    jobs = result.read_jobs(["id", "campus"], "gpus > 1")
    assert jobs.empty and jobs["id"].dtype == np.uint64 and jobs["campus"].dtype == object


@pytest.fixture(scope="module")
def large_table(tmp_path_factory):
    """10,000 random jobs in 1,000-row chunks, and the same rows as a DataFrame (strings decoded)."""
    rng = np.random.default_rng(3)
    count = 10_000
    rows = np.zeros(count, dtype=JOB_DTYPE)
    rows["id"] = np.arange(count)
    rows["name"] = [f"job-{i}".encode() for i in range(count)]
    rows["campus"] = rng.choice([b"paris", b"lyon", b"marseille", "zürich".encode()], count)
    rows["cluster"] = rng.choice([b"a", b"b", b""], count)
    rows["gpus"] = rng.choice([1, 8, 64, 512], count)
    rows["submit_s"] = np.sort(rng.uniform(0, 1e6, count))
    rows["start_s"] = np.where(rng.random(count) < 0.9, rows["submit_s"] + rng.exponential(3600, count), np.nan)
    rows["state"] = rng.choice([b"completed", b"running", b"queued"], count)
    rows["energy_j"] = rng.uniform(0, 1e9, count)
    path = tmp_path_factory.mktemp("large") / "large.h5"
    write_synthetic_result(path)
    with h5py.File(path, "r+") as f:
        del f["jobs"]
        f.create_dataset("jobs", data=rows, chunks=(1000,), shuffle=True, compression="gzip")
    frame = pd.DataFrame({name: [v.decode() for v in rows[name]] if rows.dtype[name].kind == "S" else rows[name]
                          for name in JOB_DTYPE.names})
    return fleetsim.load(path), frame


@pytest.mark.parametrize("block_rows", [None, 1000, 777])
@pytest.mark.parametrize("where, columns", [
    ("campus == 'zürich' and gpus >= 64", ["id", "name", "start_s"]),
    ("start_s - submit_s > 7200 or state == 'queued'", ["campus", "cluster", "energy_j"]),
    ("cluster == ''", None),
])
def test_block_reads_equal_filtering_the_full_table(large_table, where, columns, block_rows):
    result, frame = large_table
    expected = frame.query(where)[columns or list(frame.columns)]
    got = result.read_jobs(columns, where, block_rows=block_rows)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)


def test_full_read_equals_the_rows(large_table):
    result, frame = large_table
    pd.testing.assert_frame_equal(result.read_jobs(block_rows=777), frame)
    pd.testing.assert_frame_equal(result.jobs, frame)


def test_decode_strings_decodes_each_distinct_value_once_and_keeps_row_order():
    values = np.array([b"paris", b"lyon", b"paris", b"", "zürich".encode(), b"lyon"] * 500, dtype="S12")
    decoded = hdf5_read.decode_strings(values)
    assert decoded.dtype == object
    assert decoded[:6].tolist() == ["paris", "lyon", "paris", "", "zürich", "lyon"]
    assert decoded.tolist() == [value.decode() for value in values]
    assert hdf5_read.decode_strings(np.array([b"\xff\xfeab"], dtype="S8")).tolist() == ["\ufffd\ufffdab"]
    assert hdf5_read.decode_strings(np.array([], dtype="S8")).tolist() == []


def test_decode_strings_survives_hash_collisions(monkeypatch):
    # With a zero multiplier every 8-byte word but the last is ignored: "aaaaaaaaX" and "bbbbbbbbX" collide.
    monkeypatch.setattr(hdf5_read, "FNV_PRIME", np.uint64(0))
    values = np.array([b"aaaaaaaaX", b"bbbbbbbbX", b"aaaaaaaaX"], dtype="S16")
    assert hdf5_read.decode_strings(values).tolist() == ["aaaaaaaaX", "bbbbbbbbX", "aaaaaaaaX"]


def test_row_filter_field_detection():
    known = ["id", "name", "campus", "gpus", "start_s"]
    assert table_query.RowFilter.from_where("gpus>=8 and `campus` == 'gpus'", known).fields == ["campus", "gpus"]
    assert table_query.RowFilter.from_where(["id < 3", {"name": "x"}], known).fields == ["id", "name"]

"""The schema, three ways, kept in step: a real run's file (and a real sweep's index) from $FLEETSIM_BIN, the
synthetic files of conftest.py that the analysis tests read, and sim/telemetry/SCHEMA.md. The synthetic files
must have exactly the real files' fields (in order, with their types), attributes and units, and SCHEMA.md must
name every field and attribute of a real file, with its type and units, and no other."""
import os
import re
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

import fleetsim
from conftest import REPO, write_synthetic_result
from sweep_support import BASE, GOOD_SWF

SCENARIO = "scenarios/examples/quickstart.toml"
SERVICE_SCENARIO = "scenarios/examples/inference-service.toml"
SCHEMA_DOC = REPO / "sim" / "telemetry" / "SCHEMA.md"
UNITS = ".units"


@pytest.fixture(scope="module")
def real_h5(tmp_path_factory, fleetsim_bin):
    """A quick-start run (one day) by the simulator under test."""
    out = tmp_path_factory.mktemp("schema") / "quickstart.h5"
    run = subprocess.run([str(fleetsim_bin), "run", SCENARIO, "-o", str(out), "--quiet", "--set", "simulation.duration=1d"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def real_service_h5(tmp_path_factory, fleetsim_bin):
    """A run with an inference service (two hours of the example)."""
    out = tmp_path_factory.mktemp("schema_service") / "service.h5"
    run = subprocess.run([str(fleetsim_bin), "run", SERVICE_SCENARIO, "-o", str(out), "--quiet", "--set",
                          "simulation.duration=2h"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def real_sweep(tmp_path_factory, fleetsim_bin):
    """A one-point sweep of the toy scenario (sweep_support.BASE) by the simulator under test."""
    directory = tmp_path_factory.mktemp("schema_sweep")
    (directory / "base.toml").write_text(BASE)
    (directory / "good.swf").write_text(GOOD_SWF)
    (directory / "sweep.toml").write_text('[sweep]\nname = "one"\nscenario = "base.toml"\nreplicas = 1\n\n'
                                          '[grid]\n"scheduler.policy" = ["fifo"]\n')
    out = directory / "out"
    run = subprocess.run([str(fleetsim_bin), "sweep", str(directory / "sweep.toml"), "-o", str(out), "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.fixture(scope="module")
def fixture_h5(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema_fixture") / "synthetic.h5"
    write_synthetic_result(path)
    return path


def kind(value):
    """An attribute's type as a comparable string: `str`, `str[]` or the NumPy type (`<i8`, `<f8`)."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        return "str[]"
    return np.asarray(value).dtype.str


def attribute_kinds(path, name):
    with h5py.File(path, "r") as f:
        return {key: kind(value) for key, value in f[name].attrs.items()}


def units_of(path, name):
    with h5py.File(path, "r") as f:
        return {key: str(value) for key, value in f[name].attrs.items() if key.endswith(UNITS)}


def row_type(path, name):
    """[(field, NumPy type)] of a compound dataset, in the file's field order (offsets aside)."""
    with h5py.File(path, "r") as f:
        dtype = f[name].dtype
    return [(field, dtype[field].str) for field in dtype.names]


def first_campus(path):
    with h5py.File(path, "r") as f:
        return sorted(f["campuses"])[0]


# ---------------------------------------------------------------------------------------------- fixture = real

def test_schema_version_is_the_readers(real_h5, fixture_h5):
    for path in (real_h5, fixture_h5):
        with h5py.File(path, "r") as f:
            assert f["meta"].attrs["schema_version"] == fleetsim.result.SCHEMA_VERSION == 7, path


def test_fixture_has_the_real_files_groups_and_datasets(real_h5, fixture_h5):
    def layout(path):
        with h5py.File(path, "r") as f:
            campus = f["campuses"][first_campus(path)]
            return (sorted(f), sorted(f["meta"]), sorted(campus), f["meta/scenario"].shape)
    assert layout(fixture_h5) == layout(real_h5)


def test_fixture_jobs_have_the_real_fields_in_order_with_their_types_and_units(real_h5, fixture_h5):
    assert row_type(fixture_h5, "jobs") == row_type(real_h5, "jobs")
    assert units_of(fixture_h5, "jobs") == units_of(real_h5, "jobs")


def test_fixture_timeseries_and_limits_have_the_real_fields(real_h5, fixture_h5):
    real_campus, fixture_campus = first_campus(real_h5), first_campus(fixture_h5)
    assert row_type(fixture_h5, f"campuses/{fixture_campus}/timeseries") == \
        row_type(real_h5, f"campuses/{real_campus}/timeseries")
    assert units_of(fixture_h5, f"campuses/{fixture_campus}/timeseries") == \
        units_of(real_h5, f"campuses/{real_campus}/timeseries")
    assert row_type(fixture_h5, "limits") == row_type(real_h5, "limits")
    assert units_of(fixture_h5, "limits") == units_of(real_h5, "limits")


@pytest.mark.parametrize("group", ["summary", "meta", "campus"])
def test_fixture_attributes_are_the_real_ones_with_their_types_and_units(real_h5, fixture_h5, group):
    real_name = f"campuses/{first_campus(real_h5)}" if group == "campus" else group
    fixture_name = f"campuses/{first_campus(fixture_h5)}" if group == "campus" else group
    real, synthetic = attribute_kinds(real_h5, real_name), attribute_kinds(fixture_h5, fixture_name)
    assert sorted(synthetic) == sorted(real)
    assert synthetic == real
    assert units_of(fixture_h5, fixture_name) == units_of(real_h5, real_name)


def test_a_run_without_services_has_an_empty_services_group(fleetsim_bin, tmp_path):
    out = tmp_path / "plain.h5"
    run = subprocess.run([str(fleetsim_bin), "run", "scenarios/examples/capacity-changes.toml", "-o", str(out), "--quiet",
                          "--set", "simulation.duration=1d"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    with h5py.File(out, "r") as f:
        assert len(f["services"]) == 0


def test_fixture_services_have_the_real_fields_attributes_and_units(real_service_h5, fixture_h5):
    assert row_type(fixture_h5, "services/chat/timeseries") == row_type(real_service_h5, "services/chat/timeseries")
    assert units_of(fixture_h5, "services/chat/timeseries") == units_of(real_service_h5, "services/chat/timeseries")
    assert attribute_kinds(fixture_h5, "services/chat") == attribute_kinds(real_service_h5, "services/chat")
    assert units_of(fixture_h5, "services/chat") == units_of(real_service_h5, "services/chat")
    assert attribute_kinds(fixture_h5, "summary") == attribute_kinds(real_service_h5, "summary")


def test_every_campus_of_a_real_file_has_the_same_attributes(real_h5):
    with h5py.File(real_h5, "r") as f:
        names = {campus: sorted(f["campuses"][campus].attrs) for campus in f["campuses"]}
    assert len(set(map(tuple, names.values()))) == 1, names


def test_fixture_sweep_index_has_the_real_attributes_metrics_and_columns(real_sweep, synthetic_sweep):
    real_index, fixture_index = real_sweep / "sweep.h5", synthetic_sweep / "sweep.h5"
    assert attribute_kinds(fixture_index, "/") == attribute_kinds(real_index, "/")
    assert units_of(fixture_index, "/") == units_of(real_index, "/")
    with h5py.File(real_index, "r") as real, h5py.File(fixture_index, "r") as synthetic:
        assert list(synthetic.attrs["metrics"]) == list(real.attrs["metrics"])
        assert synthetic.attrs["schema_version"] == real.attrs["schema_version"] == 1
        real_parameters, fixture_parameters = list(real.attrs["parameters"]), list(synthetic.attrs["parameters"])
    # The parameters differ from sweep to sweep; every other column is the writer's.
    assert [c for c in row_type(fixture_index, "points") if c[0] not in fixture_parameters] == \
        [c for c in row_type(real_index, "points") if c[0] not in real_parameters]
    assert units_of(fixture_index, "points") == units_of(real_index, "points")


# ---------------------------------------------------------------------------------------------- SCHEMA.md = real

def schema_tables():
    """SCHEMA.md's tables under each heading: {heading: [table, ...]}, a table being its body rows as lists of
    cells (header and separator rows left out)."""
    sections, heading, table = {}, None, None
    for line in SCHEMA_DOC.read_text().splitlines():
        if line.startswith("#"):
            heading, table = line.lstrip("#").strip(), None
            sections[heading] = []
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if table is None:
                table = []
                sections[heading].append(table)
            elif not set(cells[0]) <= set("-: "):
                table.append(cells)
        else:
            table = None
    return sections


def section(prefix):
    """The tables of the result file's section whose heading starts with `prefix` (e.g. "`/jobs`")."""
    sections = schema_tables()
    found = [heading for heading in sections if heading.startswith(prefix)]
    assert len(found) == 1, f"SCHEMA.md: expected one section {prefix}, found {found}"
    return sections[found[0]]


def documented(table, type_column=None, units_column=None):
    """{name: (type, units)} from a table whose first cell names one or more fields (`a`, `b`); a type or units
    cell lists one value for all of them or one each, comma-separated."""
    entries = {}
    for row in table:
        names = re.findall(r"`([^`]+)`", row[0])

        def spread(column):
            if column is None:
                return [None] * len(names)
            values = [value.strip() for value in row[column].split(",")] if row[column] else [""]
            return values * len(names) if len(values) == 1 else values
        types, units = spread(type_column), spread(units_column)
        assert len(types) == len(units) == len(names), row
        entries.update({name: (t, u) for name, t, u in zip(names, types, units)})
    return entries


DOC_TYPES = {"uint64": "<u8", "uint32": "<u4", "uint8": "|u1", "int64": "<i8", "float64": "<f8", "string": "str"}


def doc_type(text):
    match = re.fullmatch(r"string\[(\d+)\]", text)
    return f"|S{match.group(1)}" if match else DOC_TYPES[text]


@pytest.mark.parametrize("heading, dataset", [
    ("`/jobs`", "jobs"), ("`/campuses/<name>/timeseries`", "timeseries"), ("`/limits`", "limits")])
def test_schema_doc_names_every_field_of_a_real_file_with_its_type_and_units(real_h5, heading, dataset):
    name = f"campuses/{first_campus(real_h5)}/timeseries" if dataset == "timeseries" else dataset
    fields = documented(section(heading)[0], type_column=1, units_column=2)
    real = row_type(real_h5, name)
    assert list(fields) == [field for field, _ in real], f"SCHEMA.md {heading}: fields (in the file's order)"
    units = units_of(real_h5, name)
    for field, numpy_type in real:
        documented_type, documented_units = fields[field]
        assert doc_type(documented_type) == numpy_type, f"SCHEMA.md {heading} {field}: type"
        assert units.get(field + UNITS, "") == documented_units, f"SCHEMA.md {heading} {field}: units"


def test_schema_doc_names_every_service_field_and_attribute(real_service_h5):
    tables = section("`/services/<name>/timeseries`")
    fields = documented(tables[0], type_column=1, units_column=2)
    real = row_type(real_service_h5, "services/chat/timeseries")
    assert list(fields) == [field for field, _ in real]
    units = units_of(real_service_h5, "services/chat/timeseries")
    for field, numpy_type in real:
        assert doc_type(fields[field][0]) == numpy_type, field
        assert units.get(field + UNITS, "") == fields[field][1], field
    attributes = documented(tables[1], units_column=1)
    kinds, units = attribute_kinds(real_service_h5, "services/chat"), units_of(real_service_h5, "services/chat")
    names = sorted(key for key in kinds if not key.endswith(UNITS))
    assert sorted(attributes) == names
    for key in names:
        assert units.get(key + UNITS, "") == attributes[key][1], key
        assert (key + UNITS in units) == (kinds[key] != "str"), key


@pytest.mark.parametrize("group", ["summary", "campus", "meta"])
def test_schema_doc_names_every_attribute_of_a_real_file_with_its_units(real_h5, group):
    if group == "summary":
        attributes, name = documented(section("`/summary`")[0], units_column=1), "summary"
    elif group == "campus":
        attributes, name = documented(section("`/campuses/<name>/timeseries`")[1], units_column=1), \
            f"campuses/{first_campus(real_h5)}"
    else:
        attributes, name = documented(section("`/meta`")[0], type_column=1), "meta"
    kinds, units = attribute_kinds(real_h5, name), units_of(real_h5, name)
    real = sorted(key for key in kinds if not key.endswith(UNITS))
    assert sorted(attributes) == real, f"SCHEMA.md /{name}: attributes"
    for key in real:
        documented_type, documented_units = attributes[key]
        if documented_type is not None:
            assert doc_type(documented_type) == kinds[key], f"SCHEMA.md /{name} {key}: type"
        if documented_units is not None:
            assert units.get(key + UNITS, "") == documented_units, f"SCHEMA.md /{name} {key}: units"
        # Every numeric attribute has its units, strings none.
        assert (key + UNITS in units) == (kinds[key] != "str"), f"/{name} {key}: units attribute"


def test_schema_doc_states_the_version_the_reader_knows():
    text = SCHEMA_DOC.read_text()
    assert f"# fleetsim output file (HDF5) — schema version {fleetsim.result.SCHEMA_VERSION}\n" in text
    assert f"this document's version ({fleetsim.result.SCHEMA_VERSION})" in text

"""Sweeps: `load_sweep()` reads a sweep directory's index (`DIR/sweep.h5`, schema in sim/telemetry/SCHEMA.md)
as a DataFrame of parameters x metrics; replica averages and Pareto fronts over it.

    sweep = fleetsim.load_sweep("results/sweeps/quickstart-sweep")
    sweep.attrs["parameters"], sweep.attrs["metrics"]      # column names, in sweep-file order
    means = fleetsim.replica_means(sweep)                  # one row per parameter combination
    front = fleetsim.pareto_front(means, "jobs_per_day", "carbon_kg")
"""
from pathlib import Path
import warnings

import h5py
import numpy as np
import pandas as pd

from . import hdf5_read
from .result import load

SWEEP_SCHEMA_VERSION = 1
SWEEP_KIND = "fleetsim-sweep"
INDEX_NAME = "sweep.h5"
# Metrics where more is better; every other metric (energy, carbon, cost, waits, slowdown, ...) is better lower.
HIGHER_IS_BETTER = {"jobs_per_day", "jobs_completed", "gpu_hours_busy", "gpu_utilization"}


def index_path(path):
    """The sweep index of a sweep directory or of a sweep.h5 path."""
    path = Path(path)
    return path / INDEX_NAME if path.is_dir() else path


def _is_known_version(version, newest):
    """True for an integer schema version from 1 to `newest` (bool is not a version)."""
    return isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= newest


def is_sweep(path):
    """True if `path` is a sweep directory or a sweep index file (without reading its points)."""
    path = index_path(path)
    try:
        with h5py.File(path, "r") as f:
            return hdf5_read._to_python(f.attrs.get("kind")) == SWEEP_KIND
    except (OSError, FileNotFoundError):
        return False


def load_sweep(path):
    """DataFrame of the sweep's points (one row per point of the plan, in plan order): `id`, `status`,
    `replica`, `seed`, one column per parameter, one per metric, `horizon_s`, `jobs_per_day`, `wall_s`,
    `path`, `error`; strings decoded. `path` is a sweep directory or its `sweep.h5`.

    `.attrs`: `parameters` and `metrics` (column names, from the index), `units` (per column), `name`,
    `scenario_path`, `counts` (points, done, failed, pending), `directory` (the sweep directory) and `index`.
    Raises FileNotFoundError, or ValueError if the file is not a sweep index."""
    path = Path(path)
    index = index_path(path)
    if not path.exists():
        raise FileNotFoundError(f"sweep not found: {path.absolute()}")
    if not index.is_file():
        raise FileNotFoundError(f"no sweep index {index}: not a sweep directory, or the sweep has not written "
                                f"its index yet (`fleetsim sweep collect {path}` rebuilds it from the point files)")
    try:
        attributes = hdf5_read.read_attributes(index, "/")
        has_points = hdf5_read.has_object(index, "points")
        is_result = hdf5_read.has_object(index, "meta")
    except (OSError, hdf5_read.DamagedFileError) as error:
        raise ValueError(f"{index} is not an HDF5 file: {error}") from None
    if attributes.get("kind") != SWEEP_KIND or not has_points:
        hint = " (it is a run's result: open it with fleetsim.load)" if is_result else ""
        raise ValueError(f"{index} is not a fleetsim sweep index (root attribute kind = "
                         f"{attributes.get('kind')!r}, expected {SWEEP_KIND!r}, and a /points table){hint}")
    version = attributes.get("schema_version")
    if isinstance(version, int) and version > SWEEP_SCHEMA_VERSION:
        raise ValueError(f"{index}: sweep schema version {version} is newer than this reader's "
                         f"({SWEEP_SCHEMA_VERSION}): update the analysis package")
    if version is not None and not _is_known_version(version, SWEEP_SCHEMA_VERSION):
        raise ValueError(f"{index}: sweep schema version {version!r} is not one this reader knows (1 to "
                         f"{SWEEP_SCHEMA_VERSION})")
    if version != SWEEP_SCHEMA_VERSION:
        warnings.warn(f"{index}: sweep schema version {version}, this reader knows {SWEEP_SCHEMA_VERSION}")
    points = hdf5_read.read_table(index, "points")
    _, units = hdf5_read.split_units(hdf5_read.read_attributes(index, "points"))
    points.attrs.update({
        "parameters": list(attributes.get("parameters", [])),
        "metrics": list(attributes.get("metrics", [])),
        "units": units,
        "name": attributes.get("name", index.parent.name),
        "scenario_path": attributes.get("scenario_path", ""),
        "counts": {key: attributes[key] for key in ("points", "done", "failed", "pending") if key in attributes},
        "directory": str(index.parent),
        "index": str(index),
    })
    return points


def parameters_of(sweep):
    """The sweep's parameter columns (from `load_sweep`'s attrs)."""
    if "parameters" not in sweep.attrs:
        raise ValueError("not a sweep table: no attrs['parameters'] (use fleetsim.load_sweep, and keep attrs "
                         "when filtering: boolean indexing and .copy() keep them)")
    return list(sweep.attrs["parameters"])


def numeric_parameters(sweep):
    """Parameters whose values are all numbers, in sweep-file order."""
    return [name for name in parameters_of(sweep) if pd.api.types.is_numeric_dtype(sweep[name])]


def replica_means(sweep, metrics=None):
    """One row per parameter combination, in plan order: the mean of each numeric metric over its done
    replicas (NaN when none is done), and `replicas`, how many were done. Index: the parameters (a MultiIndex
    with several)."""
    parameters = parameters_of(sweep)
    metrics = _numeric_metrics(sweep) if metrics is None else list(metrics)
    done = (sweep["status"] == "done") if "status" in sweep else pd.Series(True, index=sweep.index)
    values = sweep[metrics].where(done, np.nan)  # failed and pending points count for nothing
    if not parameters:
        table = values.mean().to_frame().T
        table["replicas"] = int(done.sum())
        return table
    keys = [sweep[name] for name in parameters]
    table = values.groupby(keys, sort=False, dropna=False).mean()
    table["replicas"] = done.astype(int).groupby(keys, sort=False, dropna=False).sum()
    table.attrs.update({key: sweep.attrs[key] for key in ("parameters", "units", "name") if key in sweep.attrs})
    return table


def _numeric_metrics(sweep):
    metrics = sweep.attrs.get("metrics") or [column for column in sweep.columns
                                             if column not in parameters_of(sweep)]
    return [name for name in metrics if name in sweep and pd.api.types.is_numeric_dtype(sweep[name])]


def higher_is_better(metric):
    """Default sense of a metric for Pareto fronts: True for throughput and utilisation, False otherwise."""
    return metric in HIGHER_IS_BETTER


def pareto_front(table, x, y, maximize_x=None, maximize_y=None):
    """Boolean Series: the rows of `table` not dominated in (x, y). A row is dominated when another is at
    least as good in both and strictly better in one. Senses default to `higher_is_better`; rows with a
    NaN in x or y are never on the front."""
    maximize_x = higher_is_better(x) if maximize_x is None else maximize_x
    maximize_y = higher_is_better(y) if maximize_y is None else maximize_y
    # Both as "lower is better".
    a = table[x].to_numpy(float) * (-1 if maximize_x else 1)
    b = table[y].to_numpy(float) * (-1 if maximize_y else 1)
    valid = ~(np.isnan(a) | np.isnan(b))
    front = np.zeros(len(table), dtype=bool)
    for row in np.flatnonzero(valid):
        others = valid.copy()
        others[row] = False
        at_least_as_good = (a <= a[row]) & (b <= b[row]) & others
        strictly_better = (a < a[row]) | (b < b[row])
        front[row] = not np.any(at_least_as_good & strictly_better)
    return pd.Series(front, index=table.index, name="pareto")


def load_point(sweep, point_id):
    """The result (fleetsim.Result) of one done point of a sweep, by its id."""
    rows = sweep[sweep["id"] == point_id]
    if rows.empty:
        raise KeyError(f"no point {point_id!r} in sweep {sweep.attrs.get('name', '')!r}")
    row = rows.iloc[0]
    if row.get("status", "done") != "done":
        raise ValueError(f"point {point_id} is {row['status']}, it has no result"
                         + (f": {row['error']}" if row.get("error") else ""))
    return load(Path(sweep.attrs.get("directory", ".")) / row["path"])

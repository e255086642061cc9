"""`load()` and `Result`: lazy, cached access to one fleetsim output file.

Opening reads only /meta's attributes. Tables are read on first access and cached; the job table can also
be read in blocks, a few fields and the rows of a filter at a time (`read_jobs`, `jobs_where`, `iter_jobs`),
which is how a million-job fleet-year is explored without holding it all in memory.
"""
from functools import cached_property
from pathlib import Path
import warnings

import h5py
import numpy as np
import pandas as pd

from . import hdf5_read, table_query

SCHEMA_VERSION = 1
ADDITIVE_FIELDS = ("it_power_w", "facility_power_w", "gpus_busy", "gpus_fragmented", "carbon_kg", "cost_eur")
CAMPUS_COORDINATES = ("country", "gpus", "grid_connection_w")


def load(path):
    """Open a fleetsim result file. Raises FileNotFoundError, or ValueError if it is not one."""
    return Result(path)


class Result:
    """One fleetsim run. Nothing is read until first accessed; everything read is cached."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"fleetsim result not found: {self.path.absolute()}")
        try:
            with h5py.File(self.path, "r") as f:
                is_fleetsim = "meta" in f and "schema_version" in f["meta"].attrs
                version = f["meta"].attrs["schema_version"] if is_fleetsim else None
        except OSError as error:
            raise ValueError(f"{self.path} is not an HDF5 file: {error}") from None
        if not is_fleetsim:
            raise ValueError(f"{self.path} is not a fleetsim result (no /meta schema_version)")
        if version != SCHEMA_VERSION:
            warnings.warn(f"{self.path}: schema version {version}, this reader knows {SCHEMA_VERSION}")
        self._timeseries = {}
        self._attributes = {}

    def __repr__(self):
        return f"fleetsim.Result('{self.path}')"

    @cached_property
    def jobs(self):
        """DataFrame of /jobs, one row per submitted job; strings decoded to str. Reads the whole table (a
        fleet-year: ~1M rows, ~0.3 GB); `read_jobs` reads a few fields or rows."""
        return table_query.read(self.path, "jobs")

    @cached_property
    def job_fields(self):
        """Field names of /jobs, without reading any row."""
        return hdf5_read.table_fields(self.path, "jobs")[0]

    @cached_property
    def job_count(self):
        """Rows of /jobs, without reading any."""
        return hdf5_read.table_fields(self.path, "jobs")[1]

    def read_jobs(self, columns=None, where=None, block_rows=None):
        """Jobs with only `columns` (default all) and only the rows `where` keeps, read block by block.

        `where`: a pandas expression (`"campus == 'paris' and gpus >= 64"`; only the fields it names are read
        to filter), a dict {field: value or list of values}, or a callable block -> boolean mask (gets every
        field). The index is the job's row in /jobs (its id). Not cached: each call reads the file.
        """
        return table_query.read(self.path, "jobs", columns, where, block_rows)

    def jobs_where(self, where=None, columns=None, **equals):
        """`read_jobs` with keyword conditions, and-ed with an optional `where`:
        jobs_where(campus="paris", state=["running", "queued"]), jobs_where("gpus >= 64", campus="paris")."""
        conditions = [condition for condition in (where, equals) if condition]
        return self.read_jobs(columns, conditions or None)

    def iter_jobs(self, columns=None, where=None, block_rows=None):
        """Yield the jobs block by block (DataFrames, as `read_jobs`), for aggregates over tables larger than
        memory: sum(block["energy_j"].sum() for block in result.iter_jobs(["energy_j"]))."""
        return table_query.iter_blocks(self.path, "jobs", columns, where, block_rows)

    @cached_property
    def limits(self):
        """DataFrame of /limits: per campus, grid / cooling / racks capacity, nameplate and peak demand, and
        which limit binds (empty for files without the table)."""
        with h5py.File(self.path, "r") as f:
            present = "limits" in f
        return hdf5_read.read_table(self.path, "limits") if present else pd.DataFrame()

    @cached_property
    def campuses(self):
        """Sorted campus names."""
        return hdf5_read.list_members(self.path, "campuses")

    def timeseries(self, campus):
        """DataFrame of /campuses/<campus>/timeseries, indexed by `time_s`."""
        if campus not in self._timeseries:
            self._require_campus(campus)
            table = hdf5_read.read_table(self.path, f"campuses/{campus}/timeseries")
            self._timeseries[campus] = table.set_index("time_s")
        return self._timeseries[campus]

    def to_xarray(self):
        """Every campus timeseries as one xarray.Dataset with dims (campus, time): one variable per field
        (`units` attribute), coordinates `time` (start of the interval, s), `interval_s` (its length),
        `country`, `gpus`, `grid_connection_w` per campus, and fleet totals over campuses: `fleet_<field>` for
        the additive fields (power, GPUs, cumulative carbon and cost) and `fleet_pue`. Cached."""
        if getattr(self, "_dataset", None) is None:
            self._dataset = self._build_dataset()
        return self._dataset

    def _build_dataset(self):
        import xarray as xr  # imported here: loading a result does not need it

        campuses = self.campuses
        # Read as raw rows (not through the timeseries() cache): a fleet-year is 13 x 105,120 rows.
        tables = [hdf5_read.read_rows(self.path, f"campuses/{campus}/timeseries") for campus in campuses]
        if tables and all(np.array_equal(table["time_s"], tables[0]["time_s"]) for table in tables):
            times = tables[0]["time_s"].copy()  # the usual case: every campus on the same intervals
        else:
            times = np.unique(np.concatenate([table["time_s"] for table in tables])) if tables \
                else np.array([], dtype=float)
        fields = list(dict.fromkeys(field for table in tables for field in table.dtype.names if field != "time_s"))
        units = {}
        for campus in campuses:
            units = {**self.units(f"campuses/{campus}/timeseries"), **units}
        positions = [slice(None) if len(table) == len(times) else np.searchsorted(times, table["time_s"])
                     for table in tables]
        variables = {}
        for field in fields:
            values = np.full((len(campuses), len(times)), np.nan)
            for row, (table, position) in enumerate(zip(tables, positions)):
                if field in table.dtype.names:
                    values[row, position] = table[field]
            variables[field] = (("campus", "time"), values, {"units": units.get(field, "")})
        del tables
        for field in ADDITIVE_FIELDS:
            if field in variables:
                total = np.nansum(variables[field][1], axis=0) if len(campuses) else np.zeros(len(times))
                variables[f"fleet_{field}"] = ("time", total,
                                               {"units": units.get(field, ""), "long_name": f"{field}, all campuses"})
        if "fleet_it_power_w" in variables and "fleet_facility_power_w" in variables:
            it, facility = variables["fleet_it_power_w"][1], variables["fleet_facility_power_w"][1]
            with np.errstate(invalid="ignore", divide="ignore"):
                variables["fleet_pue"] = ("time", np.where(it > 0, facility / it, np.nan),
                                          {"units": "1", "long_name": "facility energy / IT energy, all campuses"})
        horizon = self.meta["horizon_s"]
        coordinates = {
            "campus": ("campus", np.array(campuses, dtype=object)),
            "time": ("time", times, {"units": "s", "long_name": "start of the telemetry interval"}),
            "interval_s": ("time", np.diff(np.r_[times, max(horizon, times[-1]) if len(times) else horizon]),
                           {"units": "s", "long_name": "length of the telemetry interval"}),
        }
        for name in CAMPUS_COORDINATES:
            site = [self.campus_attributes(campus).get(name) for campus in campuses]
            if all(value is not None for value in site):
                unit = self.units(f"campuses/{campuses[0]}").get(name) if campuses else None
                coordinates[name] = ("campus", np.array(site, dtype=object if name == "country" else None),
                                     {"units": unit} if unit else {})
        attributes = {"source": str(self.path)}
        for name in ("scenario_path", "seed", "horizon_s", "telemetry_interval_s", "fleetsim_version",
                     "git_commit"):
            if name in self.meta:
                attributes[name] = self.meta[name]
        return xr.Dataset(variables, coords=coordinates, attrs=attributes)

    def campus_totals(self):
        """DataFrame, one row per campus: installed GPUs, grid connection, energy (IT and facility), carbon,
        cost, peak facility power, mean GPUs busy and their share of the installed GPUs, mean PUE and the
        carbon intensity of the energy drawn. Totals come from the campus attributes; files without them get
        them integrated from the timeseries. Units in `.attrs["units"]`."""
        horizon = self.meta["horizon_s"]
        rows = {}
        for campus in self.campuses:
            site, series = self.campus_attributes(campus), self.timeseries(campus)
            times = series.index.to_numpy(float)
            lengths = np.diff(np.r_[times, horizon]) if len(times) else times

            def integral(field):
                return float((series[field].to_numpy(float) * lengths).sum()) if field in series else np.nan

            def last(field):
                return float(series[field].iloc[-1]) if field in series and len(series) else np.nan

            it_energy = site.get("it_energy_j", integral("it_power_w"))
            facility_energy = site.get("facility_energy_j", integral("facility_power_w"))
            carbon = site.get("carbon_kg", last("carbon_kg"))
            busy_mean = integral("gpus_busy") / horizon if horizon else np.nan
            gpus = site.get("gpus", np.nan)
            rows[campus] = {
                "country": site.get("country", ""),
                "gpus": gpus,
                "grid_connection_w": site.get("grid_connection_w", np.nan),
                "it_energy_j": it_energy,
                "facility_energy_j": facility_energy,
                "carbon_kg": carbon,
                "cost_eur": site.get("cost_eur", last("cost_eur")),
                "peak_facility_power_w": site.get("peak_facility_power_w", series["facility_power_w"].max()
                                                  if "facility_power_w" in series and len(series) else np.nan),
                "mean_gpus_busy": busy_mean,
                "gpu_utilization": busy_mean / gpus if gpus else np.nan,
                "mean_pue": facility_energy / it_energy if it_energy else np.nan,
                "carbon_g_per_kwh": carbon * 1e3 / (facility_energy / 3.6e6) if facility_energy else np.nan,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "campus"
        table.attrs["units"] = {
            "gpus": "1", "grid_connection_w": "W", "it_energy_j": "J", "facility_energy_j": "J", "carbon_kg": "kg",
            "cost_eur": "EUR", "peak_facility_power_w": "W", "mean_gpus_busy": "1", "gpu_utilization": "1",
            "mean_pue": "1", "carbon_g_per_kwh": "g/kWh"}
        return table

    def campus_attributes(self, campus):
        """Attributes of /campuses/<campus>: country, grid_connection_w, pue, gpus, ..."""
        self._require_campus(campus)
        return self._split_attributes(f"campuses/{campus}")[0]

    @cached_property
    def summary(self):
        """Attributes of /summary (without the `.units` companions)."""
        return self._split_attributes("summary")[0]

    @cached_property
    def meta(self):
        """Attributes of /meta plus "scenario", the resolved scenario TOML text."""
        values = dict(self._split_attributes("meta")[0])
        values["scenario"] = hdf5_read.read_text(self.path, "meta/scenario")
        return values

    def units(self, name):
        """Units of the fields/attributes of object `name`, e.g. units("jobs")["start_s"] == "s".

        `name` is an HDF5 path: "jobs", "summary", "meta", "campuses/<campus>",
        "campuses/<campus>/timeseries".
        """
        return self._split_attributes(name)[1]

    def _require_campus(self, campus):
        if campus not in self.campuses:
            raise KeyError(f"no campus {campus!r} in {self.path}; campuses: {self.campuses}")

    def _split_attributes(self, name):
        if name not in self._attributes:
            try:
                attributes = hdf5_read.read_attributes(self.path, name)
            except KeyError:
                raise KeyError(f"no object {name!r} in {self.path}") from None
            self._attributes[name] = hdf5_read.split_units(attributes)
        return self._attributes[name]

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

from . import hdf5_read, table_query, timeseries_dataset

SCHEMA_VERSION = 7


TOTAL_UNITS = {"gpus": "1", "grid_connection_w": "W", "it_energy_j": "J", "facility_energy_j": "J", "carbon_kg": "kg",
               "cost_eur": "EUR", "peak_facility_power_w": "W", "mean_gpus_busy": "1", "gpu_utilization": "1",
               "mean_pue": "1", "carbon_g_per_kwh": "g/kWh"}


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
        if not isinstance(version, (int, np.integer)) or isinstance(version, bool) or version < 1:
            raise ValueError(f"{self.path}: schema version {version!r} is not one this reader knows (1 to "
                             f"{SCHEMA_VERSION})")
        if version > SCHEMA_VERSION:
            raise ValueError(f"{self.path}: schema version {version} is newer than this reader's ({SCHEMA_VERSION}): "
                             "update the analysis package")
        if version != SCHEMA_VERSION:
            warnings.warn(f"{self.path}: schema version {version}, this reader knows {SCHEMA_VERSION}")
        self._timeseries = {}
        self._attributes = {}
        self._dataset = None

    def __repr__(self):
        return f"fleetsim.Result('{self.path}')"

    @cached_property
    def jobs(self):
        """DataFrame of /jobs, one row per submitted job; strings decoded to str. Reads the whole table (a
        fleet-year: ~1M rows, ~0.4 GB in memory, ~4 s); `read_jobs` reads a few fields or rows."""
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
        present = hdf5_read.has_object(self.path, "limits")
        return hdf5_read.read_table(self.path, "limits") if present else pd.DataFrame()

    @cached_property
    def failures(self):
        """DataFrame of /failures: one row per component failure of a node in service (time, campus, cluster,
        node, cause, the runs it stopped and their GPU-hours lost); empty for files without the table."""
        present = hdf5_read.has_object(self.path, "failures")
        return hdf5_read.read_table(self.path, "failures") if present else pd.DataFrame()

    @cached_property
    def periods(self):
        """DataFrame of /periods: one row per campus and calendar month (energy, carbon, energy cost, GPU-hours busy
        and installed, installed IT power, grid connection, jobs, training runs, tokens), with a `period` column
        ("2027-01"); empty for files without the table."""
        if not hdf5_read.has_object(self.path, "periods"):
            return pd.DataFrame()
        frame = hdf5_read.read_table(self.path, "periods")
        frame["period"] = [f"{y:04d}-{m:02d}" for y, m in zip(frame["year"], frame["month"])]
        return frame

    @cached_property
    def economics(self):
        """DataFrame of /economics: one row per calendar year and a last row for the whole run (year 0): capex,
        depreciation, energy, other opex, TCO, and TCO per GPU-hour, per million tokens, per training run; empty for
        files without the table. Its inputs and the net present cost: economics_attributes()."""
        present = hdf5_read.has_object(self.path, "economics")
        return hdf5_read.read_table(self.path, "economics") if present else pd.DataFrame()

    def economics_attributes(self):
        """npc_eur and the inputs of /economics (discount_rate, usd_per_eur, lives, capex and opex per MW)."""
        return dict(self._split_attributes("economics")[0])

    def yearly(self):
        """/periods summed per calendar year and campus (installed power and connection: at the year's end)."""
        frame = self.periods
        if frame.empty:
            return frame
        sums = [c for c in frame.columns if c not in ("campus", "year", "month", "period", "start_s", "end_s",
                                                       "installed_it_w", "grid_connection_w")]
        grouped = frame.groupby(["year", "campus"], sort=True)
        yearly = grouped[sums].sum()
        yearly["installed_it_w"] = grouped["installed_it_w"].last()
        yearly["grid_connection_w"] = grouped["grid_connection_w"].last()
        return yearly.reset_index()

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

    @cached_property
    def services(self):
        """Sorted inference service names (/services; empty before schema version 4)."""
        present = hdf5_read.has_object(self.path, "services")
        return hdf5_read.list_members(self.path, "services") if present else []

    def service_timeseries(self, service):
        """DataFrame of /services/<service>/timeseries, indexed by `time_s`: requests/s, tokens/s in and out,
        replicas, GPUs, SLO attainment and power per telemetry interval."""
        key = ("service", service)
        if key not in self._timeseries:
            self._require_service(service)
            table = hdf5_read.read_table(self.path, f"services/{service}/timeseries")
            self._timeseries[key] = table.set_index("time_s")
        return self._timeseries[key]

    def service_attributes(self, service):
        """Attributes of /services/<service>: model, node, tp, SLO, capacity, and the totals (tokens, energy,
        cost, SLO attainment, energy per 1,000 output tokens, cost per million tokens)."""
        self._require_service(service)
        return self._split_attributes(f"services/{service}")[0]

    def service_totals(self):
        """DataFrame, one row per service, of its attributes (the run's totals among them)."""
        table = pd.DataFrame.from_dict({name: self.service_attributes(name) for name in self.services}, orient="index")
        table.index.name = "service"
        return table

    @cached_property
    def fine_campuses(self):
        """Campus names of the fine power window (/fine, `[telemetry] fine`); empty without one."""
        present = hdf5_read.has_object(self.path, "fine")
        return hdf5_read.list_members(self.path, "fine") if present else []

    @cached_property
    def fine_window(self):
        """Attributes of /fine: the window (start_s, duration_s, interval_s), the plain jobs' profile and the
        mitigations ([power.smoothing]); empty without a fine window."""
        return self._split_attributes("fine")[0] if self.fine_campuses else {}

    def fine(self, campus):
        """DataFrame of /fine/<campus>/series, indexed by `time_s`: IT and facility power by phase without
        mitigation, IT power with the GPU power floor, the grid's draw with both mitigations, the rack storage's
        power (+ discharging) and charge."""
        key = ("fine", campus)
        if key not in self._timeseries:
            self._require_fine(campus)
            self._timeseries[key] = hdf5_read.read_table(self.path, f"fine/{campus}/series").set_index("time_s")
        return self._timeseries[key]

    def fine_attributes(self, campus):
        """Attributes of /fine/<campus>: swing statistics without mitigation (no prefix), with the floor alone
        (`floored_`), the storage alone (`stored_`) and both (`grid_`), the step the swing is measured over, the
        racks and their storage."""
        self._require_fine(campus)
        return self._split_attributes(f"fine/{campus}")[0]

    def swing_summary(self):
        """DataFrame, one row per campus of the fine window: swing amplitude (peak - trough) and per-step swing
        in MW, largest ramp in MW/s, peak and mean in MW, for each of none, floor, storage, both; and the
        reductions of peak and swing that the mitigations give (1 - mitigated / unmitigated)."""
        rows = {}
        for campus in self.fine_campuses:
            a = self.fine_attributes(campus)
            row = {"step_s": a["swing_window_s"]}
            for label, prefix in (("none", ""), ("floor", "floored_"), ("storage", "stored_"), ("both", "grid_")):
                row[f"swing_mw_{label}"] = a[prefix + "swing_w"] / 1e6
                row[f"step_swing_mw_{label}"] = a[prefix + "step_swing_w"] / 1e6
                row[f"max_ramp_mw_per_s_{label}"] = a[prefix + "max_ramp_w_per_s"] / 1e6
                row[f"peak_mw_{label}"] = a[prefix + "peak_w"] / 1e6
                row[f"mean_mw_{label}"] = a[prefix + "mean_w"] / 1e6
            for label in ("floor", "storage", "both"):
                row[f"peak_reduction_{label}"] = 1 - row[f"peak_mw_{label}"] / row["peak_mw_none"]
                row[f"swing_reduction_{label}"] = (1 - row[f"swing_mw_{label}"] / row["swing_mw_none"]
                                                   if row["swing_mw_none"] else np.nan)
            rows[campus] = row
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "campus"
        return table

    def to_xarray(self):
        """Every campus timeseries as one xarray.Dataset with dims (campus, time): one variable per field
        (`units` attribute), coordinates `time` (start of the interval, s), `interval_s` (its length),
        `country`, `gpus`, `grid_connection_w` per campus, and fleet totals over campuses: `fleet_<field>` for
        the additive fields (power, GPUs, cumulative carbon and cost) and `fleet_pue`. Cached."""
        if self._dataset is None:
            self._dataset = timeseries_dataset.build(self)
        return self._dataset

    def campus_totals(self):
        """DataFrame, one row per campus: GPUs (of all its clusters), grid connection, energy (IT and facility),
        carbon, cost, peak facility power, mean GPUs busy and the utilisation (busy GPU-seconds over installed
        GPU-seconds, as the summary's), mean PUE and the carbon intensity of the energy drawn. Totals come from
        the campus attributes; files without them get them integrated from the timeseries (and, before schema
        version 2, utilisation over GPUs x horizon). Units in `.attrs["units"]`."""
        horizon = self.meta["horizon_s"]
        rows = {campus: _campus_totals(self.campus_attributes(campus), self.timeseries(campus), horizon)
                for campus in self.campuses}
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "campus"
        table.attrs["units"] = dict(TOTAL_UNITS)
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
        "campuses/<campus>/timeseries", "services/<service>", "services/<service>/timeseries", "fine",
        "fine/<campus>", "fine/<campus>/series".
        """
        return self._split_attributes(name)[1]

    def _require_service(self, service):
        if service not in self.services:
            raise KeyError(f"no service {service!r} in {self.path}; services: {self.services}")

    def _require_fine(self, campus):
        if campus not in self.fine_campuses:
            raise KeyError(f"no campus {campus!r} in the fine window of {self.path}; fine campuses: {self.fine_campuses}")

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


def _campus_totals(site, series, horizon):
    """One row of Result.campus_totals: a campus's attributes, or its timeseries integrated when the file
    predates the attribute (power x interval length; the last value of cumulative carbon and cost)."""
    times = series.index.to_numpy(float)
    lengths = np.diff(np.r_[times, horizon]) if len(times) else times

    def integral(field):
        return float((series[field].to_numpy(float) * lengths).sum()) if field in series else np.nan

    def last(field):
        return float(series[field].iloc[-1]) if field in series and len(series) else np.nan

    def highest(field):
        return float(series[field].max()) if field in series and len(series) else np.nan

    def attribute(name, fallback):
        return site[name] if name in site else fallback()

    it_energy = attribute("it_energy_j", lambda: integral("it_power_w"))
    facility_energy = attribute("facility_energy_j", lambda: integral("facility_power_w"))
    carbon = attribute("carbon_kg", lambda: last("carbon_kg"))
    busy_gpu_s = integral("gpus_busy")
    busy_mean = busy_gpu_s / horizon if horizon else np.nan
    gpus = site.get("gpus", np.nan)
    # Clusters may be commissioned or decommissioned during the run: utilisation counts the GPU-seconds
    # installed (schema 2); version 1 files, without them, had every GPU installed all along.
    installed_gpu_s = site.get("gpu_seconds_installed", gpus * horizon if gpus and horizon else np.nan)
    return {
        "country": site.get("country", ""),
        "gpus": gpus,
        "grid_connection_w": site.get("grid_connection_w", np.nan),
        "it_energy_j": it_energy,
        "facility_energy_j": facility_energy,
        "carbon_kg": carbon,
        "cost_eur": attribute("cost_eur", lambda: last("cost_eur")),
        "peak_facility_power_w": attribute("peak_facility_power_w", lambda: highest("facility_power_w")),
        "mean_gpus_busy": busy_mean,
        "gpu_utilization": busy_gpu_s / installed_gpu_s if installed_gpu_s else np.nan,
        "mean_pue": facility_energy / it_energy if it_energy else np.nan,
        "carbon_g_per_kwh": carbon * 1e3 / (facility_energy / 3.6e6) if facility_energy else np.nan,
    }

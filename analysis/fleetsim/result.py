"""`load()` and `Result`: lazy, cached access to one fleetsim output file."""
from functools import cached_property
from pathlib import Path
import warnings

import h5py
import pandas as pd

from . import hdf5_read

SCHEMA_VERSION = 1


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
        """DataFrame of /jobs, one row per submitted job; strings decoded to str."""
        return hdf5_read.read_table(self.path, "jobs")

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

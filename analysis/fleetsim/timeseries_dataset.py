"""Every campus timeseries of a result as one xarray.Dataset (`Result.to_xarray`)."""
import numpy as np

from . import hdf5_read

ADDITIVE_FIELDS = ("it_power_w", "facility_power_w", "gpus_busy", "gpus_fragmented", "carbon_kg", "cost_eur")
CAMPUS_COORDINATES = ("country", "gpus", "grid_connection_w")


def build(result):
    """The Dataset described in `Result.to_xarray`: dims (campus, time), campuses aligned on the union of their
    interval starts (NaN where a campus has no row)."""
    import xarray as xr  # imported here: loading a result does not need it

    campuses = result.campuses
    # Read as raw rows (not through the timeseries() cache): a fleet-year is 13 x 105,120 rows.
    tables = [hdf5_read.read_rows(result.path, f"campuses/{campus}/timeseries") for campus in campuses]
    if tables and all(np.array_equal(table["time_s"], tables[0]["time_s"]) for table in tables):
        times = tables[0]["time_s"].copy()  # the usual case: every campus on the same intervals
    else:
        times = np.unique(np.concatenate([table["time_s"] for table in tables])) if tables \
            else np.array([], dtype=float)
    fields = list(dict.fromkeys(field for table in tables for field in table.dtype.names if field != "time_s"))
    units = {}
    for campus in campuses:
        units = {**result.units(f"campuses/{campus}/timeseries"), **units}
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
    horizon = result.meta["horizon_s"]
    coordinates = {
        "campus": ("campus", np.array(campuses, dtype=object)),
        "time": ("time", times, {"units": "s", "long_name": "start of the telemetry interval"}),
        "interval_s": ("time", np.diff(np.r_[times, max(horizon, times[-1]) if len(times) else horizon]),
                       {"units": "s", "long_name": "length of the telemetry interval"}),
    }
    for name in CAMPUS_COORDINATES:
        site = [result.campus_attributes(campus).get(name) for campus in campuses]
        if all(value is not None for value in site):
            unit = result.units(f"campuses/{campuses[0]}").get(name) if campuses else None
            coordinates[name] = ("campus", np.array(site, dtype=object if name == "country" else None),
                                 {"units": unit} if unit else {})
    attributes = {"source": str(result.path)}
    for name in ("scenario_path", "seed", "horizon_s", "telemetry_interval_s", "fleetsim_version",
                 "git_commit"):
        if name in result.meta:
            attributes[name] = result.meta[name]
    return xr.Dataset(variables, coords=coordinates, attrs=attributes)

"""Low-level reads from a fleetsim HDF5 file. Each call opens and closes the file."""
import h5py
import numpy as np
import pandas as pd

UNITS_SUFFIX = ".units"


def _to_python(value):
    """Attribute value as a plain Python object: str for strings, int/float for scalars."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", errors="replace").rstrip("\0")
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_attributes(path, name):
    """All attributes of object `name` as a dict, `X.units` companions included."""
    with h5py.File(path, "r") as f:
        return {key: _to_python(value) for key, value in f[name].attrs.items()}


def split_units(attributes):
    """Split attributes into (values, units); units maps `X` to the value of `X.units`."""
    values = {k: v for k, v in attributes.items() if not k.endswith(UNITS_SUFFIX)}
    units = {k[: -len(UNITS_SUFFIX)]: v for k, v in attributes.items() if k.endswith(UNITS_SUFFIX)}
    return values, units


def read_table(path, name):
    """Compound dataset `name` as a DataFrame; fixed-length byte strings decoded to str."""
    with h5py.File(path, "r") as f:
        rows = f[name][()]
    table = pd.DataFrame(rows)
    for field in rows.dtype.names or ():
        if rows.dtype[field].kind == "S":
            table[field] = pd.Series([_to_python(value) for value in rows[field]], dtype=object)
    return table


def read_text(path, name):
    """Scalar string dataset `name` as str."""
    with h5py.File(path, "r") as f:
        return _to_python(f[name][()])


def list_members(path, name):
    """Sorted names of the members of group `name` (empty if the group is missing)."""
    with h5py.File(path, "r") as f:
        return sorted(f[name].keys()) if name in f else []

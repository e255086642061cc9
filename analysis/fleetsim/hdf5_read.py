"""Low-level reads from a fleetsim HDF5 file. Each call opens and closes the file. A file that cannot be read
(damaged, truncated, a corrupt compressed block) raises DamagedFileError naming the file and the object, never
a raw h5py error."""
from contextlib import contextmanager

import h5py
import numpy as np
import pandas as pd

UNITS_SUFFIX = ".units"
BLOCK_BYTES = 32 * 2**20  # rows read per h5py call in block reads: ~32 MB of the full row type
FNV_PRIME = np.uint64(1099511628211)


class DamagedFileError(ValueError):
    """A fleetsim file whose structure or data cannot be read (damaged or truncated)."""


@contextmanager
def open_file(path, name=""):
    """h5py.File(path, "r") for reading object `name`; HDF5 read errors (OSError, and the KeyError/RuntimeError
    h5py raises for damaged object headers) become DamagedFileError("PATH: cannot read NAME: ...")."""
    try:
        with h5py.File(path, "r") as f:
            yield f
    except (OSError, RuntimeError) as error:
        where = f" {name}" if name else ""
        raise DamagedFileError(f"{path}: cannot read{where}: {error} (the file is damaged or truncated)") from None


def _to_python(value):
    """Attribute value as a plain Python object: str for strings, int/float for scalars, list of str for
    string arrays."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", errors="replace").rstrip("\0")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.dtype.kind in "OSU":
        return [_to_python(item) for item in value.tolist()]
    return value


def read_attributes(path, name):
    """All attributes of object `name` as a dict, `X.units` companions included."""
    with open_file(path, name) as f:
        return {key: _to_python(value) for key, value in f[name].attrs.items()}


def split_units(attributes):
    """Split attributes into (values, units); units maps `X` to the value of `X.units`."""
    values = {k: v for k, v in attributes.items() if not k.endswith(UNITS_SUFFIX)}
    units = {k[: -len(UNITS_SUFFIX)]: v for k, v in attributes.items() if k.endswith(UNITS_SUFFIX)}
    return values, units


def decode_strings(values):
    """Fixed-length byte strings (NUL-padded) as an object array of str.

    Each distinct value is decoded once: rows are grouped by a hash of their bytes (checked against the bytes,
    so a collision only costs speed), which makes the campus, cluster and state columns of a million-row
    table cheap. Values that are not UTF-8 are decoded with replacement characters."""
    values = np.ascontiguousarray(values)
    count, size = len(values), values.dtype.itemsize
    if count == 0:
        return np.array([], dtype=object)
    word = next(width for width in (8, 4, 2, 1) if size % width == 0)
    words = values.view(f"<u{word}").reshape(count, size // word).astype(np.uint64, copy=False)
    key = words[:, 0].copy()
    with np.errstate(over="ignore"):
        for column in range(1, words.shape[1]):
            key = key * FNV_PRIME ^ words[:, column]
    codes, _ = pd.factorize(key)
    first = np.empty(codes.max() + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(count)[::-1]  # first row of each distinct value
    representatives = values[first]
    if not np.array_equal(representatives[codes], values):  # hash collision: decode row by row
        representatives, codes = values, np.arange(count)
    decoded = np.empty(len(representatives), dtype=object)
    decoded[:] = [value.decode("utf-8", errors="replace") for value in representatives.tolist()]
    return decoded[codes]


def decode_columns(rows):
    """Structured array -> dict of column arrays, byte strings decoded to str."""
    return {field: decode_strings(rows[field]) if rows.dtype[field].kind == "S" else rows[field]
            for field in rows.dtype.names or ()}


def read_rows(path, name):
    """Compound dataset `name` as a NumPy structured array, as stored."""
    with open_file(path, name) as f:
        return f[name][()]


def read_table(path, name):
    """Compound dataset `name` as a DataFrame; fixed-length byte strings decoded to str."""
    with open_file(path, name) as f:
        rows = f[name][()]
    return pd.DataFrame(decode_columns(rows), columns=list(rows.dtype.names or ()))


def table_dtype(path, name):
    """Row type of compound dataset `name`, without reading its rows."""
    with open_file(path, name) as f:
        return f[name].dtype


def table_fields(path, name):
    """(field names, number of rows) of compound dataset `name`, without reading its rows."""
    with open_file(path, name) as f:
        dataset = f[name]
        return list(dataset.dtype.names or ()), dataset.shape[0]


def block_rows_for(dataset):
    """Rows per block read: about BLOCK_BYTES of full rows, a whole number of the dataset's chunks (so every
    compressed chunk is inflated once)."""
    chunk = dataset.chunks[0] if dataset.chunks else 1
    rows = max(1, BLOCK_BYTES // max(dataset.dtype.itemsize, 1))
    return max(chunk, rows // chunk * chunk)


def iter_table_blocks(path, name, fields, block_rows=None):
    """Yield (first row, structured array of `fields` only) for consecutive row blocks of compound dataset
    `name`. h5py converts only the named fields; HDF5 still inflates whole chunks."""
    with open_file(path, name) as f:
        dataset = f[name]
        count = dataset.shape[0]
        step = block_rows or block_rows_for(dataset)
        view = dataset.fields(list(fields))
        for start in range(0, count, step):
            yield start, view[start:min(start + step, count)]


def read_text(path, name):
    """Scalar string dataset `name` as str."""
    with open_file(path, name) as f:
        return _to_python(f[name][()])


def list_members(path, name):
    """Sorted names of the members of group `name` (empty if the group is missing)."""
    with open_file(path, name) as f:
        return sorted(f[name].keys()) if name in f else []


def has_object(path, name):
    """True if the file holds object `name`."""
    with open_file(path, name) as f:
        return name in f

"""Reading a large compound table (`/jobs`) in blocks: only the fields asked for, only the rows a filter keeps.

A filter (`where`) is one of:
- a pandas expression string, evaluated on each block with `DataFrame.eval`: `"campus == 'paris' and gpus >= 64"`,
  `"state != 'completed'"`, `"start_s - submit_s > 3600"`. Only the fields it names are read for filtering.
- a dict {field: value}: the field equals the value, or is one of the values of a list, tuple or set.
- a callable taking a block (a DataFrame of every field, strings decoded) and returning a boolean mask;
- a list of these: rows every one of them keeps.
"""
import re

import numpy as np
import pandas as pd

from . import hdf5_read

IDENTIFIER = re.compile(r"`([^`]+)`|\b([A-Za-z_][A-Za-z0-9_]*)\b")


class RowFilter:
    """A `where` as the fields it needs and a function block DataFrame -> boolean mask."""

    def __init__(self, fields, mask):
        self.fields = list(fields)
        self.mask = mask

    @classmethod
    def from_where(cls, where, known_fields):
        if isinstance(where, cls):
            return where
        if isinstance(where, list):
            filters = [cls.from_where(item, known_fields) for item in where]
            fields = list(dict.fromkeys(field for item in filters for field in item.fields))
            return cls([field for field in known_fields if field in fields],
                       lambda block: np.logical_and.reduce(
                           [_as_mask(item.mask(block), len(block)) for item in filters] or [np.ones(len(block), bool)]))
        if isinstance(where, str):
            return cls(_fields_named_in(where, known_fields), lambda block: _evaluate(block, where, known_fields))
        if isinstance(where, dict):
            unknown = [field for field in where if field not in known_fields]
            if unknown:
                raise KeyError(f"unknown field(s) {unknown}; fields: {list(known_fields)}")
            return cls(list(where), lambda block: _equals_mask(block, where))
        if callable(where):
            return cls(known_fields, where)
        raise TypeError(f"where must be an expression string, a dict or a callable (got {type(where).__name__})")


def _fields_named_in(expression, known_fields):
    """Fields named in a pandas expression (identifiers that are fields; string literals are not looked in)."""
    without_literals = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", expression)
    named = {quoted or bare for quoted, bare in IDENTIFIER.findall(without_literals)}
    return [field for field in known_fields if field in named]


def _evaluate(block, expression, known_fields):
    try:
        return block.eval(expression)
    except pd.errors.UndefinedVariableError as error:
        raise KeyError(f"{error} in where={expression!r}; fields: {list(known_fields)}") from None


def _equals_mask(block, conditions):
    mask = np.ones(len(block), dtype=bool)
    for field, value in conditions.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            mask &= block[field].isin(list(value)).to_numpy()
        else:
            mask &= (block[field] == value).to_numpy()
    return mask


def _as_mask(mask, length):
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (length,):
        raise ValueError(f"a row filter must give one boolean per row (got {mask.dtype} {mask.shape} "
                         f"for {length} rows)")
    return mask


def iter_blocks(path, name, columns=None, where=None, block_rows=None):
    """Yield DataFrames of consecutive row blocks of table `name`, with `columns` (default: all fields) and
    only the rows `where` keeps; each block's index is the row numbers in the table."""
    columns, blocks = _column_blocks(path, name, columns, where, block_rows)
    for index, data in blocks:
        yield pd.DataFrame(data, index=index, columns=columns)


def _column_blocks(path, name, columns, where, block_rows):
    """(columns, generator of (row numbers, {column: array}) per block)."""
    known, _ = hdf5_read.table_fields(path, name)
    columns = list(known) if columns is None else list(columns)
    unknown = [column for column in columns if column not in known]
    if unknown:
        raise KeyError(f"unknown field(s) {unknown} in /{name}; fields: {known}")
    row_filter = RowFilter.from_where(where, known) if where is not None else None
    filter_fields = row_filter.fields if row_filter else []
    read_fields = [field for field in known if field in columns or field in filter_fields]

    def blocks():
        for start, rows in hdf5_read.iter_table_blocks(path, name, read_fields, block_rows):
            index = np.arange(start, start + len(rows))
            if row_filter is None:
                yield index, {column: _decoded(rows[column]) for column in columns}
                continue
            tested = pd.DataFrame({field: _decoded(rows[field]) for field in filter_fields}, index=index,
                                  columns=filter_fields)
            keep = _as_mask(row_filter.mask(tested), len(rows))
            # fields the filter did not need: decode only the kept rows
            yield index[keep], {column: tested[column].to_numpy()[keep] if column in filter_fields
                                else _decoded(rows[column][keep]) for column in columns}

    return columns, blocks()


def _decoded(values):
    return hdf5_read.decode_strings(values) if values.dtype.kind == "S" else values


def read(path, name, columns=None, where=None, block_rows=None):
    """The rows of table `name` that `where` keeps, with `columns`, as one DataFrame (see iter_blocks). The
    index is the row number in the table (a RangeIndex when every row is kept)."""
    columns, blocks = _column_blocks(path, name, columns, where, block_rows)
    indexes, parts = [], {column: [] for column in columns}
    for index, data in blocks:
        indexes.append(index)
        for column in columns:
            parts[column].append(data[column])
    if not indexes:  # an empty table
        dtype = hdf5_read.table_dtype(path, name)
        return pd.DataFrame({column: np.array([], dtype=object if dtype[column].kind == "S" else dtype[column])
                             for column in columns}, columns=columns)
    index = np.concatenate(indexes)
    data = {}
    for column in columns:  # joined column by column, each column's blocks freed once joined
        pieces = parts.pop(column)
        data[column] = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
        del pieces
    frame = pd.DataFrame(data, columns=columns)
    # The row numbers in the table: a RangeIndex when every row was kept.
    frame.index = pd.RangeIndex(len(index)) if not len(index) or index[-1] == len(index) - 1 else index
    return frame

#!/usr/bin/python3
"""Compares two fleetsim result files (HDF5), for a change meant to leave results alone; h5diff cannot compare
compound tables field by field. What it compares (sim/telemetry/SCHEMA.md):

  jobs       the /jobs table, column by column
  campuses   every /campuses/<name> group: its attributes and its tables (timeseries)
  summary    the /summary attributes
  limits     the /limits table

Tables must have the same columns and length; values are equal when equal exactly (NaN equals NaN, bytes
compare as bytes), or, with --rtol R > 0, floats within R of the larger magnitude. /meta is not compared (the
creation time and commit differ between any two runs). Tables are read in blocks of rows, so two 10 GW
results (2.6 GB of jobs each) compare in bounded memory.

For each difference: what differs, the number of differing rows, the first few (row, a, b), and for floats
the largest absolute and relative differences. Prints "identical" when nothing differs.

usage: tests/bench/compare_results.py A.h5 B.h5 [--datasets jobs,campuses,summary,limits] [--rtol R]
exit: 0 identical, 1 different, 2 bad usage or unreadable file
"""
import argparse
import signal
import sys
from dataclasses import dataclass, field

import h5py
import numpy as np

DATASETS = ["jobs", "campuses", "summary", "limits"]
BLOCK_ROWS = 1 << 18  # a multiple of the /jobs (4,096) and timeseries (8,192) chunk sizes
SHOWN_ROWS = 5


@dataclass
class ColumnDifference:
    """Differing rows of one column: how many, the first SHOWN_ROWS, the largest float differences."""
    rows: int = 0
    first: list = field(default_factory=list)
    max_abs: float = 0.0
    max_rel: float = 0.0
    nan_in_one: int = 0  # rows where one value is NaN and the other not (not in max_abs / max_rel)


def shown(value) -> str:
    if isinstance(value, bytes):
        return repr(value.decode(errors="replace"))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return repr(value.item() if isinstance(value, np.generic) else value)


def differing_rows(a: np.ndarray, b: np.ndarray, rtol: float) -> np.ndarray:
    """Boolean mask of the rows where a and b differ."""
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        a, b = a.astype(np.float64), b.astype(np.float64)
        with np.errstate(invalid="ignore"):
            close = (a == b) | (np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)))
        return ~(close | (np.isnan(a) & np.isnan(b)))
    return a != b


def add_block(difference: ColumnDifference, a: np.ndarray, b: np.ndarray, offset: int, rtol: float) -> None:
    mask = differing_rows(a, b, rtol)
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return
    difference.rows += int(rows.size)
    for row in rows[:SHOWN_ROWS - len(difference.first)]:
        difference.first.append((offset + int(row), a[row], b[row]))
    if a.dtype.kind in "fiu" and b.dtype.kind in "fiu":
        a, b = a[mask].astype(np.float64), b[mask].astype(np.float64)
        difference.nan_in_one += int(np.count_nonzero(np.isnan(a) != np.isnan(b)))
        finite = np.isfinite(a) & np.isfinite(b)
        if finite.any():
            absolute = np.abs(a[finite] - b[finite])
            scale = np.maximum(np.abs(a[finite]), np.abs(b[finite]))
            difference.max_abs = max(difference.max_abs, float(absolute.max()))
            with np.errstate(invalid="ignore", divide="ignore"):
                difference.max_rel = max(difference.max_rel, float(np.nanmax(absolute / scale)))


def report_column(where: str, difference: ColumnDifference, compared: int, numbers: bool) -> list:
    line = f"{where}: {difference.rows:,} of {compared:,} rows differ"
    if numbers and difference.rows > difference.nan_in_one:
        line += f"; max abs diff {difference.max_abs:.6g}, max rel diff {difference.max_rel:.6g}"
    if difference.nan_in_one:
        line += f"; {difference.nan_in_one:,} rows NaN in only one file"
    lines = [line]
    lines += [f"    row {row}: a={shown(a)} b={shown(b)}" for row, a, b in difference.first]
    return lines


def compare_table(name: str, a: h5py.Dataset, b: h5py.Dataset, rtol: float) -> list:
    """Differences between two compound tables, column by column, as lines to print."""
    lines = []
    columns_a, columns_b = list(a.dtype.names or ()), list(b.dtype.names or ())
    if not columns_a or not columns_b:
        return [f"{name}: not a compound table in both files ({a.dtype} / {b.dtype})"]
    if columns_a != columns_b:
        lines.append(f"{name}: columns differ: only in A {[c for c in columns_a if c not in columns_b]}, "
                     f"only in B {[c for c in columns_b if c not in columns_a]}"
                     + ("" if set(columns_a) != set(columns_b) else " (same columns, another order)"))
    if a.shape != b.shape:
        lines.append(f"{name}: {a.shape[0]:,} rows in A, {b.shape[0]:,} in B (comparing the first "
                     f"{min(a.shape[0], b.shape[0]):,})")
    common = [c for c in columns_a if c in columns_b]
    comparable = []
    for column in common:
        kind_a, kind_b = a.dtype[column].kind, b.dtype[column].kind
        if (kind_a == "S") != (kind_b == "S"):
            lines.append(f"{name}/{column}: types differ ({a.dtype[column]} / {b.dtype[column]}); values not compared")
        else:
            comparable.append(column)
    rows = min(a.shape[0], b.shape[0])
    differences = {column: ColumnDifference() for column in comparable}
    for start in range(0, rows, BLOCK_ROWS):
        block_a, block_b = a[start:start + BLOCK_ROWS], b[start:start + BLOCK_ROWS]
        block_b = block_b[:len(block_a)]
        block_a = block_a[:len(block_b)]
        for column in comparable:
            add_block(differences[column], block_a[column], block_b[column], start, rtol)
    for column, difference in differences.items():
        if difference.rows:
            numbers = a.dtype[column].kind in "fiu" and b.dtype[column].kind in "fiu"
            lines += report_column(f"{name}/{column}", difference, rows, numbers)
    return lines


def attribute_difference(value_a, value_b, rtol: float):
    """None when two attribute values are equal (numbers as in tables), else a short note on the difference."""
    array_a, array_b = np.asarray(value_a), np.asarray(value_b)
    if array_a.dtype.kind in "fiu" and array_b.dtype.kind in "fiu":
        if array_a.shape != array_b.shape:
            return "shapes differ"
        if not differing_rows(array_a.ravel(), array_b.ravel(), rtol).any():
            return None
        if array_a.size == 1 and np.isfinite([float(value_a), float(value_b)]).all():
            absolute = abs(float(value_a) - float(value_b))
            return f"abs diff {absolute:.6g}, rel diff {absolute / max(abs(float(value_a)), abs(float(value_b))):.6g}"
        return ""
    if type(value_a) is not type(value_b):
        return "types differ"
    equal = np.array_equal(array_a, array_b) if isinstance(value_a, np.ndarray) else value_a == value_b
    return None if equal else ""


def compare_attributes(name: str, a: h5py.AttributeManager, b: h5py.AttributeManager, rtol: float) -> list:
    lines = []
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    if only_a or only_b:
        lines.append(f"{name}: attributes only in A {only_a}, only in B {only_b}")
    for key in sorted(set(a) & set(b)):
        note = attribute_difference(a[key], b[key], rtol)
        if note is not None:
            lines.append(f"{name}@{key}: a={shown(a[key])} b={shown(b[key])}" + (f" ({note})" if note else ""))
    return lines


def compare_campuses(a: h5py.Group, b: h5py.Group, rtol: float) -> list:
    lines = []
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    if only_a or only_b:
        lines.append(f"/campuses: campuses only in A {only_a}, only in B {only_b}")
    for campus in sorted(set(a) & set(b)):
        name = f"/campuses/{campus}"
        lines += compare_attributes(name, a[campus].attrs, b[campus].attrs, rtol)
        tables_a, tables_b = set(a[campus]), set(b[campus])
        if tables_a != tables_b:
            lines.append(f"{name}: only in A {sorted(tables_a - tables_b)}, only in B {sorted(tables_b - tables_a)}")
        for table in sorted(tables_a & tables_b):
            lines += compare_table(f"{name}/{table}", a[campus][table], b[campus][table], rtol)
    return lines


def compare(file_a: h5py.File, file_b: h5py.File, datasets: list, rtol: float) -> list:
    lines = []
    for dataset in datasets:
        path = f"/{dataset}"
        if dataset not in file_a or dataset not in file_b:
            missing = [label for label, file in (("A", file_a), ("B", file_b)) if dataset not in file]
            lines.append(f"{path}: missing in {' and '.join(missing)}")
        elif dataset == "campuses":
            lines += compare_campuses(file_a[path], file_b[path], rtol)
        elif dataset == "summary":
            lines += compare_attributes(path, file_a[path].attrs, file_b[path].attrs, rtol)
        else:
            lines += compare_table(path, file_a[path], file_b[path], rtol)
    return lines


def main() -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quietly stop when piped into head
    parser = argparse.ArgumentParser(description="Compare two fleetsim result files (exit 0 identical, 1 not).")
    parser.add_argument("a", metavar="A.h5")
    parser.add_argument("b", metavar="B.h5")
    parser.add_argument("--datasets", default=",".join(DATASETS),
                        help=f"comma-separated, from {','.join(DATASETS)} (default: all)")
    parser.add_argument("--rtol", type=float, default=0.0,
                        help="relative tolerance for floats, of the larger magnitude (default 0: exact)")
    args = parser.parse_args()
    datasets = [d for d in args.datasets.split(",") if d]
    unknown = [d for d in datasets if d not in DATASETS]
    if unknown or not datasets:
        parser.error(f"--datasets: unknown {unknown}; known: {','.join(DATASETS)}")
    if args.rtol < 0:
        parser.error(f"--rtol: must be >= 0 (got {args.rtol})")
    try:
        with h5py.File(args.a, "r") as file_a, h5py.File(args.b, "r") as file_b:
            lines = compare(file_a, file_b, datasets, args.rtol)
    except OSError as error:
        print(f"compare_results.py: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines) if lines else "identical")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Self-check of data/signals.toml and every series it lists.
Run: /usr/bin/python3 data/check_data.py   (exit code 0 = all good)"""
import math
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = {  # kind: (value column, min, max)
    "ambient_c": ("temperature_c", -40.0, 50.0),
    "carbon_g_per_kwh": ("carbon_g_per_kwh", 0.0, 1500.0),
    "price_eur_per_mwh": ("price_eur_per_mwh", -500.0, 4000.0),
}
REQUIRED = ("id", "kind", "file", "year", "resolution", "source", "licence")


def check(entry):
    errs = [f"missing key {k}" for k in REQUIRED if k not in entry]
    if errs:
        return errs
    kind = entry["kind"]
    if kind not in SPEC:
        return [f"unknown kind {kind}"]
    if entry["resolution"] not in ("hourly", "annual"):
        errs.append(f"bad resolution {entry['resolution']}")
    if not (entry["year"] == "typical" or isinstance(entry["year"], int)):
        errs.append(f"bad year {entry['year']!r}")
    prefix = {"ambient_c": "weather/", "carbon_g_per_kwh": "carbon/", "price_eur_per_mwh": "price/"}[kind]
    if not entry["id"].startswith(prefix):
        errs.append(f"id should start with {prefix}")
    col, lo, hi = SPEC[kind]
    path = HERE / entry["file"]
    if not path.is_file():
        return errs + [f"file not found: {path}"]
    lines = path.read_text().splitlines()
    if lines[0] != f"hour,{col}":
        errs.append(f"header {lines[0]!r} != 'hour,{col}'")
    rows = lines[1:]
    if len(rows) != 8760:
        errs.append(f"{len(rows)} rows, expected 8760")
    vals = []
    for i, line in enumerate(rows):
        parts = line.split(",")
        if len(parts) != 2 or parts[0] != str(i):
            errs.append(f"row {i}: bad line {line!r}")
            break
        v = float(parts[1])
        if math.isnan(v) or math.isinf(v):
            errs.append(f"row {i}: NaN/inf")
            break
        if not lo <= v <= hi:
            errs.append(f"row {i}: {v} outside [{lo}, {hi}]")
            break
        vals.append(v)
    if entry["resolution"] == "annual" and vals and len(set(vals)) != 1:
        errs.append("resolution=annual but values are not constant")
    return errs


def main():
    index = tomllib.loads((HERE / "signals.toml").read_text())
    series = index.get("series", [])
    ids = [s.get("id") for s in series]
    bad = 0
    if len(ids) != len(set(ids)):
        print("FAIL duplicate ids")
        bad += 1
    listed = {s.get("file") for s in series}
    for p in sorted(HERE.glob("**/*.csv")):
        rel = p.relative_to(HERE).as_posix()
        if rel not in listed:
            print(f"WARN {rel} is not listed in signals.toml")
    for s in series:
        errs = check(s)
        if errs:
            bad += 1
            print(f"FAIL {s.get('id')}: " + "; ".join(errs))
        else:
            print(f"ok   {s['id']:<18} {s['year']!s:<8} {s['resolution']:<7} {s['file']}")
    print(f"{len(series)} series, {bad} failing")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

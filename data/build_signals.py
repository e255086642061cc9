#!/usr/bin/python3
"""Build the REAL (non-typical) series under data/ from the offline inputs in /work/shared/data,
plus the annual-constant grid series from the figures embedded below. Deterministic.

  /usr/bin/python3 data/build_signals.py [--src /work/shared/data] [--gdcc-cache /tmp/gdcc]

Writes weather/frankfurt.csv, weather/london.csv, grid/carbon/<CC>.csv, grid/price/<CC>.csv.
(Typical-year weather sites are written by weather/make_typical_year.py.)

price/NL, price/BE, price/ES are built from raw green-dcc files that are NOT in /work/shared/data:
<gdcc-cache>/<CC>/<CC>_electricity_prices_2023.csv, i.e. green-dcc
data/electricity_prices/processed/<CC>/2023/<CC>_electricity_prices_2023.csv @c2eedd0, copied verbatim
(byte-identical; the SHA-256 below is checked). If the cache is absent, those three files are left as they
are (warning printed) instead of being rebuilt. See grid/PROVENANCE.md for how the cache was obtained.
"""
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SRC = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv else Path("/work/shared/data")
GDCC_CACHE = (Path(sys.argv[sys.argv.index("--gdcc-cache") + 1]) if "--gdcc-cache" in sys.argv
              else Path("/tmp/gdcc"))
GDCC_COMMIT = "c2eedd050f35ce5b33f67545eadff6e3fc9412e6"
# green-dcc processed day-ahead files (zone, local market time zone, SHA-256 of the verbatim file)
GDCC_PRICE = {
    "NL": ("NL", "Europe/Amsterdam", "c0601d4a50bd172f828cbbfb4724a23b609a6f80b1a6f9fe6b90e03f5478d7e4"),
    "BE": ("BE", "Europe/Brussels", "8b3346e60a2ee0209fa3ada8c14c7b8f813f68e8a09db677339c1e20b126d46b"),
    "ES": ("ES", "Europe/Madrid", "559e057d529aa6c864bda00ac9d5e7cdd824bbd427452401c4a1d50e13710029"),
}
UTC_2023 = pd.date_range("2023-01-01 00:00", periods=8760, freq="h", tz="UTC")

# OWID grapher "carbon-intensity-electricity" (Ember-based), 2023, gCO2e/kWh of generation.
# Read from SRC/carbon_intensity/owid_carbon_intensity_elec_europe_2015_2024.csv at build time.
OWID_ISO3 = {"FR": "FRA", "NL": "NLD", "BE": "BEL", "ES": "ESP", "IT": "ITA", "SE": "SWE",
             "NO": "NOR", "FI": "FIN", "IE": "IRL", "PL": "POL"}

# Ember "European Wholesale Electricity Price Data" monthly day-ahead prices 2023 (EUR/MWh), Jan..Dec,
# transcribed from european_wholesale_electricity_price_data_monthly.csv as committed in
# github.com/londero-lorenzo/electricity-cost-chain-analysis @00a74d3a451da942d5c74527046c792bdc254d5f
# (data/raw/ember_european_wholesale_prices/). Ember data: CC BY 4.0.
EMBER_MONTHLY_2023 = {
    "FR": [132.33, 148.78, 111.82, 106.47, 77.48, 91.28, 77.62, 90.96, 88.71, 84.2, 89.02, 68.33],
    "DE": [117.22, 127.81, 101.23, 102.14, 82.03, 93.9, 78.12, 94.35, 100.81, 87.1, 90.9, 69.08],
    "NL": [126.13, 134.91, 104.44, 98.71, 77.88, 92.04, 71.69, 91.42, 98.7, 90.19, 94.46, 73.04],
    "BE": [130.87, 143.51, 109.48, 105.62, 80.11, 93.17, 75.29, 92.05, 94.35, 86.34, 91.53, 69.26],
    "ES": [69.73, 133.49, 89.58, 73.82, 74.17, 93.05, 90.46, 96.09, 103.36, 89.84, 63.57, 72.12],
    "IT": [174.44, 161.03, 136.31, 134.9, 105.65, 105.39, 112.08, 111.93, 115.69, 134.2, 121.74, 115.45],
    "SE": [80.98, 71.69, 69.32, 60.96, 37.38, 52.3, 32.72, 30.77, 22.1, 26.11, 68.36, 69.32],
    "NO": [97.32, 80.78, 82.51, 79.45, 51.42, 52.19, 36.47, 30.16, 17.35, 30.12, 76.64, 74.71],
    "FI": [78.87, 80.04, 74.13, 60.54, 26.52, 43.43, 32.93, 66.42, 32.75, 37.7, 69.77, 76.19],
    "IE": [163.69, 156.59, 147.19, 126.3, 105.66, 116.9, 141.99, 108.95, 111.9, 125.04, 122.74, 91.22],
    "PL": [132.59, 136.85, 120.43, 122.03, 105.67, 118.3, 115.73, 107.06, 109.83, 95.38, 98.43, 80.08],
    "GB": [149.67, 153.37, 129.99, 116.08, 92.6, 98.14, 81.69, 95.75, 96.07, 94.51, 108.76, 80.51],
}
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def ember_annual(cc):
    """Hour-weighted 2023 mean of Ember's monthly averages."""
    return float(np.average(EMBER_MONTHLY_2023[cc], weights=DAYS))


def write(path, col, values, fmt):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        f.write(f"hour,{col}\n")
        for h, v in enumerate(values):
            f.write(f"{h},{v:{fmt}}\n")


def openmeteo(name, utc_offset_h):
    """Open-Meteo series: 8760 consecutive hours labelled with a CONSTANT utc_offset (the JSON's
    utc_offset_seconds: 3600 for Frankfurt, 0 for London), starting 2023-01-01T00:00 local."""
    df = pd.read_csv(SRC / "weather" / f"openmeteo_hourly_{name}_2023.csv")
    t = pd.to_datetime(df["time_local"]) - pd.Timedelta(hours=utc_offset_h)
    s = pd.Series(df["temperature_2m_degC"].values, index=t.dt.tz_localize("UTC"))
    s = s.reindex(UTC_2023)
    n_fill = int(s.isna().sum())
    s = s.interpolate(limit_direction="both")   # only the trailing hour(s) are missing -> edge fill
    return s.values, n_fill


def em_hourly(cc):
    df = pd.read_csv(SRC / "carbon_intensity" / f"em_{cc}_2023_hourly.csv")
    col = [c for c in df.columns if "LCA" in c][0]
    t = pd.to_datetime(df["Datetime (UTC)"]).dt.tz_localize("UTC")
    s = pd.Series(df[col].values, index=t).reindex(UTC_2023)
    n_fill = int(s.isna().sum())
    return s.interpolate(limit_direction="both").values, n_fill


def dayahead(zone, path=None, tz="Europe/Paris"):
    """green-dcc processed day-ahead prices: naive local market time (all zones used here are CET/CEST:
    Europe/Paris == Berlin == Amsterdam == Brussels == Madrid), 24 rows per day even on DST days.
    Localise (nonexistent -> shift forward, ambiguous -> first), convert to UTC, keep the first value per
    UTC hour, reindex to 2023 UTC hours, fill gaps by linear interpolation in time (edges: nearest value)."""
    df = pd.read_csv(path or SRC / "grid_prices" / f"dayahead_price_{zone}_2023.csv")
    t = pd.to_datetime(df["Datetime"]).dt.tz_localize(
        tz, nonexistent="shift_forward", ambiguous=np.zeros(len(df), dtype=bool))
    s = pd.Series(df["Price (EUR/MWh)"].values, index=t.dt.tz_convert("UTC"))
    s = s[~s.index.duplicated(keep="first")].reindex(UTC_2023)
    n_fill = int(s.isna().sum())
    return s.interpolate(method="time", limit_direction="both").values, n_fill, len(df)


def main():
    log = []
    for name, off, site in (("Frankfurt", 1, "frankfurt"), ("London", 0, "london")):
        v, n = openmeteo(name, off)
        write(HERE / "weather" / f"{site}.csv", "temperature_c", v, ".1f")
        log.append(f"weather/{site}: filled {n} h; mean {v.mean():.2f} min {v.min():.1f} max {v.max():.1f}")

    owid = pd.read_csv(SRC / "carbon_intensity" / "owid_carbon_intensity_elec_europe_2015_2024.csv")
    for cc in ("DE", "GB"):
        v, n = em_hourly(cc)
        write(HERE / "grid" / "carbon" / f"{cc}.csv", "carbon_g_per_kwh", v, ".2f")
        log.append(f"carbon/{cc}: hourly EM LCA 2023, filled {n} h, mean {v.mean():.2f}")
    for cc, iso3 in OWID_ISO3.items():
        val = float(owid[(owid.iso_code == iso3) & (owid.year == 2023)].iloc[0, 3])
        write(HERE / "grid" / "carbon" / f"{cc}.csv", "carbon_g_per_kwh", [val] * 8760, ".2f")
        log.append(f"carbon/{cc}: annual OWID 2023 = {val:.2f}")

    for cc, zone in (("FR", "FR"), ("DE", "DE-LU")):
        v, n, rows = dayahead(zone)
        write(HERE / "grid" / "price" / f"{cc}.csv", "price_eur_per_mwh", v, ".2f")
        log.append(f"price/{cc}: {rows} source rows, {n} UTC hours filled, mean {v.mean():.2f} "
                   f"(Ember monthly-weighted check {ember_annual(cc):.2f})")
    for cc, (zone, tz, sha) in GDCC_PRICE.items():
        path = GDCC_CACHE / cc / f"{zone}_electricity_prices_2023.csv"
        if not path.is_file():
            log.append(f"price/{cc}: WARNING {path} missing -> existing file kept (not rebuilt)")
            continue
        got = hashlib.sha256(path.read_bytes()).hexdigest()
        if got != sha:
            sys.exit(f"{path}: SHA-256 {got} != expected {sha} (not the verbatim green-dcc @{GDCC_COMMIT[:7]} file)")
        v, n, rows = dayahead(zone, path, tz)
        write(HERE / "grid" / "price" / f"{cc}.csv", "price_eur_per_mwh", v, ".2f")
        log.append(f"price/{cc}: green-dcc {zone} {rows} source rows, {n} UTC hours filled, mean {v.mean():.2f} "
                   f"(Ember monthly-weighted {ember_annual(cc):.2f})")
    for cc in ("IT", "SE", "NO", "FI", "IE", "PL", "GB"):
        val = round(ember_annual(cc), 2)
        write(HERE / "grid" / "price" / f"{cc}.csv", "price_eur_per_mwh", [val] * 8760, ".2f")
        log.append(f"price/{cc}: annual Ember 2023 (hour-weighted monthly) = {val:.2f}")
    print("\n".join(log))


if __name__ == "__main__":
    main()

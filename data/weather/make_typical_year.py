#!/usr/bin/python3
"""Build a deterministic TYPICAL-YEAR hourly temperature series (8760 h, UTC, non-leap year)
from monthly climate normals (mean daily maximum and minimum per month).

Method (no randomness):
 1. Monthly Tmax/Tmin normals are placed at month midpoints and interpolated to every day of the
    year with a PERIODIC cubic spline (Dec -> Jan wraps). Because a spline through the monthly
    values does not reproduce the monthly means exactly, the node values are corrected iteratively
    (20 fixed-point iterations) so that the mean of the daily curve over each calendar month equals
    the published normal (mean-preserving interpolation).
 2. Diurnal cycle in LOCAL SOLAR TIME (UTC + longitude/15 h), two half-cosine segments:
      05:00 -> 15:00  rise   T = Tmin_d + (Tmax_d - Tmin_d) * (1 - cos(pi*(t-5)/10)) / 2
      15:00 -> 05:00  fall   T = Tmax_d - (Tmax_d - Tmin_{d+1}) * (1 - cos(pi*(t-15)/14)) / 2
    i.e. minimum at 05:00 and maximum at 15:00 local solar time; the night segment ends at the next
    day's minimum so the curve is continuous.
 3. Values are sampled at whole UTC hours 0..8759 (hour 0 = 1 January 00:00 UTC) and written with
    one decimal as data/weather/<site>.csv (header: hour,temperature_c).

Run:  /usr/bin/python3 data/weather/make_typical_year.py            (writes the typical-year sites)
      /usr/bin/python3 data/weather/make_typical_year.py --validate (Frankfurt: typical vs real 2023)

CAVEAT: a typical year has no synoptic (day-to-day) variability, so the hot tail (hours above 25/30 C)
is strongly underestimated; see PROVENANCE.md for the Frankfurt comparison.
"""
import math
import sys
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline

HERE = Path(__file__).resolve().parent
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# site: (longitude_deg_east, [Tmax Jan..Dec], [Tmin Jan..Dec], source)
# Values transcribed from the cited page (stored copy reached via the project's offline search tool).
NORMALS = {
    # climatestotravel.com "Frankfurt - Average temperatures (1991-2020)" (DWD station Frankfurt/Main airport);
    # copy read at https://xxlinside.com/article/frankfurt-climate-weather-by-month-temperature-rain/3998
    # (verbatim reproduction of https://www.climatestotravel.com/climate/germany/frankfurt). Used for validation.
    "frankfurt": (8.65,
                  [4.9, 6.6, 11.3, 16.3, 20.4, 23.9, 26.1, 25.7, 20.8, 14.8, 8.9, 5.5],
                  [-0.4, -0.3, 2.4, 5.5, 9.5, 13.0, 15.0, 14.6, 10.8, 7.0, 3.4, 0.6],
                  "climatestotravel.com Frankfurt, 'Average temperatures (1991-2020)', via "
                  "https://xxlinside.com/article/frankfurt-climate-weather-by-month-temperature-rain/3998"),
    # cometoparis.com "Climate and Weather in Paris" (whole degrees, period not stated)
    "paris": (2.35,
              [6, 7, 11, 14, 18, 21, 24, 24, 21, 15, 9, 7],
              [1, 1, 3, 6, 9, 12, 14, 14, 11, 8, 4, 2],
              "https://www.cometoparis.com/paris-guide/france-travel-information/climate-and-weather"),
    # climatestotravel.com Marseille (Marignane airport; whole degrees, period not stated)
    "marseille": (5.22,
                  [11, 12, 16, 19, 23, 27, 30, 30, 26, 21, 15, 12],
                  [3, 4, 6, 9, 13, 17, 19, 19, 16, 12, 7, 4],
                  "https://www.climatestotravel.com/climate/france/marseille"),
    # climatestotravel.com Lyon (whole degrees, period not stated)
    "lyon": (4.85,
             [6, 8, 12, 15, 20, 24, 27, 27, 22, 17, 10, 7],
             [0, 1, 3, 6, 10, 13, 16, 15, 12, 8, 4, 2],
             "https://www.climatestotravel.com/climate/france/lyon"),
    # climatestotravel.com Amsterdam (whole degrees, period not stated)
    "amsterdam": (4.90,
                  [6, 6, 10, 14, 17, 20, 22, 22, 19, 14, 10, 6],
                  [1, 0, 3, 5, 8, 11, 12, 11, 11, 8, 4, 2],
                  "https://www.climatestotravel.com/climate/netherlands/amsterdam"),
    # climatestotravel.com Dublin, US version, given in whole deg F -> converted to deg C here
    "dublin": (-6.26,
               [round((f - 32) / 1.8, 1) for f in [47, 47, 50, 54, 59, 64, 67, 67, 63, 56, 51, 47]],
               [round((f - 32) / 1.8, 1) for f in [36, 36, 38, 40, 44, 49, 53, 53, 50, 45, 40, 37]],
               "http://www.climatestotravel.com/us/climate/ireland/dublin (deg F, converted)"),
    # climatestotravel.com Stockholm (whole degrees, period not stated)
    "stockholm": (18.07,
                  [-1, -1, 3, 9, 16, 21, 22, 20, 15, 10, 5, 1],
                  [-5, -5, -3, 1, 6, 11, 13, 13, 9, 5, 1, -3],
                  "http://www.climatestotravel.com/climate/sweden/stockholm"),
    # climatestotravel.com Oslo (whole degrees, period not stated)
    "oslo": (10.75,
             [-2, -1, 4, 9, 16, 20, 22, 20, 15, 9, 3, -1],
             [-7, -7, -3, 1, 7, 11, 12, 11, 8, 4, -2, -6],
             "http://www.climatestotravel.com/climate/norway/oslo"),
    # climatestotravel.com Madrid (whole degrees, period not stated)
    "madrid": (-3.70,
               [10, 12, 16, 18, 22, 28, 32, 32, 27, 20, 14, 11],
               [1, 3, 4, 6, 10, 14, 18, 17, 14, 9, 5, 3],
               "https://www.climatestotravel.com/climate/spain/madrid"),
    # climatestotravel.com Milan (whole degrees, period not stated)
    "milan": (9.19,
              [6, 9, 14, 17, 22, 26, 29, 29, 24, 18, 11, 6],
              [-1, 0, 4, 7, 12, 15, 18, 18, 14, 9, 4, 0],
              "http://www.climatestotravel.com/climate/italy/milan"),
}
TYPICAL_SITES = ["paris", "marseille", "lyon", "amsterdam", "dublin", "stockholm", "oslo", "madrid", "milan"]


def daily_curve(monthly):
    """Mean-preserving periodic cubic-spline interpolation: 12 monthly means -> 365 daily values."""
    monthly = np.asarray(monthly, dtype=float)
    starts = np.concatenate([[0], np.cumsum(DAYS_IN_MONTH)[:-1]])
    mids = starts + np.asarray(DAYS_IN_MONTH) / 2.0          # day-of-year of month midpoints
    x = np.concatenate([mids, [mids[0] + 365.0]])
    days = np.arange(365) + 0.5                               # daily means evaluated at noon
    nodes = monthly.copy()
    for _ in range(20):
        cs = CubicSpline(x, np.concatenate([nodes, [nodes[0]]]), bc_type="periodic")
        d = cs(days)
        got = np.array([d[s:s + n].mean() for s, n in zip(starts, DAYS_IN_MONTH)])
        nodes += monthly - got
    return d


def hourly_series(lon, tmax_m, tmin_m):
    tmax = daily_curve(tmax_m)
    tmin = daily_curve(tmin_m)
    out = np.empty(8760)
    offset_h = lon / 15.0
    for h in range(8760):
        ts = h + offset_h                       # local solar time in hours since 1 Jan 00:00
        day = math.floor(ts / 24.0)
        t = ts - 24.0 * day                     # solar hour of day in [0, 24)
        if t < 5.0:                             # still in previous night's fall segment
            day -= 1
            t += 24.0
        d0, d1 = day % 365, (day + 1) % 365     # wrap around the year (periodic typical year)
        if t <= 15.0:                           # 05:00..15:00 rise
            out[h] = tmin[d0] + (tmax[d0] - tmin[d0]) * (1 - math.cos(math.pi * (t - 5.0) / 10.0)) / 2
        else:                                   # 15:00..29:00 (=05:00 next day) fall
            out[h] = tmax[d0] - (tmax[d0] - tmin[d1]) * (1 - math.cos(math.pi * (t - 15.0) / 14.0)) / 2
    return out


def write_csv(path, values):
    with open(path, "w") as f:
        f.write("hour,temperature_c\n")
        for h, v in enumerate(values):
            f.write(f"{h},{v:.1f}\n")


def monthly_means(values):
    ends = np.cumsum(DAYS_IN_MONTH) * 24
    starts = np.concatenate([[0], ends[:-1]])
    return [float(np.mean(values[s:e])) for s, e in zip(starts, ends)]


def validate():
    lon, tx, tn, _ = NORMALS["frankfurt"]
    typ = np.round(hourly_series(lon, tx, tn), 1)
    real = np.loadtxt(HERE / "frankfurt.csv", delimiter=",", skiprows=1)[:, 1]
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    print("| month | typical (normals) | real 2023 (Open-Meteo) | diff |")
    print("|---|---|---|---|")
    for m, a, b in zip(months, monthly_means(typ), monthly_means(real)):
        print(f"| {m} | {a:.1f} | {b:.1f} | {a - b:+.1f} |")
    print(f"| year | {typ.mean():.2f} | {real.mean():.2f} | {typ.mean() - real.mean():+.2f} |")
    print()
    print("| hours above | typical | real 2023 |")
    print("|---|---|---|")
    for thr in (20, 25, 30):
        print(f"| {thr} C | {int((typ > thr).sum())} | {int((real > thr).sum())} |")
    print(f"| min / max | {typ.min():.1f} / {typ.max():.1f} | {real.min():.1f} / {real.max():.1f} |")


def main():
    if "--validate" in sys.argv:
        validate()
        return
    for site in TYPICAL_SITES:
        lon, tx, tn, _ = NORMALS[site]
        vals = hourly_series(lon, tx, tn)
        write_csv(HERE / f"{site}.csv", vals)
        print(f"{site}: mean {vals.mean():.2f}  min {vals.min():.1f}  max {vals.max():.1f}")


if __name__ == "__main__":
    main()

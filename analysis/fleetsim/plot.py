"""Figures of a fleetsim result or sweep (functions returning matplotlib Figures), and a CLI writing them as PNG.

    /usr/bin/python3 -m fleetsim.plot OUT.h5 -o DIR          power, fleet_power, gpus_busy, waits, energy
    /usr/bin/python3 -m fleetsim.plot SWEEP_DIR -o DIR       heatmap_<metric> per --metric, pareto
"""
import argparse
from pathlib import Path
import re
import sys

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from .result import load
from .sweep import is_sweep, load_sweep, parameters_of
from .sweep_plot import heatmap_axes, sweep_heatmap, sweep_pareto

SECONDS_PER_DAY = 86400.0
SECONDS_PER_HOUR = 3600.0
J_PER_MWH = 3.6e9

__all__ = ["campus_power", "fleet_power", "gpus_busy", "wait_cdf", "energy_carbon", "sweep_heatmap",
           "sweep_pareto", "FIGURES", "main"]


def _campus_panels(result, ylabel):
    """A Figure with one panel per campus (shared time axis in days), and the panels."""
    count = max(len(result.campuses), 1)
    fig = Figure(figsize=(9, 2.6 * count + 0.6), layout="constrained")
    axes = fig.subplots(count, 1, sharex=True, squeeze=False)[:, 0]
    for ax, campus in zip(axes, result.campuses):
        ax.set_title(campus, loc="left")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("time (days)")
    return fig, axes


def _legend_right_of(ax):
    if ax.get_lines() or ax.collections:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")


def _campus_colors(count):
    """One distinct colour per campus: tab10 up to 10 campuses, tab20 up to 20."""
    palette = colormaps["tab10" if count <= 10 else "tab20"]
    return [palette(index % palette.N) for index in range(count)]


def _mw(value):
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _interval_step(ax, result, values, **style):
    """Plot one value per telemetry interval as steps, the last held until the horizon."""
    if values.empty:
        return
    days = np.r_[values.index, result.meta["horizon_s"]] / SECONDS_PER_DAY
    ax.step(days, np.r_[values.to_numpy(), values.to_numpy()[-1:]], where="post", **style)


def campus_power(result):
    """IT and facility power per campus over time (MW), with the grid connection dashed."""
    fig, axes = _campus_panels(result, "power (MW)")
    for ax, campus in zip(axes, result.campuses):
        series = result.timeseries(campus)
        _interval_step(ax, result, series["it_power_w"] / 1e6, label="IT")
        _interval_step(ax, result, series["facility_power_w"] / 1e6, label="facility")
        grid_w = result.campus_attributes(campus)["grid_connection_w"]
        ax.axhline(grid_w / 1e6, color="k", linestyle="--", linewidth=1, label="grid connection")
        ax.set_ylim(bottom=0)
    _legend_right_of(axes[0])
    return fig


def fleet_power(result):
    """Facility power of the whole fleet over time (MW), stacked by campus, with the fleet's IT power and the
    sum of the campuses' grid connections (dashed)."""
    data = result.to_xarray()
    fig = Figure(figsize=(10, 4.8), layout="constrained")
    ax = fig.subplots()
    campuses = [str(campus) for campus in data["campus"].values]
    connected_mw = float(np.nansum(data["grid_connection_w"].values)) / 1e6 if "grid_connection_w" in data else np.nan
    peak_mw = np.nan
    if data.sizes["time"] and campuses:
        days = np.r_[data["time"].values, result.meta["horizon_s"]] / SECONDS_PER_DAY
        held = [np.r_[values, values[-1:]] for values in np.nan_to_num(data["facility_power_w"].values / 1e6)]
        ax.stackplot(days, *held, labels=campuses, colors=_campus_colors(len(campuses)), step="post", alpha=0.85)
        fleet_it = data["fleet_it_power_w"].values / 1e6
        ax.step(days, np.r_[fleet_it, fleet_it[-1:]], where="post", color="k", linewidth=0.8, label="fleet IT")
        peak_mw = float(np.nanmax(data["fleet_facility_power_w"].values)) / 1e6
    if np.isfinite(connected_mw):
        ax.axhline(connected_mw, color="k", linestyle="--", linewidth=1, label="grid connections, all campuses")
    ax.set_title(f"fleet facility power by campus: peak {_mw(peak_mw)} MW of {_mw(connected_mw)} MW connected",
                 loc="left")
    ax.set_xlabel("time (days)")
    ax.set_ylabel("facility power (MW)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    _legend_right_of(ax)
    return fig


def gpus_busy(result):
    """Mean GPUs allocated to jobs per campus over time, with the installed GPUs dashed."""
    fig, axes = _campus_panels(result, "GPUs busy")
    for ax, campus in zip(axes, result.campuses):
        _interval_step(ax, result, result.timeseries(campus)["gpus_busy"], label="busy")
        installed = result.campus_attributes(campus)["gpus"]
        ax.axhline(installed, color="k", linestyle="--", linewidth=1, label="installed")
        ax.set_ylim(bottom=0)
    _legend_right_of(axes[0])
    return fig


def wait_cdf(result):
    """Cumulative distribution of job waits (start - submit, hours) per campus, started jobs. Reads only the
    three job fields it needs."""
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.subplots()
    jobs = result.read_jobs(["campus", "submit_s", "start_s"])
    started = jobs[jobs["start_s"].notna()]
    groups = list(started.groupby("campus"))
    styles = [{"color": "k", "linewidth": 2}] + [{"color": color, "linewidth": 1.2}
                                                 for color in _campus_colors(len(groups))]
    for (campus, group), style in zip([("all campuses", started)] + groups, styles):
        waits = np.sort((group["start_s"] - group["submit_s"]).to_numpy()) / SECONDS_PER_HOUR
        if len(waits):
            share = np.arange(1, len(waits) + 1) / len(waits)
            ax.step(np.r_[0.0, waits], np.r_[0.0, share], where="post", label=f"{campus} ({len(waits):,})", **style)
    never = len(jobs) - len(started)
    ax.set_title(f"job waits: {len(started):,} started, {never:,} never started", loc="left")
    ax.set_xlabel("wait before start (hours)")
    ax.set_ylabel("share of started jobs")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    if len(started):
        ax.legend(loc="lower right", fontsize="small")
    return fig


def energy_carbon(result):
    """Energy (IT and facility, MWh) and carbon (t CO2-eq) per campus over the run, as bars; each carbon bar
    is labelled with the carbon intensity of the energy the campus drew (g/kWh)."""
    totals = result.campus_totals()
    count = len(totals)
    fig = Figure(figsize=(max(7.0, 0.7 * count + 3), 6.5), layout="constrained")
    ax_energy, ax_carbon = fig.subplots(2, 1, sharex=True)
    x = np.arange(count)
    ax_energy.bar(x - 0.2, totals["it_energy_j"] / J_PER_MWH, 0.4, label="IT")
    ax_energy.bar(x + 0.2, totals["facility_energy_j"] / J_PER_MWH, 0.4, label="facility (IT × PUE)")
    ax_energy.set_ylabel("energy (MWh)")
    ax_energy.set_title("energy per campus over the run", loc="left")
    bars = ax_carbon.bar(x, totals["carbon_kg"] / 1000, 0.6, color="C2")
    ax_carbon.bar_label(bars, labels=[f"{value:.0f} g/kWh" if np.isfinite(value) else ""
                                      for value in totals["carbon_g_per_kwh"]], fontsize="small")
    ax_carbon.set_ylabel("carbon (t CO2-eq)")
    ax_carbon.set_title("carbon per campus (label: grid carbon intensity of the energy drawn)", loc="left")
    ax_carbon.margins(y=0.15)
    ax_carbon.set_xticks(x, list(totals.index), rotation=30 if count > 6 else 0,
                         ha="right" if count > 6 else "center")
    for ax in (ax_energy, ax_carbon):
        ax.grid(axis="y", alpha=0.3)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}" if count and ax.get_ylim()[1] >= 100 else "{x:g}"))
    if count:
        ax_energy.legend(fontsize="small")
    return fig


FIGURES = {"power": campus_power, "fleet_power": fleet_power, "gpus_busy": gpus_busy, "waits": wait_cdf,
           "energy": energy_carbon}
DEFAULT_SWEEP_METRICS = ["jobs_per_day", "carbon_kg"]


def _file_stem(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "sweep"


def _write(fig, path):
    fig.savefig(path, dpi=120)
    print(path)


def _plot_sweep(parser, args):
    try:
        sweep = load_sweep(args.path)
    except (FileNotFoundError, ValueError) as error:
        parser.exit(1, f"error: {error}\n")
    numbers = [column for column in sweep.columns if column not in parameters_of(sweep) + ["replica", "seed"]
               and np.issubdtype(sweep[column].dtype, np.number)]

    def check_metric(name, option):
        if name not in numbers:
            parser.exit(2, f"error: {option} {name}: not a numeric metric of this sweep "
                           f"(known: {', '.join(numbers)})\n")

    for name in args.metric or []:
        check_metric(name, "--metric")
    for name, option in ((args.pareto_x, "--pareto-x"), (args.pareto_y, "--pareto-y")):
        check_metric(name, option)
    for name in (args.x, args.y):
        if name is not None and name not in parameters_of(sweep):
            parser.exit(2, f"error: {name}: not a parameter of this sweep "
                           f"(parameters: {', '.join(parameters_of(sweep))})\n")
    metrics = args.metric or [name for name in DEFAULT_SWEEP_METRICS if name in numbers]
    stem = _file_stem(sweep.attrs.get("name") or Path(args.path).name)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    if parameters_of(sweep):
        x, y = heatmap_axes(sweep, args.x, args.y)
        for metric in metrics:
            _write(sweep_heatmap(sweep, metric, x, y), args.output_dir / f"{stem}_heatmap_{_file_stem(metric)}.png")
    else:
        print(f"{args.path}: no parameters, no heatmap", file=sys.stderr)
    sense = {name: True for name in args.maximize or []}
    sense.update({name: False for name in args.minimize or []})
    _write(sweep_pareto(sweep, args.pareto_x, args.pareto_y, sense.get(args.pareto_x), sense.get(args.pareto_y)),
           args.output_dir / f"{stem}_pareto.png")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m fleetsim.plot", description=__doc__.splitlines()[0],
        epilog="A result file gives PNGs named <stem>_<figure>.png; a sweep (its directory or sweep.h5) gives "
               "<sweep name>_heatmap_<metric>.png and <sweep name>_pareto.png.")
    parser.add_argument("path", type=Path, help="fleetsim output file (.h5), or a sweep directory or its sweep.h5")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("."), help="directory for the PNGs")
    sweeps = parser.add_argument_group("sweeps")
    sweeps.add_argument("--metric", action="append",
                        help="metric of a heatmap (repeatable; default: jobs_per_day and carbon_kg)")
    sweeps.add_argument("--x", help="heatmap parameter across (default: the first numeric parameter)")
    sweeps.add_argument("--y", help="heatmap parameter up (default: the second numeric parameter)")
    sweeps.add_argument("--pareto-x", default="jobs_per_day", help="Pareto front metric across (default: %(default)s)")
    sweeps.add_argument("--pareto-y", default="carbon_kg", help="Pareto front metric up (default: %(default)s)")
    sweeps.add_argument("--maximize", action="append", metavar="METRIC",
                        help="treat METRIC as better higher (default for jobs_per_day, jobs_completed, "
                             "gpu_hours_busy, gpu_utilization)")
    sweeps.add_argument("--minimize", action="append", metavar="METRIC",
                        help="treat METRIC as better lower (default for every other metric)")
    args = parser.parse_args(argv)
    if args.path.is_dir() or is_sweep(args.path):
        _plot_sweep(parser, args)
        return
    try:
        result = load(args.path)
    except (FileNotFoundError, ValueError) as error:
        parser.exit(1, f"error: {error}\n")
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for suffix, make_figure in FIGURES.items():
        _write(make_figure(result), args.output_dir / f"{args.path.stem}_{suffix}.png")


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    main()

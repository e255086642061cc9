"""Figures of a fleetsim result, and a CLI writing them as PNG files.

    /usr/bin/python3 -m fleetsim.plot OUT.h5 -o DIR
"""
import argparse
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .result import load

SECONDS_PER_DAY = 86400.0
SECONDS_PER_HOUR = 3600.0


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
    if ax.get_lines():
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")


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
    """Cumulative distribution of job waits (start - submit, hours) per campus, started jobs."""
    fig = Figure(figsize=(7, 4.5), layout="constrained")
    ax = fig.subplots()
    jobs = result.jobs
    started = jobs[jobs["start_s"].notna()]
    for campus, group in [("all campuses", started)] + list(started.groupby("campus")):
        waits = np.sort((group["start_s"] - group["submit_s"]).to_numpy()) / SECONDS_PER_HOUR
        if len(waits):
            share = np.arange(1, len(waits) + 1) / len(waits)
            ax.step(np.r_[0.0, waits], np.r_[0.0, share], where="post", label=f"{campus} ({len(waits)})")
    never = len(jobs) - len(started)
    ax.set_title(f"job waits: {len(started)} started, {never} never started", loc="left")
    ax.set_xlabel("wait before start (hours)")
    ax.set_ylabel("share of started jobs")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    if len(started):
        ax.legend(loc="lower right", fontsize="small")
    return fig


FIGURES = {"power": campus_power, "gpus_busy": gpus_busy, "waits": wait_cdf}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m fleetsim.plot", description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path, help="fleetsim output file (.h5)")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("."), help="directory for the PNGs")
    args = parser.parse_args(argv)
    try:
        result = load(args.result)
    except (FileNotFoundError, ValueError) as error:
        parser.exit(1, f"error: {error}\n")
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for suffix, make_figure in FIGURES.items():
        path = args.output_dir / f"{args.result.stem}_{suffix}.png"
        make_figure(result).savefig(path, dpi=120)
        print(path)


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    main()

"""Figures of a sweep (a `load_sweep` table): a metric over two parameters as a heatmap, and the Pareto front of
two metrics. Both average the replicas of each parameter combination and count only done points."""
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .sweep import higher_is_better, numeric_parameters, parameters_of, pareto_front, replica_means

MAX_LEVELS = 10  # a numeric parameter with more distinct values (a sampled sweep) is binned into this many
MAX_LISTED = 15  # front points whose parameters the Pareto legend lists


def heatmap_axes(sweep, x=None, y=None):
    """The heatmap's (x, y) parameters: as given, else the first two numeric parameters, else the first two
    parameters; y is None when the sweep has a single parameter."""
    parameters = parameters_of(sweep)
    if not parameters:
        raise ValueError("the sweep has no parameters to draw a heatmap over")
    preferred = numeric_parameters(sweep) + [name for name in parameters if name not in numeric_parameters(sweep)]
    remaining = [name for name in preferred if name not in (x, y)]
    x = x or remaining.pop(0)
    if y is None and remaining:
        y = remaining.pop(0)
    return x, y


def _short(parameter):
    return parameter.rsplit(".", 1)[-1]


def _levels(values, max_levels):
    """(code per row, NaN where unknown; tick labels) of a parameter's values: sorted numbers, binned into
    max_levels equal-width bins when there are more distinct ones; strings in order of first appearance."""
    if pd.api.types.is_numeric_dtype(values):
        if values.nunique() > max_levels:
            binned = pd.cut(values, max_levels)
            codes = binned.cat.codes.to_numpy().astype(float)
            codes[codes < 0] = np.nan
            return codes, [f"{interval.left:.3g}–{interval.right:.3g}" for interval in binned.cat.categories]
        uniques = sorted(values.dropna().unique())
        labels = [f"{value:g}" for value in uniques]
    else:
        uniques = list(dict.fromkeys(values.dropna()))
        labels = [str(value) for value in uniques]
    position = {value: index for index, value in enumerate(uniques)}
    return values.map(position).to_numpy(dtype=float), labels


def sweep_heatmap(sweep, metric="jobs_per_day", x=None, y=None, max_levels=MAX_LEVELS):
    """Mean of `metric` over the done points of each (x, y) cell: replicas, and any other parameter, are
    averaged. Cells are annotated with the mean and the number of points; cells without a done point are grey.
    x and y default to `heatmap_axes`. The image data is the grid (rows: y levels, bottom up)."""
    x, y = heatmap_axes(sweep, x, y)
    if metric not in sweep or not pd.api.types.is_numeric_dtype(sweep[metric]):
        raise KeyError(f"{metric!r} is not a numeric column of the sweep")
    x_codes, x_labels = _levels(sweep[x], max_levels)
    y_codes, y_labels = _levels(sweep[y], max_levels) if y else (np.zeros(len(sweep)), [""])
    done = (sweep["status"] == "done").to_numpy() if "status" in sweep else np.ones(len(sweep), bool)
    values = sweep[metric].to_numpy(float)
    use = done & np.isfinite(values) & np.isfinite(x_codes) & np.isfinite(y_codes)
    sums = np.zeros((len(y_labels), len(x_labels)))
    counts = np.zeros_like(sums)
    np.add.at(sums, (y_codes[use].astype(int), x_codes[use].astype(int)), values[use])
    np.add.at(counts, (y_codes[use].astype(int), x_codes[use].astype(int)), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        grid = np.ma.masked_invalid(sums / counts)

    fig = Figure(figsize=(max(6.5, 0.9 * len(x_labels) + 3), max(3.2, 0.6 * len(y_labels) + 2)),
                 layout="constrained")
    ax = fig.subplots()
    cmap = colormaps["viridis"].copy()
    cmap.set_bad("0.85")
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap)
    unit = sweep.attrs.get("units", {}).get(metric, "")
    fig.colorbar(image, ax=ax, label=f"{metric} ({unit})" if unit else metric)
    low, high = (grid.min(), grid.max()) if grid.count() else (0, 1)
    digits = _significant_digits(low, high)
    for (row, column), value in np.ndenumerate(grid.filled(np.nan)):
        n = int(counts[row, column])
        if n == 0:
            ax.text(column, row, "no data", ha="center", va="center", fontsize="small", color="0.3")
            continue
        bright = high > low and (value - low) / (high - low) > 0.6
        ax.text(column, row, f"{value:.{digits}g}\nn={n}", ha="center", va="center", fontsize="small",
                color="black" if bright else "white")
    ax.set_xticks(range(len(x_labels)), x_labels, rotation=30 if len(x_labels) > 6 else 0)
    ax.set_yticks(range(len(y_labels)), y_labels)
    ax.set_xlabel(x)
    ax.set_ylabel(y or "")
    averaged = ["replicas"] + [_short(name) for name in parameters_of(sweep) if name not in (x, y)]
    ax.set_title(f"{metric}: mean of the n done points per cell\n(averaged over {', '.join(averaged)})",
                 loc="left", fontsize="medium")
    return fig


def _significant_digits(low, high):
    """Enough significant digits to tell the cells apart (4 at least, 8 at most): 1066.214 vs 1065.857."""
    magnitude = max(abs(low), abs(high))
    if not np.isfinite(magnitude) or magnitude == 0 or high <= low:
        return 4
    return int(np.clip(np.ceil(np.log10(magnitude)) - np.floor(np.log10(high - low)) + 2, 4, 8))


def _combination_label(row, parameters):
    return ", ".join(f"{_short(name)}={row[name]:g}" if isinstance(row[name], (int, float, np.number))
                     else f"{_short(name)}={row[name]}" for name in parameters)


def sweep_pareto(sweep, x="jobs_per_day", y="carbon_kg", maximize_x=None, maximize_y=None):
    """`y` against `x` for every parameter combination (mean of its done replicas; replicas as small grey
    dots), with the Pareto front, the combinations no other beats in both, joined and labelled with their
    parameters. Senses default to `higher_is_better` (jobs per day up, carbon down)."""
    parameters = parameters_of(sweep)
    maximize_x = higher_is_better(x) if maximize_x is None else maximize_x
    maximize_y = higher_is_better(y) if maximize_y is None else maximize_y
    for metric in (x, y):
        if metric not in sweep or not pd.api.types.is_numeric_dtype(sweep[metric]):
            raise KeyError(f"{metric!r} is not a numeric column of the sweep")
    means = replica_means(sweep, [x, y]).reset_index() if parameters else replica_means(sweep, [x, y])
    means = means[means["replicas"] > 0]
    front = pareto_front(means, x, y, maximize_x, maximize_y)

    fig = Figure(figsize=(11, 5.5), layout="constrained")
    ax = fig.subplots()
    done = sweep[sweep["status"] == "done"] if "status" in sweep else sweep
    ax.scatter(done[x], done[y], s=12, color="0.7", label="replicas", zorder=1)
    ax.scatter(means.loc[~front, x], means.loc[~front, y], s=36, color="C0",
               label="parameter combination (mean)", zorder=2)
    best = means[front].sort_values(x)
    ax.plot(best[x], best[y], "D-", color="C3", markersize=7, label="Pareto front", zorder=3)
    # Number the front's points; the legend lists their parameters.
    handles, labels = ax.get_legend_handles_labels()
    for number, (_, row) in enumerate(best.iterrows(), start=1):
        ax.annotate(str(number), (row[x], row[y]), textcoords="offset points", xytext=(5, 5), fontsize="small",
                    color="C3", weight="bold")
        if number <= MAX_LISTED:
            handles.append(Line2D([], [], linestyle="none"))
            labels.append(f"{number}: {_combination_label(row, parameters)}")
    if len(best) > MAX_LISTED:
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(f"... {len(best) - MAX_LISTED} more")
    units = sweep.attrs.get("units", {})
    for set_label, metric, maximize in ((ax.set_xlabel, x, maximize_x), (ax.set_ylabel, y, maximize_y)):
        unit = f" ({units[metric]})" if units.get(metric) else ""
        set_label(f"{metric}{unit}, {'higher' if maximize else 'lower'} is better")
    ax.set_title(f"{len(best)} of {len(means)} parameter combinations on the Pareto front", loc="left")
    ax.grid(alpha=0.3)
    ax.legend(handles, labels, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=1.5)
    return fig

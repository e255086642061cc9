"""A planner's questions across runs, side by side (analysis/notebooks/planner.ipynb): work per MW and per euro by
accelerator, carbon, price and PUE by site, grid budget use and curtailment, the build-out year by year, and cost per
GPU-hour and per million tokens. Every function takes loaded results (fleetsim.load) keyed by a run name.

    from fleetsim import planner
    paths = planner.run_seed("build/fleetsim", "results/seed")        # the seed scenarios, those not run yet
    runs = {name: fleetsim.load(path) for name, path in paths.items()}
    planner.sites(runs), planner.accelerators(runs), planner.buildout(runs["campus-ia-2027-2031"]), planner.costs(runs)
"""
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO / "scenarios" / "seed"
# The seed scenarios (scenarios/seed/), and how the planner notebook shortens the largest when asked to be quick.
SEED = ["opcore-2026", "lechat-2026", "campus-ia-2027-2031", "llama3-405b-54d", "europe-2030"]
QUICK_DURATION = {"europe-2030": "90d"}

J_PER_MWH = 3.6e9


def run_seed(binary, out_dir, names=None, quick=False):
    """Runs each seed scenario that has no result in `out_dir` yet (NAME.h5); returns {name: path}. `quick`
    shortens the largest (QUICK_DURATION) so that a notebook executed by the tests stays within seconds."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in names or SEED:
        scenario = SEED_DIR / f"{name}.toml"
        if not scenario.exists():
            continue
        path = out_dir / f"{name}.h5"
        if not path.exists():
            extra = ["--set", f"simulation.duration={QUICK_DURATION[name]}"] if quick and name in QUICK_DURATION else []
            subprocess.run([str(binary), "run", str(scenario), "-o", str(path), "--quiet", *extra], check=True,
                           stdout=subprocess.DEVNULL)
        paths[name] = path
    return paths


def scenario_of(result):
    """The run's resolved scenario (hardware copied in) as a dict."""
    return tomllib.loads(result.meta["scenario"])


def node_full_power_w(scenario, node_id, cap_w=0.0):
    """A node's full-load power from the resolved scenario's hardware: base_full_w + gpus x the GPU's max_w
    (or its cap), as the simulator's nameplate."""
    hw = scenario["hw"]
    node = next(n for n in hw["node"] if n["id"] == node_id)
    gpu = next(g for g in hw["gpu"] if g["id"] == node["gpu"])
    per_gpu = min(cap_w, gpu["max_w"]) if cap_w else gpu["max_w"]
    return node.get("base_full_w", node["base_w"]) + node["gpus"] * per_gpu


UNIT_S = {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def time_point_s(text, start):
    """A scenario time point ("90d", "2028-01-01", "2028-01-01 06:00") as seconds from the run's start (a
    pandas.Timestamp, or None for an undated run)."""
    for unit in sorted(UNIT_S, key=len, reverse=True):
        if text.endswith(unit):
            try:
                return float(text[:-len(unit)]) * UNIT_S[unit]
            except ValueError:
                break
    return (pd.Timestamp(text) - start).total_seconds()


def _node_capex_eur(scenario, node_id, usd_per_eur):
    """A node's price in EUR as the run's economics took it: [economics] capex_per_node, else the catalog's USD price
    at the run's usd_per_eur (an /economics attribute)."""
    overrides = scenario.get("economics", {}).get("capex_per_node", {})
    if node_id in overrides:
        return overrides[node_id]
    node = next(n for n in scenario["hw"]["node"] if n["id"] == node_id)
    return node.get("capex_usd", 0.0) / usd_per_eur


def _clusters(result):
    """(campus, cluster) -> node id, node count, full-load power of a node and the hours it is installed within the
    horizon (commissioning to decommissioning), from the resolved scenario."""
    scenario = scenario_of(result)
    horizon = float(result.meta["horizon_s"])
    start = pd.Timestamp(scenario["simulation"]["start"]) if "start" in scenario["simulation"] else None
    usd_per_eur = result.economics_attributes()["usd_per_eur"]
    clusters = {}
    for campus in scenario["campus"]:
        for cluster in campus.get("cluster", []):
            begin = time_point_s(cluster["commission"], start) if "commission" in cluster else 0.0
            end = time_point_s(cluster["decommission"], start) if "decommission" in cluster else horizon
            clusters[(campus["name"], cluster["name"])] = {
                "node": cluster["node"], "nodes": cluster["nodes"],
                "node_full_w": node_full_power_w(scenario, cluster["node"], cluster.get("power_cap_w", 0.0)),
                "installed_h": max(0.0, min(end, horizon) - min(begin, horizon)) / 3600,
                "node_capex_eur": _node_capex_eur(scenario, cluster["node"], usd_per_eur)}
    return clusters


def sites(runs):
    """Per run and campus: energy, the PUE, carbon intensity and price the energy actually met (energy-weighted),
    peak facility power against the grid connection, and curtailment by grid events."""
    rows = []
    for run, result in runs.items():
        by_campus = result.periods.groupby("campus")[["gpu_hours_busy", "gpu_hours_installed"]].sum()
        for campus in result.campuses:
            a = result.campus_attributes(campus)
            busy, installed = by_campus.loc[campus] if campus in by_campus.index else (0.0, 0.0)
            it_mwh, facility_mwh = a["it_energy_j"] / J_PER_MWH, a["facility_energy_j"] / J_PER_MWH
            rows.append({
                "run": run, "campus": campus, "country": a["country"], "it_mwh": it_mwh, "facility_mwh": facility_mwh,
                "pue": facility_mwh / it_mwh if it_mwh else np.nan,
                "carbon_g_per_kwh": a["carbon_kg"] / facility_mwh if facility_mwh else np.nan,
                "price_eur_per_mwh": a["cost_eur"] / facility_mwh if facility_mwh else np.nan,
                "peak_facility_mw": a["peak_facility_power_w"] / 1e6, "grid_connection_mw": a["grid_connection_w"] / 1e6,
                "peak_over_connection": a["peak_facility_power_w"] / a["grid_connection_w"],
                "curtailed_mwh": a["curtailed_energy_j"] / J_PER_MWH, "time_capped_h": a["time_capped_s"] / 3600,
                "gpu_utilisation": busy / installed if installed else np.nan,
            })
    return pd.DataFrame(rows)


def accelerators(runs):
    """Per run and accelerator (node kind): installed full-load MW and MW-years (installed time counted from
    commissioning), GPU-hours delivered to jobs, training tokens, the jobs' energy, and work per MW-year installed and
    per MWh, and per euro (its nodes' depreciation while installed plus its jobs' energy): what a planner compares
    across accelerators. GPU-hours and tokens of jobs count within the horizon (a job still running counts its part);
    services are left out (their GPU-hours are in /services)."""
    rows = []
    for run, result in runs.items():
        clusters = _clusters(result)
        horizon = float(result.meta["horizon_s"])
        jobs = result.read_jobs(["campus", "cluster", "gpus", "start_s", "end_s", "energy_j", "tokens"])
        started = jobs[~jobs["start_s"].isna()].copy()
        started["hours"] = (started["end_s"].fillna(horizon).clip(upper=horizon) - started["start_s"]) / 3600
        started["gpu_hours"] = started["gpus"] * started["hours"]
        started["node"] = [clusters.get((c, k), {}).get("node", "?") for c, k in zip(started["campus"], started["cluster"])]
        # What an accelerator costs in the run: its nodes' straight-line depreciation over their installed time and
        # its jobs' energy at the run's mean price per MWh of IT energy (facility x PUE folded in).
        life_h = result.economics_attributes()["node_life_years"] * 8766
        summary = result.summary
        eur_per_it_mwh = summary["energy_cost_eur"] / (summary["it_energy_j"] / J_PER_MWH) if summary["it_energy_j"] else 0.0
        for node, group in started.groupby("node"):
            installed = [c for key, c in clusters.items() if c["node"] == node]
            full_mw = sum(c["nodes"] * c["node_full_w"] for c in installed) / 1e6
            mw_years = sum(c["nodes"] * c["node_full_w"] * c["installed_h"] for c in installed) / 1e6 / 8766
            depreciation = sum(c["nodes"] * c["node_capex_eur"] * c["installed_h"] / life_h for c in installed)
            energy_mwh = group["energy_j"].sum() / J_PER_MWH
            tokens = group["tokens"].fillna(0).sum()
            cost = depreciation + energy_mwh * eur_per_it_mwh
            rows.append({"run": run, "node": node, "installed_full_load_mw": full_mw, "installed_mw_years": mw_years,
                         "gpu_hours": group["gpu_hours"].sum(), "jobs": len(group), "tokens_trained": tokens,
                         "job_energy_mwh": energy_mwh,
                         "gpu_hours_per_mw_year": group["gpu_hours"].sum() / mw_years if mw_years else np.nan,
                         "tokens_per_mw_year": tokens / mw_years if mw_years else np.nan,
                         "tokens_per_mwh": tokens / energy_mwh if energy_mwh else np.nan,
                         "cost_eur": cost,
                         "gpu_hours_per_eur": group["gpu_hours"].sum() / cost if cost else np.nan,
                         "tokens_per_eur": tokens / cost if cost else np.nan})
    return pd.DataFrame(rows)


def buildout(result):
    """Year by year for the whole fleet of one run: installed IT power against the grid connection at the year's
    end, energy, carbon, energy cost, GPU utilisation, jobs and tokens."""
    yearly = result.yearly()
    if yearly.empty:
        return yearly
    sums = yearly.groupby("year").sum(numeric_only=True)
    sums["installed_it_mw"] = sums.pop("installed_it_w") / 1e6
    sums["grid_connection_mw"] = sums.pop("grid_connection_w") / 1e6
    sums["it_gwh"] = sums.pop("it_energy_j") / 3.6e12
    sums["facility_gwh"] = sums.pop("facility_energy_j") / 3.6e12
    sums["carbon_t"] = sums.pop("carbon_kg") / 1000
    sums["energy_cost_meur"] = sums.pop("energy_cost_eur") / 1e6
    busy, installed = sums.pop("gpu_hours_busy"), sums.pop("gpu_hours_installed")
    sums["gpu_utilisation"] = (busy / installed.where(installed > 0)).fillna(0.0)
    return sums.reset_index()


def grid_use(result):
    """Per campus and month: installed IT power and the grid connection (MW), and the month's mean facility power
    as a share of the connection: how much of the budget the build-out uses."""
    periods = result.periods.copy()
    hours = (periods["end_s"] - periods["start_s"]) / 3600
    periods["mean_facility_mw"] = periods["facility_energy_j"] / 3.6e9 / hours.where(hours > 0)
    periods["installed_it_mw"] = periods["installed_it_w"] / 1e6
    periods["grid_connection_mw"] = periods["grid_connection_w"] / 1e6
    periods["connection_used"] = periods["mean_facility_mw"] / periods["grid_connection_mw"].where(
        periods["grid_connection_mw"] > 0)
    return periods[["campus", "period", "installed_it_mw", "grid_connection_mw", "mean_facility_mw", "connection_used"]]


def costs(runs):
    """Per run: capex, TCO over the run, net present cost (MEUR), and TCO per GPU-hour delivered, per million tokens
    served and per training run (EUR), from each run's /economics (its last row is the run's total)."""
    rows = []
    for run, result in runs.items():
        economics = result.economics
        if economics.empty:
            continue
        total = economics.iloc[-1]
        attributes = result.economics_attributes()
        rows.append({"run": run, "capex_meur": (total["capex_node_eur"] + total["capex_facility_eur"]) / 1e6,
                     "tco_meur": total["tco_eur"] / 1e6, "npc_meur": attributes["npc_eur"] / 1e6,
                     "depreciation_share": total["depreciation_eur"] / total["tco_eur"] if total["tco_eur"] else np.nan,
                     "energy_share": total["energy_cost_eur"] / total["tco_eur"] if total["tco_eur"] else np.nan,
                     "eur_per_gpu_hour": total["eur_per_gpu_hour"],
                     "eur_per_million_tokens": total["eur_per_million_tokens"],
                     "eur_per_training_run": total["eur_per_training_run"]})
    return pd.DataFrame(rows)

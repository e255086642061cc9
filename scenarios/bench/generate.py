#!/usr/bin/python3
"""Writes the fleet-scale benchmark scenarios: a 1 GW fleet-year, its 1/10 and 1/100 versions, the same 1 GW
year with hourly power physics (-dynamic), and the 10 GW fleet-year with that physics (fleet-10gw-year: 10x the
1 GW year, 628,300 nodes = 5,026,400 H100 GPUs, 10.5M jobs).

Run from the repository root: /usr/bin/python3 scenarios/bench/generate.py
The .toml files are committed; this script documents how they were made and remakes them.
"""
import math
from pathlib import Path

# 13 European campuses, grid connections 20-200 MW (1,030 MW in all).
# Carbon intensities: 2023 electricity generation, gCO2e/kWh, Our World in Data / Ember (CC BY 4.0),
# shared/data/carbon_intensity/owid_carbon_intensity_elec_europe_2015_2024.csv.
CAMPUSES = [
    # name, country, grid MW, carbon g/kWh (2023), PUE (assumed: cooler sites lower) for the constant version
    ("paris", "FR", 200, 55.3, 1.25),
    ("frankfurt", "DE", 150, 371.3, 1.3),
    ("amsterdam", "NL", 120, 268.7, 1.3),
    ("dublin", "IE", 100, 283.8, 1.25),
    ("stockholm", "SE", 90, 38.4, 1.15),
    ("oslo", "NO", 80, 30.5, 1.15),
    ("madrid", "ES", 70, 169.3, 1.4),
    ("milan", "IT", 60, 323.4, 1.4),
    ("marseille", "FR", 50, 55.3, 1.4),
    ("lyon", "FR", 40, 55.3, 1.3),
    ("warsaw", "PL", 30, 655.3, 1.3),
    ("helsinki", "FI", 20, 81.4, 1.15),
    ("brussels", "BE", 20, 134.9, 1.3),
]
# The dynamic version: hourly ambient temperature per site (data/weather; sites without a shipped series use
# the nearest one with a similar climate), hourly/annual carbon and price per country (data/grid), cooling
# models, and a 600 W GPU cap on every other campus.
WEATHER = {"warsaw": "frankfurt", "helsinki": "stockholm", "brussels": "amsterdam"}
LIQUID = {"paris", "frankfurt", "amsterdam", "stockholm", "oslo", "helsinki"}

# DGX H100 nodes per MW of grid connection: 61 nodes x 10.2 kW (datasheet max) x PUE 1.3 = 0.81 MW, leaving
# headroom under the connection. 1,030 MW x 61 = 62,830 nodes = 502,640 H100 GPUs.
NODES_PER_MW = 61
GPU_SIZES = [8, 64, 512, 4096]
GPU_WEIGHTS = [0.5, 0.3, 0.15, 0.05]
SIGMA = 1.35
MEDIAN_H = 4.0  # lognormal mean = 4 h x exp(1.35^2 / 2) = 9.95 h; ~3,000 GPU-hours per job on average
JOBS = 1_050_000  # at 120 jobs/h, ~1.05M arrive within the year
RATE_PER_H = 120.0
# The training version (fleet-1gw-year-training): the same sizes and weights, every job a training run whose
# length is its steps at the step-time model's step time (about 10-12 s on DGX H100 for these plans), so that
# each size runs for hours as in the plain year: 8 GPUs 2,000 steps (~6 h), 64 GPUs 3,000 (~9 h), 512 GPUs 4,000
# (~11 h), 4,096 GPUs 4,000 (~13 h).
TRAINING_MIX = [
    '{ weight = 0.5, model = "llama3-8b", gpus = 8, sequence_length = 8192, global_batch_size = 64, steps = 2000, '
    'parallelism = { tp = 8 } }',
    '{ weight = 0.3, model = "llama3-8b", gpus = 64, sequence_length = 8192, global_batch_size = 512, steps = 3000, '
    'parallelism = { tp = 8 } }',
    '{ weight = 0.15, model = "llama3-70b", gpus = 512, sequence_length = 8192, global_batch_size = 512, '
    'steps = 4000, parallelism = { tp = 8, pp = 4 } }',
    '{ weight = 0.05, model = "llama3-405b", gpus = 4096, sequence_length = 8192, global_batch_size = 1024, '
    'steps = 4000, sharding = "gradients", balanced_pipeline = true, parallelism = { tp = 8, pp = 16, vp = 8 } }',
]


# Ten inference services for the 1 GW year with services (issue 13: the fleet level's cost on top of the 1 GW
# benchmark). (name, campus, model, tp, precision, SLO ttft, SLO tpot, max replicas, priority, demand): demand
# profiles of 1-20 million subscribers (office or consumer days, weekly) and the two Azure 2023 traces replayed
# faster. ASSUMPTIONS: a plausible mix, not any provider's.
CONV = "../../data/azure_llm_inference_2023/AzureLLMInferenceTrace_conv.csv"
CODE = "../../data/azure_llm_inference_2023/AzureLLMInferenceTrace_code.csv"
SERVICES = [
    ("chat-fr", "paris", "mistral-large-2", 8, "fp8", "1s", "50ms", 1200, 10,
     'subscribers = 20e6, requests_per_day = 8, daily_profile = "office", weekly = true'),
    ("chat-de", "frankfurt", "llama3.3-70b", 2, "fp8", "1s", "50ms", 4000, 10,
     'subscribers = 15e6, requests_per_day = 8, daily_profile = "consumer", weekly = true'),
    ("assistant-nl", "amsterdam", "llama3-70b", 4, "bf16", "1s", "50ms", 1500, 5,
     'subscribers = 5e6, requests_per_day = 10, daily_profile = "office", weekly = true'),
    ("conv-ie", "dublin", "llama2-70b", 8, "bf16", "1s", "50ms", 600, 10, f'trace = "{CONV}", scale = 40.0'),
    ("code-se", "stockholm", "llama3-70b", 4, "fp8", "2s", "50ms", 800, 10, f'trace = "{CODE}", scale = 30.0'),
    ("mini-no", "oslo", "llama3-8b", 1, "bf16", "500ms", "30ms", 1000, 0,
     'subscribers = 10e6, requests_per_day = 20, daily_profile = "consumer", weekly = true'),
    ("chat-es", "madrid", "llama3.3-70b", 4, "fp8", "1s", "50ms", 600, 10,
     'subscribers = 4e6, requests_per_day = 8, daily_profile = "consumer", weekly = true'),
    ("chat-it", "milan", "mistral-large-2", 8, "fp8", "1s", "50ms", 400, 10,
     'subscribers = 3e6, requests_per_day = 8, daily_profile = "office", weekly = true'),
    ("agent-marseille", "marseille", "llama3-405b", 8, "fp8", "2s", "80ms", 300, 10,
     'subscribers = 1e6, requests_per_day = 5, daily_profile = "office", weekly = true'),
    ("search-lyon", "lyon", "llama3-8b", 1, "fp8", "300ms", "30ms", 800, 0,
     'subscribers = 8e6, requests_per_day = 15, daily_profile = "flat"'),
]


def render_services() -> str:
    lines = []
    for name, campus, model, tp, precision, ttft, tpot, most, priority, demand in SERVICES:
        lines += ["[[service]]", f'name = "{name}"', f'model = "{model}"', f'campus = "{campus}"', 'node = "dgx-h100"',
                  f"tp = {tp}", f'precision = "{precision}"',
                  f'slo = {{ ttft = "{ttft}", tpot = "{tpot}", percentile = 0.99 }}',
                  f"replicas = {{ min = 1, max = {most} }}", f"priority = {priority}", f"demand = {{ {demand} }}", ""]
    return "\n".join(lines)


# The oversubscribed versions (issue 15): every campus holds 20% more nameplate than its grid connection: nodes =
# 1.2 x connection / (8.5 kW, a DGX H100 at full load in the catalog: base_full_w 2,900 W + 8 x 700 W, x the campus's PUE); the arrival rate and job count grow with the
# installed GPUs so that the fleet is as loaded as the plain year. -oversubscribed runs it without control (the
# budget is only reported), -budgets holds every connection with [power] policy = ["cap", "preempt"] and sends every
# job to the cleanest campus that can start it ([dispatch] lowest-carbon, campus = "any"): issue 15's benchmark.
OVERSUBSCRIPTION = 1.2
DGX_H100_FULL_KW = 8.5


def oversubscribed_nodes() -> dict:
    return {name: round(OVERSUBSCRIPTION * mw * 1000 / (DGX_H100_FULL_KW * pue)) for name, _, mw, _, pue in CAMPUSES}


# The scaled-down years (1/10, 1/100) load every campus as the 1 GW year does, so that their cost per job is
# measured in the same regime. With the 1 GW year's sizes drawn fleet-wide, the 512-GPU jobs of the 1/100 fleet
# fit only its three largest campuses (976, 736 and 584 GPUs), which then queue for the rest of the year: 2,791
# jobs still waiting at its end, mean wait 37 days, against 3 jobs at 1 GW. Here each campus gets its own stream,
# its share of the arrivals (by installed GPUs), only the sizes up to LARGEST_JOB_SHARE of its GPUs (the 1 GW
# year's largest job on its smallest campus: 4,096 of 9,760 GPUs), and durations stretched so that its GPU-hours
# per installed GPU stay the 1 GW year's.
LARGEST_JOB_SHARE = 4096 / (20 * NODES_PER_MW * 8)


def sizes_and_durations(sizes: list) -> list:
    """A synthetic workload's GPU sizes (those kept, with their weights) and its lognormal durations. Keeps the
    GPU-hour demand per installed GPU of the full mix when the largest sizes are left out: durations are stretched
    by the lost mean job size."""
    full_mean = sum(s * w for s, w in zip(GPU_SIZES, GPU_WEIGHTS))
    kept_mean = sum(s * w for s, w in sizes) / sum(w for _, w in sizes)
    values = ", ".join(str(s) for s, _ in sizes)
    weights = ", ".join(f"{w:g}" for _, w in sizes)
    return [
        f"gpus = {{ values = [{values}], weights = [{weights}] }}",
        f'duration = {{ distribution = "lognormal", median = "{MEDIAN_H * full_mean / kept_mean * 60:.4g}min", '
        f'sigma = {SIGMA} }}',
    ]


def render_per_campus(nodes: dict, scale: float) -> list:
    total = sum(nodes.values())
    lines = []
    for name, *_ in CAMPUSES:
        gpus = nodes[name] * 8
        sizes = [(s, w) for s, w in zip(GPU_SIZES, GPU_WEIGHTS) if s <= LARGEST_JOB_SHARE * gpus] or [(GPU_SIZES[0], 1.0)]
        share = nodes[name] / total
        lines += [
            "[[workload]]",
            'kind = "synthetic"',
            f'name = "{name}"',
            f'campus = "{name}"',
            f"jobs = {math.ceil(JOBS * scale * share)}",
            'arrival = "poisson"',
            f"rate_per_h = {RATE_PER_H * scale * share:.6g}",
            *sizes_and_durations(sizes),
            "gpu_utilization = { min = 0.5, max = 1.0 }",
            "",
        ]
    return lines


def render(scale: float, label: str, dynamic: bool = False, training: bool = False, failures: bool = False,
           oversubscribed: bool = False, budgets: bool = False, dispatch: bool = False, per_campus: bool = False) -> str:
    nodes = {name: max(1, round(mw * NODES_PER_MW * scale)) for name, _, mw, _, _ in CAMPUSES}
    load = 1.0
    if oversubscribed:
        plain = sum(nodes.values())
        nodes = oversubscribed_nodes()
        load = sum(nodes.values()) / plain
    lines = [
        f"# fleetsim benchmark: {label}. Generated by scenarios/bench/generate.py (edit that, not this).",
        f"# {sum(nodes.values()):,} DGX H100 nodes = {8 * sum(nodes.values()):,} GPUs on 13 campuses;",
        "# one simulated year, 5-min telemetry. Carbon: 2023 grid intensities (OWID/Ember, CC BY 4.0);",
        "# PUE: assumed per climate.",
        "",
        "[simulation]",
        f'name = "{label}"',
        'duration = "365d"',
        "seed = 1",
        'telemetry_interval = "5min"',
        "",
        "[scheduler]",
        'policy = "fifo"',
        "",
    ]
    if failures:  # the Llama 3 paper's failure rates (Table 5): ~2e-5 interruptions per GPU-hour, ~86k a year here
        lines += ["[reliability]", 'failures = "llama3"', ""]
    if budgets:
        lines += ["[power]", 'policy = ["cap", "preempt"]', ""]
    if dispatch:  # issue 15: every job may go to any campus, the cleanest grid that can start it now first
        lines += ["[dispatch]", 'policy = "lowest-carbon"', 'reconsider = "1h"', ""]
    for index, (name, country, mw, carbon, pue) in enumerate(CAMPUSES):
        lines += ["[[campus]]", f'name = "{name}"', f'country = "{country}"', f"grid_connection_mw = {mw * scale:.6g}"]
        if dynamic:
            lines += [
                f'cooling = "{"direct-liquid" if name in LIQUID else "air"}"',
                f'ambient_c = "weather/{WEATHER.get(name, name)}"',
                f'carbon_intensity_g_per_kwh = "carbon/{country}"',
                f'price_eur_per_mwh = "price/{country}"',
            ]
        else:
            lines += [f"pue = {pue}", f"carbon_intensity_g_per_kwh = {carbon}"]
        lines += ["", "[[campus.cluster]]", 'name = "h100"', 'node = "dgx-h100"', f"nodes = {nodes[name]}"]
        if dynamic:
            lines += ['nodes_per_rack = 4', 'fabric = "ib-ndr-400"'] + (["power_cap_w = 600.0"] if index % 2 else [])
        lines += [""]
    if per_campus:
        return "\n".join(lines + render_per_campus(nodes, scale))
    largest = max(nodes.values()) * 8  # the sizes that fit the largest campus
    sizes = [(s, w) for s, w in zip(GPU_SIZES, GPU_WEIGHTS) if s <= largest]
    lines += [
        "[[workload]]",
        'kind = "synthetic"',
        'name = "fleet"',
        f"jobs = {math.ceil(JOBS * scale * load)}",
        'arrival = "poisson"',
        f"rate_per_h = {RATE_PER_H * scale * load:.6g}",
    ]
    if dispatch:  # the same draws as without it (home campus by installed GPUs); the policy may send jobs elsewhere
        lines += ['campus = "any"']
    if training:
        lines += ["training = [", *[f"  {entry}," for entry in TRAINING_MIX], "]"]
    else:
        lines += sizes_and_durations(sizes)
    lines += ["gpu_utilization = { min = 0.5, max = 1.0 }"]
    if failures:
        lines += ['checkpoint = { interval = "auto", write = "60s" }', 'restart = "10min"']
    lines += [""]
    return "\n".join(lines)


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for scale, stem in [(1.0, "fleet-1gw-year"), (0.1, "fleet-1gw-year-10th"), (0.01, "fleet-1gw-year-100th")]:
        (here / f"{stem}.toml").write_text(render(scale, stem, per_campus=scale < 1))
        print(here / f"{stem}.toml")
    for scale, stem in [(1.0, "fleet-1gw-year-dynamic"), (10.0, "fleet-10gw-year")]:
        (here / f"{stem}.toml").write_text(render(scale, stem, dynamic=True))
        print(here / f"{stem}.toml")
    stem = "fleet-1gw-year-training"
    (here / f"{stem}.toml").write_text(render(1.0, stem, training=True))
    print(here / f"{stem}.toml")
    stem = "fleet-1gw-year-failures"
    (here / f"{stem}.toml").write_text(render(1.0, stem, failures=True))
    print(here / f"{stem}.toml")
    for stem, budgets in [("fleet-1gw-year-oversubscribed", False), ("fleet-1gw-year-budgets", True)]:
        text = render(1.0, stem, oversubscribed=True, budgets=budgets, dispatch=budgets).replace(
            "# PUE: assumed per climate.",
            "# PUE: assumed per climate. Every campus 20% oversubscribed: nameplate facility power = 1.2 x its grid\n"
            "# connection" + ("; [power] holds the connections; lowest-carbon dispatch of every job." if budgets
                             else "; no control (the budget is only reported), no dispatch."))
        (here / f"{stem}.toml").write_text(text)
        print(here / f"{stem}.toml")
    stem = "fleet-1gw-year-dispatch"
    text = render(1.0, stem, dispatch=True).replace(
        "# PUE: assumed per climate.",
        "# PUE: assumed per climate. Lowest-carbon dispatch of every job across the campuses ([dispatch], issue 15).")
    (here / f"{stem}.toml").write_text(text)
    # Training power swings (issue 15): the 1 GW year with a 10-minute fine power window of 100 ms samples. It opens
    # on day 1 so that the test suite's 2-day runs hold it; tests/bench/run moves it to day 30 (steady state) with
    # --set telemetry.fine.start=30d.
    stem = "fleet-1gw-year-fine"
    text = render(1.0, stem).replace(
        "# PUE: assumed per climate.",
        "# PUE: assumed per climate. A fine power window ([telemetry] fine, issue 15): 10 min of 100 ms samples.")
    (here / f"{stem}.toml").write_text(
        text + '\n[telemetry]\nfine = { start = "1d", duration = "10min", interval = "100ms" }\n')
    print(here / f"{stem}.toml")
    stem = "fleet-1gw-year-services"
    text = render(1.0, stem).replace(
        "# PUE: assumed per climate.",
        "# PUE: assumed per climate. Ten inference services ([[service]], issue 13) on ten of the campuses.")
    (here / f"{stem}.toml").write_text(text + "\n" + render_services())
    print(here / f"{stem}.toml")

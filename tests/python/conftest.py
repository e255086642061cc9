"""Shared fixtures: a synthetic result file and a synthetic sweep directory following sim/telemetry/SCHEMA.md
(schema version 7), and paths. Values are chosen so tests can state their expectations by hand. test_schema.py
checks that their fields and attributes are those of a real run's and a real sweep's files."""
import json
import math
import os
import shutil
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
ANALYSIS = REPO / "analysis"
sys.path.insert(0, str(ANALYSIS))  # import fleetsim from the source tree

HORIZON_S = 2 * 86400.0
INTERVAL_S = 3600.0
NAN = float("nan")
STRING = h5py.string_dtype("utf-8")

# ---------------------------------------------------------------------------------------------- result file

# The fields in the order of the file's row type; in the row itself they lie as in the writer's C struct
# (sim/telemetry/hdf5_sink.cpp JobRow: `interruptions` last, aligned as a C compiler does), so readers meet
# out-of-order offsets here as they do in real files.
JOB_FIELDS = [
    ("id", "<u8"), ("name", "S64"), ("campus", "S32"), ("cluster", "S32"), ("gpus", "<u4"),
    ("submit_s", "<f8"), ("start_s", "<f8"), ("end_s", "<f8"), ("state", "S12"), ("energy_j", "<f8"),
    ("gpu_power_w", "<f8"), ("power_cap_w", "<f8"), ("estimate_s", "<f8"), ("bounded_slowdown", "<f8"),
    ("preemptions", "<u4"), ("interruptions", "<u4"), ("work_lost_gpu_s", "<f8"), ("gpu_share", "<f8"),
    ("model", "S64"), ("tokens", "<f8"), ("step_time_s", "<f8"), ("mfu", "<f8"),
    ("home_campus", "S32"), ("moves", "<u4"), ("transfer_s", "<f8"), ("data_moved_bytes", "<f8"),
]
TRAINING_FIELDS = ["model", "tokens", "step_time_s", "mfu"]
DISPATCH_FIELDS = ["home_campus", "moves", "transfer_s", "data_moved_bytes"]
JOB_STORAGE_ORDER = ([name for name, _ in JOB_FIELDS
                      if name != "interruptions" and name not in TRAINING_FIELDS and name not in DISPATCH_FIELDS]
                     + ["interruptions"] + TRAINING_FIELDS + DISPATCH_FIELDS)


def _row_type(fields, storage_order):
    """Compound row type listing `fields` in order, laid out in memory as a C struct of `storage_order`."""
    formats = dict(fields)
    struct = np.dtype([(name, formats[name]) for name in storage_order], align=True)
    return np.dtype({"names": [name for name, _ in fields], "formats": [fmt for _, fmt in fields],
                     "offsets": [struct.fields[name][1] for name, _ in fields], "itemsize": struct.itemsize})


JOB_DTYPE = _row_type(JOB_FIELDS, JOB_STORAGE_ORDER)
JOB_UNITS = {"id": "1", "gpus": "1", "submit_s": "s", "start_s": "s", "end_s": "s", "energy_j": "J",
             "gpu_power_w": "W", "power_cap_w": "W", "estimate_s": "s", "bounded_slowdown": "1",
             "preemptions": "1", "interruptions": "1", "work_lost_gpu_s": "s", "gpu_share": "1",
             "tokens": "1", "step_time_s": "s", "mfu": "1", "moves": "1", "transfer_s": "s", "data_moved_bytes": "B"}
# Job 2 was preempted once by the policy and stopped once more by maintenance (2 interruptions), losing 1 h of
# work on 8 GPUs in all. Job 3 never started: no cluster, start NaN, GPU power and power cap 0 (as the writer).
# Job 0 is a training run: 21,600 steps of 4s, 1M tokens each (2.16e10 tokens), at 45% MFU; the others are not
# ("", 0 tokens, NaN step time and MFU).
NOT_TRAINING = ("", 0.0, NAN, NAN)
NOT_DISPATCHED = ("", 0, 0.0, 0.0)  # home_campus, moves, transfer_s, data_moved_bytes
JOBS = [  # name is str here, written as UTF-8 bytes
    (0, "pretrain-llm", "austin", "a1", 512, 0.0, 0.0, 86400.0, "completed", 3.0e10, 650.0, NAN, 86400.0,
     1.0, 0, 0, 0.0, 512.0, "llama3-8b", 2.16e10, 4.0, 0.45, *NOT_DISPATCHED),
    (1, "0-1", "oslo", "o1", 64, 100.0, 3700.0, 10000.0, "completed", 2.0e8, 500.0, 500.0, 9000.0,
     9900.0 / 6300.0, 0, 0, 0.0, 64.0, *NOT_TRAINING, *NOT_DISPATCHED),
    (2, "läufer", "oslo", "o1", 8, 200.0, 7400.0, NAN, "running", 5.0e8, 400.0, 500.0, 7200.0, NAN, 1, 2,
     28800.0, 8.0, *NOT_TRAINING, *NOT_DISPATCHED),
    (3, "x" * 64, "austin", "", 1024, 300.0, NAN, NAN, "queued", 0.0, 0.0, 0.0, 3600.0, NAN, 0, 0, 0.0, 1024.0,
     *NOT_TRAINING, *NOT_DISPATCHED),
]

TIMESERIES_DTYPE = np.dtype([
    ("time_s", "<f8"), ("it_power_w", "<f8"), ("facility_power_w", "<f8"), ("gpus_busy", "<f8"),
    ("carbon_kg", "<f8"), ("ambient_c", "<f8"), ("pue", "<f8"), ("carbon_g_per_kwh", "<f8"),
    ("price_eur_per_mwh", "<f8"), ("cost_eur", "<f8"), ("gpus_fragmented", "<f8"),
])
TIMESERIES_UNITS = {"time_s": "s", "it_power_w": "W", "facility_power_w": "W", "gpus_busy": "1",
                    "carbon_kg": "kg", "ambient_c": "degC", "pue": "1", "carbon_g_per_kwh": "g/kWh",
                    "price_eur_per_mwh": "EUR/MWh", "cost_eur": "EUR", "gpus_fragmented": "1"}

# Per campus (written in this unsorted order on purpose), campus k (0, 1) draws IT power
# (5 + k) MW x (1.5 + sin(2 pi t / 1 day)) sampled hourly over 2 days: the sines sum to 0, so
# IT energy = (5 + k) MW x 1.5 x 172,800 s; facility = IT x PUE; carbon = facility kWh x intensity;
# cost = facility MWh x price. Hand-computed:
#   oslo:   IT 1.296e12 J, facility 1.4256e12 J (396 MWh), carbon 396,000 kWh x 30 g = 11,880 kg, cost 19,800 EUR
#   austin: IT 1.5552e12 J, facility 2.02176e12 J (561.6 MWh), carbon x 400 g = 224,640 kg, cost 44,928 EUR
CAMPUS_SIGNALS = {  # name: (pue, carbon g/kWh, price EUR/MWh, ambient degC, fragmented GPUs)
    "oslo": (1.1, 30.0, 50.0, 5.0, 0.0),
    "austin": (1.3, 400.0, 80.0, NAN, 2.0),
}
CAMPUSES = {
    "oslo": {"country": "NO", "cooling": "", "ambient_source": "constant 5", "carbon_source": "constant 30",
             "price_source": "constant 50", "gpus": 1024, "grid_connection_w": 20e6, "cooling_capacity_w": NAN,
             "pue": 1.1, "nameplate_it_w": 11e6, "nameplate_facility_w": 12.1e6,
             "it_energy_j": 1.296e12, "facility_energy_j": 1.4256e12, "carbon_kg": 11880.0, "cost_eur": 19800.0,
             "peak_it_power_w": 12.5e6, "peak_facility_power_w": 13.75e6, "gpu_seconds_installed": 1024 * HORIZON_S,
             "budget_exceeded_s": 0.0, "time_capped_s": 0.0, "work_slowed_gpu_hours": 0.0, "power_stops": 0, "power_pauses": 0,
             "power_work_lost_gpu_hours": 0.0, "grid_event_s": 0.0, "curtailed_energy_j": 0.0, "curtailed_cost_eur": 0.0, "curtailed_carbon_kg": 0.0},
    "austin": {"country": "US", "cooling": "", "ambient_source": "constant nan", "carbon_source": "constant 400",
               "price_source": "constant 80", "gpus": 4096, "grid_connection_w": 60e6, "cooling_capacity_w": NAN,
               "pue": 1.3, "nameplate_it_w": 44e6, "nameplate_facility_w": 57.2e6,
               "it_energy_j": 1.5552e12, "facility_energy_j": 2.02176e12, "carbon_kg": 224640.0,
               "cost_eur": 44928.0, "peak_it_power_w": 15e6, "peak_facility_power_w": 19.5e6,
               "gpu_seconds_installed": 4096 * HORIZON_S, "budget_exceeded_s": 3600.0, "time_capped_s": 0.0,
               "work_slowed_gpu_hours": 0.0, "power_stops": 0, "power_pauses": 0, "power_work_lost_gpu_hours": 0.0, "grid_event_s": 0.0, "curtailed_energy_j": 0.0,
               "curtailed_cost_eur": 0.0, "curtailed_carbon_kg": 0.0},
}
CAMPUS_UNITS = {"gpus": "1", "grid_connection_w": "W", "cooling_capacity_w": "W", "pue": "1",
                "nameplate_it_w": "W", "nameplate_facility_w": "W", "it_energy_j": "J", "facility_energy_j": "J",
                "carbon_kg": "kg", "cost_eur": "EUR", "peak_it_power_w": "W", "peak_facility_power_w": "W",
                "gpu_seconds_installed": "s", "budget_exceeded_s": "s", "time_capped_s": "s", "work_slowed_gpu_hours": "h",
                "power_stops": "1", "power_pauses": "1", "power_work_lost_gpu_hours": "h", "grid_event_s": "s", "curtailed_energy_j": "J", "curtailed_cost_eur": "EUR",
                "curtailed_carbon_kg": "kg"}

LIMIT_DTYPE = np.dtype([
    ("campus", "S32"), ("limit", "S12"), ("capacity_w", "<f8"), ("nameplate_w", "<f8"), ("peak_w", "<f8"),
    ("nameplate_ratio", "<f8"), ("peak_ratio", "<f8"), ("binding", "u1"),
])
LIMIT_UNITS = {"capacity_w": "W", "nameplate_w": "W", "peak_w": "W", "nameplate_ratio": "1", "peak_ratio": "1",
               "binding": "1"}
LIMITS = [
    ("oslo", "grid", 20e6, 12.1e6, 13.75e6, 0.605, 0.6875, 1),
    ("austin", "grid", 60e6, 57.2e6, 19.5e6, 57.2 / 60, 0.325, 1),
]

SUMMARY = {  # in the writer's order; utilisation: busy over installed GPU-hours, (1024 + 4096) GPUs x 48 h
    "jobs_submitted": (4, "1"), "jobs_completed": (2, "1"), "jobs_running": (1, "1"),
    "jobs_queued": (1, "1"), "jobs_failed": (0, "1"), "it_energy_j": (2.8512e12, "J"), "facility_energy_j": (3.44736e12, "J"),
    "carbon_kg": (236520.0, "kg"), "mean_wait_s": (3600.0, "s"), "p95_wait_s": (7200.0, "s"),
    "gpu_hours_busy": (13000.0, "h"), "gpu_utilization": (13000.0 / ((1024 + 4096) * 48), "1"),
    "energy_cost_eur": (64728.0, "EUR"), "mean_bounded_slowdown": ((1.0 + 9900.0 / 6300.0) / 2, "1"),
    "preemptions": (1, "1"), "interruptions": (2, "1"), "work_lost_gpu_hours": (8.0, "h"),
    "mean_gpus_fragmented": (2.0, "1"), "binding_limit": ("austin:grid", None), "limits_exceeded": (0, "1"),
    "tokens_trained": (2.16e10, "1"), "training_flops": (2.16e10 * 6 * 8.03e9, "1"),
    "failures": (2, "1"), "failure_interruptions": (1, "1"), "gpu_hours_lost": (8.0, "h"),
    "effective_training_time": (0.95, "1"), "goodput": (0.97, "1"),
    # The one service below: 2.0736e9 tokens served, 3.456e8 of them output; 1.3824e9 J / 3.456e8 x 1000 = 4,000 J
    # per 1,000 output tokens; 207.36 EUR / 2.0736e9 x 1e6 = 0.1 EUR per million tokens; 99% within the SLO.
    "tokens_served": (2.0736e9, "1"), "output_tokens_served": (3.456e8, "1"),
    "energy_per_1k_output_tokens_j": (4000.0, "J"), "cost_per_million_tokens_eur": (0.1, "EUR"),
    "slo_attainment": (0.99, "1"),
    "budget_exceeded_s": (3600.0, "s"), "time_capped_s": (0.0, "s"), "work_slowed_gpu_hours": (0.0, "h"),
    "power_stops": (0, "1"), "power_pauses": (0, "1"), "power_work_lost_gpu_hours": (0.0, "h"),
    "jobs_delayed_by_power": (0, "1"), "grid_event_s": (0.0, "s"),
    "curtailed_energy_j": (0.0, "J"), "curtailed_cost_eur": (0.0, "EUR"), "curtailed_carbon_kg": (0.0, "kg"),
    "jobs_dispatched_away": (0, "1"), "jobs_moved": (0, "1"), "data_moved_bytes": (0.0, "B"),
    # Economics (ECONOMICS below): 5 MEUR of capex; TCO 130,000 EUR over 13,000 GPU-hours = 10 EUR per GPU-hour;
    # the service's 768 GPU-hours' share of it over its 2.0736e9 tokens (rounded), a 500-GPU-hour training run.
    "capex_eur": (5e6, "EUR"), "tco_eur": (130000.0, "EUR"), "npc_eur": (5.06e6, "EUR"),
    "tco_per_gpu_hour_eur": (10.0, "EUR"), "tco_per_million_tokens_eur": (20.0, "EUR"),
    "tco_per_training_run_eur": (5000.0, "EUR"),
}
# /economics: the run's one year (2023) and its total (year 0).
ECONOMICS_DTYPE = np.dtype([("year", "<i4"), ("capex_node_eur", "<f8"), ("capex_facility_eur", "<f8"),
                           ("depreciation_eur", "<f8"), ("energy_cost_eur", "<f8"), ("other_opex_eur", "<f8"),
                           ("tco_eur", "<f8"), ("gpu_hours_delivered", "<f8"), ("eur_per_gpu_hour", "<f8"),
                           ("tokens_served", "<f8"), ("eur_per_million_tokens", "<f8"), ("training_runs", "<u8"),
                           ("eur_per_training_run", "<f8")], align=True)
ECONOMICS_UNITS = {"year": "1", "capex_node_eur": "EUR", "capex_facility_eur": "EUR", "depreciation_eur": "EUR",
                   "energy_cost_eur": "EUR", "other_opex_eur": "EUR", "tco_eur": "EUR", "gpu_hours_delivered": "h",
                   "eur_per_gpu_hour": "EUR", "tokens_served": "1", "eur_per_million_tokens": "EUR",
                   "training_runs": "1", "eur_per_training_run": "EUR"}
ECONOMICS = [(2023, 4e6, 1e6, 60000.0, 64728.0, 5272.0, 130000.0, 13000.0, 10.0, 2.0736e9, 20.0, 1, 5000.0),
             (0, 4e6, 1e6, 60000.0, 64728.0, 5272.0, 130000.0, 13000.0, 10.0, 2.0736e9, 20.0, 1, 5000.0)]
ECONOMICS_ATTRIBUTES = {"npc_eur": (5.06e6, "EUR"), "discount_rate": (0.08, "1"), "usd_per_eur": (1.0824, "1"),
                        "node_life_years": (5.0, "1"), "facility_life_years": (20.0, "1"),
                        "facility_capex_eur_per_mw": (11.7e6 / 1.0824, "EUR"),
                        "opex_eur_per_mw_year": (0.03 * 11.7e6 / 1.0824, "EUR")}

# One inference service, "chat" at austin: 10 requests/s for the 2 days (1.728e6 requests), 1,000 prompt and 200
# output tokens each, 2 replicas of 8 GPUs drawing 8 kW in all, 99% of requests within the SLO.
SERVICE_DTYPE = np.dtype([
    ("time_s", "<f8"), ("requests_per_s", "<f8"), ("input_tokens_per_s", "<f8"), ("output_tokens_per_s", "<f8"),
    ("replicas", "<f8"), ("gpus", "<f8"), ("slo_attainment", "<f8"), ("power_w", "<f8"),
])
SERVICE_UNITS = {"time_s": "s", "requests_per_s": "1/s", "input_tokens_per_s": "1/s", "output_tokens_per_s": "1/s",
                 "replicas": "1", "gpus": "1", "slo_attainment": "1", "power_w": "W"}
SERVICES = {
    "chat": {
        "campus": ("austin", None), "model": ("llama2-70b", None), "node": ("dgx-h100", None),
        "precision": ("bf16", None), "tp": (8, "1"), "pp": (1, "1"), "gpus_per_replica": (8, "1"),
        "min_replicas": (1, "1"), "max_replicas": (4, "1"), "priority": (10, "1"), "slo_ttft_s": (0.45, "s"),
        "slo_tpot_s": (0.04, "s"), "slo_percentile": (0.99, "1"), "capacity_rps": (5.0, "1/s"),
        "capacity_pool_replicas": (4, "1"), "pool_capacity_rps": (5.5, "1/s"), "saturation_rps": (12.0, "1/s"),
        "load_time_s": (95.0, "s"), "requests": (1.728e6, "1"), "requests_served": (1.728e6, "1"),
        "requests_meeting_slo": (1.728e6 * 0.99, "1"), "input_tokens": (1.728e9, "1"),
        "output_tokens": (3.456e8, "1"), "it_energy_j": (1.3824e9, "J"), "facility_energy_j": (1.3824e9 * 1.3, "J"),
        "cost_eur": (207.36, "EUR"), "gpu_hours": (16 * 48.0, "h"), "scale_ups": (1, "1"),
        "intervals_short": (0, "1"), "slo_attainment": (0.99, "1"), "energy_per_1k_output_tokens_j": (4000.0, "J"),
        "cost_per_million_tokens_eur": (0.1, "EUR"),
    },
}
# Two failures: a GPU fault on an oslo server that stopped job 2 (8 GPUs, 1 h of work lost), a NIC on an idle one.
FAILURE_DTYPE = np.dtype([("time_s", "<f8"), ("campus", "S32"), ("cluster", "S32"), ("node", "<u4"),
                          ("nodes", "<u4"), ("cause", "S32"), ("jobs_hit", "<u4"), ("gpu_hours_lost", "<f8")],
                         align=True)
FAILURE_UNITS = {"time_s": "s", "node": "1", "nodes": "1", "jobs_hit": "1", "gpu_hours_lost": "h"}
FAILURES = [(36000.0, "oslo", "o1", 3, 1, "gpu", 1, 8.0), (90000.0, "oslo", "o1", 7, 1, "nic", 0, 0.0)]
# Calendar months: oslo over December 2022 and January 2023 (by hand: the year sums 5 + 7 MWh of IT energy).
PERIOD_DTYPE = np.dtype([("campus", "S32"), ("year", "<i4"), ("month", "<i4"), ("start_s", "<f8"), ("end_s", "<f8"),
                         ("it_energy_j", "<f8"), ("facility_energy_j", "<f8"), ("carbon_kg", "<f8"),
                         ("energy_cost_eur", "<f8"), ("gpu_hours_busy", "<f8"), ("gpu_hours_installed", "<f8"),
                         ("installed_it_w", "<f8"), ("grid_connection_w", "<f8"), ("tokens_served", "<f8"),
                         ("jobs_completed", "<u8"), ("training_runs_completed", "<u8")], align=True)
PERIOD_UNITS = {"year": "1", "month": "1", "start_s": "s", "end_s": "s", "it_energy_j": "J", "facility_energy_j": "J",
                "carbon_kg": "kg", "energy_cost_eur": "EUR", "gpu_hours_busy": "h", "gpu_hours_installed": "h",
                "installed_it_w": "W", "grid_connection_w": "W", "tokens_served": "1", "jobs_completed": "1",
                "training_runs_completed": "1"}
PERIODS = [("oslo", 2022, 12, 0.0, 86400.0, 5 * 3.6e9, 6 * 3.6e9, 180.0, 300.0, 100.0, 200.0, 8e6, 20e6, 0.0, 3, 1),
           ("oslo", 2023, 1, 86400.0, HORIZON_S, 7 * 3.6e9, 8 * 3.6e9, 240.0, 400.0, 150.0, 200.0, 9e6, 30e6, 1e6, 4, 0)]
SCENARIO_TOML = '[simulation]\nduration = "2d"\nseed = 7\n'
META = {
    "schema_version": (7, "1"), "fleetsim_version": ("0.1.0", None), "git_commit": ("abc1234", None),
    "seed": (7, "1"), "scenario_path": ("scenarios/test.toml", None),
    "created_utc": ("2026-11-25T20:41:07Z", None), "horizon_s": (HORIZON_S, "s"),
    "telemetry_interval_s": (INTERVAL_S, "s"), "workload_report": ("", None),
}


def _write_attributes(obj, values_and_units):
    for key, (value, unit) in values_and_units.items():
        obj.attrs[key] = value  # str -> variable-length UTF-8; int/float -> int64/float64
        if unit is not None:
            obj.attrs[f"{key}.units"] = unit


def _write_table(group, name, rows, units):
    dataset = group.create_dataset(name, data=rows, chunks=True, shuffle=True, compression="gzip")
    for field, unit in units.items():
        dataset.attrs[f"{field}.units"] = unit
    return dataset


def _encoded(row):
    return tuple(value.encode() if isinstance(value, str) else value for value in row)


def write_synthetic_result(path):
    """Write a small result file that follows SCHEMA.md version 4."""
    with h5py.File(path, "w") as f:
        meta = f.create_group("meta")
        _write_attributes(meta, META)
        meta.create_dataset("scenario", data=SCENARIO_TOML, dtype=STRING)

        _write_table(f, "jobs", np.array([_encoded(job) for job in JOBS], dtype=JOB_DTYPE), JOB_UNITS)

        times = np.arange(0.0, HORIZON_S, INTERVAL_S)
        for index, (name, attributes) in enumerate(CAMPUSES.items()):
            pue, intensity, price, ambient, fragmented = CAMPUS_SIGNALS[name]
            group = f.create_group(f"campuses/{name}")
            _write_attributes(group, {k: (v, CAMPUS_UNITS.get(k)) for k, v in attributes.items()})
            rows = np.zeros(len(times), dtype=TIMESERIES_DTYPE)
            rows["time_s"] = times
            rows["it_power_w"] = (5 + index) * 1e6 * (1.5 + np.sin(times / 86400 * 2 * np.pi))
            rows["facility_power_w"] = rows["it_power_w"] * pue
            rows["gpus_busy"] = np.minimum(attributes["gpus"], 100.0 * (1 + times / 3600))
            facility_kwh = rows["facility_power_w"] * INTERVAL_S / 3.6e6
            rows["carbon_kg"] = np.cumsum(facility_kwh * intensity / 1000)
            rows["ambient_c"] = ambient
            rows["pue"] = pue
            rows["carbon_g_per_kwh"] = intensity
            rows["price_eur_per_mwh"] = price
            rows["cost_eur"] = np.cumsum(facility_kwh / 1000 * price)
            rows["gpus_fragmented"] = fragmented
            _write_table(group, "timeseries", rows, TIMESERIES_UNITS)

        _write_table(f, "limits", np.array([_encoded(row) for row in LIMITS], dtype=LIMIT_DTYPE), LIMIT_UNITS)
        _write_table(f, "failures", np.array([_encoded(row) for row in FAILURES], dtype=FAILURE_DTYPE),
                     FAILURE_UNITS)
        _write_table(f, "periods", np.array([_encoded(row) for row in PERIODS], dtype=PERIOD_DTYPE), PERIOD_UNITS)
        economics = _write_table(f, "economics", np.array(ECONOMICS, dtype=ECONOMICS_DTYPE), ECONOMICS_UNITS)
        _write_attributes(economics, ECONOMICS_ATTRIBUTES)
        _write_attributes(f.create_group("summary"), SUMMARY)
        for name, attributes in SERVICES.items():
            group = f.create_group(f"services/{name}")
            _write_attributes(group, attributes)
            rows = np.zeros(len(times), dtype=SERVICE_DTYPE)
            rows["time_s"] = times
            rows["requests_per_s"] = 10.0
            rows["input_tokens_per_s"] = 10.0 * 1000
            rows["output_tokens_per_s"] = 10.0 * 200
            rows["replicas"] = 2.0
            rows["gpus"] = 16.0
            rows["slo_attainment"] = 0.99
            rows["power_w"] = 8000.0
            _write_table(group, "timeseries", rows, SERVICE_UNITS)


@pytest.fixture(scope="session")
def synthetic_h5(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.h5"
    write_synthetic_result(path)
    return path


# ---------------------------------------------------------------------------------------------- sweep directory

SWEEP_NAME = "synthetic-sweep"
SWEEP_HORIZON_S = 7 * 86400.0
# Parameters in sweep-file order (cartesian product, first varies slowest; replicas innermost). The first is a
# string, so "the first two numeric parameters" are the power cap and the grid connection.
SWEEP_GRID = {
    "scheduler.policy": ["fifo", "easy-backfill"],
    "campus.paris.cluster.h100-a.power_cap_w": [400.0, 550.0, 700.0],
    "campus.paris.grid_connection_mw": [0.8, 1.2],
}
SWEEP_REPLICAS = 2  # seeds 1 and 2
SWEEP_FAILED = ("fifo", 700.0, 1.2, 1)    # (policy, cap, grid, replica): its run failed
SWEEP_PENDING = ("fifo", 550.0, 0.8, 1)   # not run yet
SWEEP_ERROR = "scenarios/examples/quickstart.toml: campus.paris.grid_connection_mw: too small (got 1.2)"
# /summary metrics: float64 columns in sorted order, then the text metric; then jobs_per_day (as the writer).
SWEEP_NUMBER_METRICS = sorted([
    "jobs_submitted", "jobs_completed", "jobs_running", "jobs_queued", "jobs_failed", "it_energy_j", "facility_energy_j",
    "carbon_kg", "mean_wait_s", "p95_wait_s", "gpu_hours_busy", "gpu_utilization", "energy_cost_eur",
    "mean_bounded_slowdown", "preemptions", "interruptions", "work_lost_gpu_hours", "mean_gpus_fragmented",
    "limits_exceeded", "tokens_trained", "training_flops", "failures", "failure_interruptions", "gpu_hours_lost",
    "effective_training_time", "goodput", "tokens_served", "output_tokens_served", "energy_per_1k_output_tokens_j",
    "cost_per_million_tokens_eur", "slo_attainment", "budget_exceeded_s", "time_capped_s", "work_slowed_gpu_hours",
    "power_stops", "power_pauses", "power_work_lost_gpu_hours", "jobs_delayed_by_power", "grid_event_s", "curtailed_energy_j", "curtailed_cost_eur",
    "curtailed_carbon_kg", "jobs_dispatched_away", "jobs_moved", "data_moved_bytes", "capex_eur", "tco_eur", "npc_eur",
    "tco_per_gpu_hour_eur", "tco_per_million_tokens_eur", "tco_per_training_run_eur"])
SWEEP_METRICS = SWEEP_NUMBER_METRICS + ["binding_limit", "jobs_per_day"]
SWEEP_METRIC_UNITS = {"it_energy_j": "J", "facility_energy_j": "J", "carbon_kg": "kg", "mean_wait_s": "s",
                      "p95_wait_s": "s", "gpu_hours_busy": "h", "energy_cost_eur": "EUR", "work_lost_gpu_hours": "h",
                      "gpu_hours_lost": "h", "energy_per_1k_output_tokens_j": "J", "cost_per_million_tokens_eur": "EUR",
                      "budget_exceeded_s": "s", "time_capped_s": "s", "work_slowed_gpu_hours": "h", "grid_event_s": "s",
                      "power_work_lost_gpu_hours": "h",
                      "curtailed_energy_j": "J", "curtailed_cost_eur": "EUR", "curtailed_carbon_kg": "kg",
                      "data_moved_bytes": "B", "capex_eur": "EUR", "tco_eur": "EUR", "npc_eur": "EUR",
                      "tco_per_gpu_hour_eur": "EUR", "tco_per_million_tokens_eur": "EUR",
                      "tco_per_training_run_eur": "EUR"}


def sweep_point_metrics(policy, cap, grid, replica):
    """The synthetic model of a done point. jobs_completed = 1000 + cap + 500 x grid (+100 with backfill),
    carbon_kg = 10 x cap + 2000 x grid; replica 0 has 10 jobs fewer and 5 kg more, replica 1 the reverse, so
    two replicas average to the model."""
    sign = -1 if replica == 0 else 1
    completed = 1000 + cap + 500 * grid + (100 if policy == "easy-backfill" else 0) + 10 * sign
    carbon = 10 * cap + 2000 * grid - 5 * sign
    facility = carbon * 1000 / 50 * 3.6e6  # 50 g/kWh
    return {
        "jobs_submitted": completed + 50, "jobs_completed": completed, "jobs_running": 40.0, "jobs_queued": 10.0, "jobs_failed": 0.0,
        "it_energy_j": facility / 1.3, "facility_energy_j": facility, "carbon_kg": carbon,
        "mean_wait_s": 1e6 / cap, "p95_wait_s": 3e6 / cap, "gpu_hours_busy": completed * 10,
        "gpu_utilization": completed * 10 / (1024 * 168), "energy_cost_eur": facility / 3.6e9 * 80,
        "mean_bounded_slowdown": 1 + 1000 / cap, "preemptions": 0.0, "interruptions": 0.0,
        "work_lost_gpu_hours": 0.0, "mean_gpus_fragmented": 1.5, "limits_exceeded": 0.0,
        "tokens_trained": 0.0, "training_flops": 0.0, "failures": 0.0, "failure_interruptions": 0.0,
        "gpu_hours_lost": 0.0, "effective_training_time": 1.0, "goodput": 1.0,
        "tokens_trained": 0.0, "training_flops": 0.0, "tokens_served": 0.0, "output_tokens_served": 0.0,
        "energy_per_1k_output_tokens_j": NAN, "cost_per_million_tokens_eur": NAN, "slo_attainment": NAN,
        "budget_exceeded_s": 0.0, "time_capped_s": 0.0, "work_slowed_gpu_hours": 0.0, "power_stops": 0.0,
        "power_pauses": 0.0, "power_work_lost_gpu_hours": 0.0, "jobs_delayed_by_power": 0.0, "grid_event_s": 0.0, "curtailed_energy_j": 0.0, "curtailed_cost_eur": 0.0,
        "curtailed_carbon_kg": 0.0,
        "jobs_dispatched_away": 0.0, "jobs_moved": 0.0, "data_moved_bytes": 0.0,
        "capex_eur": 5e6, "tco_eur": 1e5 + facility / 3.6e9 * 80, "npc_eur": 5e6 + facility / 3.6e9 * 80,
        "tco_per_gpu_hour_eur": (1e5 + facility / 3.6e9 * 80) / (completed * 10), "tco_per_million_tokens_eur": NAN,
        "tco_per_training_run_eur": NAN,
        "binding_limit": "paris:grid" if grid < 1 else "paris:racks",
        "jobs_per_day": completed / 7,
    }


def _fnv1a_64(text):
    value = 14695981039346656037
    for byte in text.encode():
        value = ((value ^ byte) * 1099511628211) % 2**64
    return value


def sweep_point_id(settings, seed):
    """As the writer: FNV-1a of the sorted `key=value` lines and `seed=N`, last 12 hex digits."""
    parts = sorted(f"{key}={json.dumps(value) if isinstance(value, str) else repr(value)}"
                   for key, value in settings.items())
    return "p" + f"{_fnv1a_64(''.join(part + chr(10) for part in parts) + f'seed={seed}'):016x}"[-12:]


def sweep_plan():
    """The synthetic sweep's points in plan order: dicts with id, replica, seed, status and parameters."""
    keys = list(SWEEP_GRID)
    points = []
    for policy in SWEEP_GRID[keys[0]]:
        for cap in SWEEP_GRID[keys[1]]:
            for grid in SWEEP_GRID[keys[2]]:
                for replica in range(SWEEP_REPLICAS):
                    combination = (policy, cap, grid, replica)
                    settings = dict(zip(keys, (policy, cap, grid)))
                    status = ("failed" if combination == SWEEP_FAILED else
                              "pending" if combination == SWEEP_PENDING else "done")
                    points.append({"id": sweep_point_id(settings, 1 + replica), "replica": replica,
                                   "seed": 1 + replica, "status": status, **settings})
    return points


def _text_field(values, minimum=1):
    return f"S{max([minimum] + [len(value.encode()) + 1 for value in values])}"


def write_synthetic_sweep(directory):
    """Write a sweep directory exactly as SCHEMA.md's "Sweep index" section describes: sweep.toml, plan.tsv,
    points/<id>.h5 (a synthetic result) and <id>.stats.json for done points, points/<id>.err for the failed
    one, logs/<id>.log, and the index sweep.h5. Returns the directory."""
    directory = Path(directory)
    (directory / "points").mkdir(parents=True, exist_ok=True)
    (directory / "logs").mkdir(exist_ok=True)
    keys = list(SWEEP_GRID)
    (directory / "sweep.toml").write_text(
        f'[sweep]\nname = "{SWEEP_NAME}"\nscenario = "../../scenarios/examples/quickstart.toml"\n'
        f'replicas = {SWEEP_REPLICAS}\n\n[grid]\n'
        + "".join(f'"{key}" = {json.dumps(values)}\n' for key, values in SWEEP_GRID.items()))
    points = sweep_plan()
    (directory / "plan.tsv").write_text("\t".join(["id", "replica", "seed"] + keys) + "\n" + "".join(
        "\t".join(str(value) for value in [p["id"], p["replica"], p["seed"]] + [p[key] for key in keys]) + "\n"
        for p in points))
    template = directory / "points" / ".template.h5"
    write_synthetic_result(template)

    rows = []
    for p in points:
        done = p["status"] == "done"
        metrics = sweep_point_metrics(p[keys[0]], p[keys[1]], p[keys[2]], p["replica"]) if done else {}
        wall = 0.5 + p[keys[1]] / 1000 if done else NAN
        if done:
            shutil.copy(template, directory / "points" / f"{p['id']}.h5")
            (directory / "points" / f"{p['id']}.stats.json").write_text(json.dumps({"wall_s": wall}) + "\n")
        if p["status"] == "failed":
            (directory / "points" / f"{p['id']}.err").write_text(f"2\n{SWEEP_ERROR}\n")
        if p["status"] != "pending":
            (directory / "logs" / f"{p['id']}.log").write_text("" if done else SWEEP_ERROR + "\n")
        rows.append((p["id"], p["status"], p["replica"], p["seed"], *[p[key] for key in keys],
                     *[metrics.get(name, NAN) for name in SWEEP_NUMBER_METRICS], metrics.get("binding_limit", ""),
                     SWEEP_HORIZON_S, metrics.get("jobs_per_day", NAN), wall, f"points/{p['id']}.h5",
                     SWEEP_ERROR if p["status"] == "failed" else ""))
    template.unlink()

    dtype = np.dtype(
        [("id", "S16"), ("status", "S8"), ("replica", "<i8"), ("seed", "<i8")]
        + [(key, _text_field(values) if isinstance(values[0], str) else "<f8") for key, values in SWEEP_GRID.items()]
        + [(name, "<f8") for name in SWEEP_NUMBER_METRICS] + [("binding_limit", "S48")]
        + [("horizon_s", "<f8"), ("jobs_per_day", "<f8"), ("wall_s", "<f8"), ("path", "S64"), ("error", "S256")])
    units = {"replica": "1", "seed": "1", **{name: SWEEP_METRIC_UNITS.get(name, "1") for name in SWEEP_NUMBER_METRICS},
             "horizon_s": "s", "jobs_per_day": "1/d", "wall_s": "s"}
    counts = {status: sum(p["status"] == status for p in points) for status in ("done", "failed", "pending")}
    with h5py.File(directory / "sweep.h5", "w") as f:
        f.attrs["schema_version"] = np.int64(1)
        f.attrs["schema_version.units"] = "1"
        f.attrs["kind"] = "fleetsim-sweep"
        f.attrs["name"] = SWEEP_NAME
        f.attrs["scenario_path"] = str(REPO / "scenarios/examples/quickstart.toml")
        f.attrs.create("parameters", keys, dtype=STRING)
        f.attrs.create("metrics", SWEEP_METRICS, dtype=STRING)
        f.attrs["points"] = np.int64(len(points))
        f.attrs["points.units"] = "1"
        for status, count in counts.items():
            f.attrs[status] = np.int64(count)
            f.attrs[f"{status}.units"] = "1"
        f.attrs["fleetsim_version"] = "0.1.0"
        f.attrs["created_utc"] = "2026-11-26T09:00:00Z"
        table = f.create_dataset("points", data=np.array([_encoded(row) for row in rows], dtype=dtype))
        for field, unit in units.items():
            table.attrs[f"{field}.units"] = unit
    return directory


@pytest.fixture(scope="session")
def synthetic_sweep(tmp_path_factory):
    return write_synthetic_sweep(tmp_path_factory.mktemp("sweeps") / SWEEP_NAME)


# ---------------------------------------------------------------------------------------------- environment

@pytest.fixture(scope="session")
def fleetsim_bin():
    """The built simulator from $FLEETSIM_BIN; skips the test when unset (session-wide: module fixtures use it)."""
    binary = os.environ.get("FLEETSIM_BIN")
    if not binary:
        pytest.skip("FLEETSIM_BIN is not set")
    if not Path(binary).is_file():
        pytest.fail(f"FLEETSIM_BIN={binary} does not exist")
    return Path(binary).resolve()


def analysis_env():
    """Environment for subprocesses/kernels: analysis/ on PYTHONPATH, headless matplotlib."""
    env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ANALYSIS), env.get("PYTHONPATH")]))
    return env


def nan_equal(a, b):
    """Equality that treats NaN as equal to NaN (for expected rows)."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))

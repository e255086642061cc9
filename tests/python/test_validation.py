"""Validation scenarios (scenarios/validation/): the simulator against published figures. Each scenario's
header comment gives its sources; the bounds here are the ones stated there."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fleetsim
from conftest import REPO


@pytest.fixture
def run_validation(fleetsim_bin, tmp_path):
    def run(name):
        out = tmp_path / f"{name}.h5"
        subprocess.run([str(fleetsim_bin), "run", f"scenarios/validation/{name}.toml", "-o", str(out), "--quiet"],
                       cwd=REPO, check=True, capture_output=True, timeout=600)
        return fleetsim.load(out)
    return run


def annual_pue(result, campus):
    attributes = result.campus_attributes(campus)
    return attributes["facility_energy_j"] / attributes["it_energy_j"]


def test_dgx_h100_full_load_and_mlperf_like_power(run_validation):
    power_w = run_validation("dgx-h100-power").timeseries("lab")["it_power_w"].to_numpy()
    assert power_w[0] <= 10_200  # NVIDIA DGX H100 datasheet maximum
    assert power_w[0] >= 8_000   # measured peaks 8.4-8.5 kW (Latif et al. 2025)
    for training_w in power_w[1:]:
        assert 5_700 <= training_w <= 7_900


def test_a100_fleet_gpu_power_distribution_matches_acme(run_validation):
    result = run_validation("a100-acme-power")
    horizon_s = result.meta["horizon_s"]
    jobs = result.jobs[result.jobs["state"] != "queued"]
    gpu_seconds = (jobs["end_s"].fillna(horizon_s) - jobs["start_s"]) * jobs["gpus"]
    installed = result.campus_attributes("acme")["gpus"]
    idle_gpu_seconds = installed * horizon_s - gpu_seconds.sum()
    assert idle_gpu_seconds >= 0
    power = np.append(jobs["gpu_power_w"].to_numpy(), 62.0)  # idle A100: hw/catalog/gpus.toml
    weight = np.append(gpu_seconds.to_numpy(), idle_gpu_seconds)
    order = np.argsort(power)
    cumulative = np.cumsum(weight[order]) / weight.sum()
    median = power[order][np.searchsorted(cumulative, 0.5)]
    p90 = power[order][np.searchsorted(cumulative, 0.9)]
    # Acme (NSDI'24) DCGM power over all A100s: median 96.5 W (Seren) - 101.4 W (Kalos); p90 395 - 404 W.
    assert 96.5 * 0.75 <= median <= 101.4 * 1.25
    assert 395 * 0.9 <= p90 <= 404 * 1.1


def test_pue_stockholm_lower_than_madrid_as_free_cooling_predicts(run_validation):
    result = run_validation("pue-stockholm-madrid")
    stockholm_air, madrid_air = annual_pue(result, "stockholm-air"), annual_pue(result, "madrid-air")
    stockholm_liquid, madrid_liquid = annual_pue(result, "stockholm-liquid"), annual_pue(result, "madrid-liquid")
    assert 1.10 <= stockholm_air <= 1.22
    assert 1.20 <= madrid_air <= 1.45
    assert madrid_air - stockholm_air >= 0.05
    for liquid in (stockholm_liquid, madrid_liquid):
        assert 1.08 <= liquid <= 1.15
    assert madrid_liquid - stockholm_liquid < madrid_air - stockholm_air
    # The hourly PUE follows the weather: Madrid's summer is worse than its winter.
    madrid = result.timeseries("madrid-air")
    summer = madrid.loc[(madrid.index >= 182 * 86400) & (madrid.index < 243 * 86400), "pue"].mean()
    winter = madrid.loc[madrid.index < 59 * 86400, "pue"].mean()
    assert summer > winter + 0.1


def test_carbon_in_the_ratio_of_2023_grid_intensities(run_validation):
    result = run_validation("carbon-fr-de-pl")
    carbon = {campus: result.campus_attributes(campus)["carbon_kg"] for campus in ("fr", "de", "pl")}
    owid_2023 = {"fr": 55.27, "de": 371.31, "pl": 655.27}  # gCO2e/kWh, OWID / Ember
    assert carbon["pl"] / carbon["fr"] == pytest.approx(owid_2023["pl"] / owid_2023["fr"], rel=0.01)
    assert carbon["de"] / carbon["fr"] == pytest.approx(owid_2023["de"] / owid_2023["fr"], rel=0.15)
    de_hourly_mean = pd.read_csv(REPO / "data/grid/carbon/DE.csv")["carbon_g_per_kwh"].mean()
    assert carbon["de"] / carbon["fr"] == pytest.approx(de_hourly_mean / owid_2023["fr"], rel=0.01)
    assert result.summary["energy_cost_eur"] > 0


# --- openb-fgd: fragmentation-aware placement (FGD) against packing baselines, Weng et al., ATC'23 ---------------

OPENB_GPUS = 6212  # the trace's 1,213 GPU nodes
PLACEMENTS = ("best-fit", "first-fit", "topology-aware", "fragmentation-aware")
LEVELS = (0.9, 1.0, 1.1, 1.2, 1.3)  # arrived workload, multiples of the cluster's GPUs
# The full pod list is not shipped (research-use licence): set FLEETSIM_OPENB_POD_LIST, or keep it in the
# shared data folder next to the repository.
FULL_POD_LIST = Path(os.environ.get("FLEETSIM_OPENB_POD_LIST",
                                    REPO.parent / "shared/data/alibaba_gpu_v2023/openb_pod_list_default.csv"))


def openb_allocation(fleetsim_bin, tmp_path, placement, seed, pod_list=None):
    """GPUs allocated (fraction of the cluster's) once each LEVELS x the cluster's GPUs have arrived, the jobs,
    and the GPUs fragmented at the end (FGD's measure). Pods arrive one by one and are held: a pod that does not
    fit on arrival never does."""
    out = tmp_path / f"openb-{placement}-{seed}.h5"
    args = [str(fleetsim_bin), "run", "scenarios/validation/openb-fgd.toml", "-o", str(out), "--quiet",
            "--seed", str(seed), "--set", f"scheduler.placement={placement}"]
    if pod_list:
        args += ["--set", f"workload.openb.path={pod_list}"]
    subprocess.run(args, cwd=REPO, check=True, capture_output=True, timeout=600)
    result = fleetsim.load(out)
    jobs = result.jobs.sort_values("id")
    share = jobs["gpu_share"].to_numpy()
    arrived = np.cumsum(share) / OPENB_GPUS
    allocated = np.cumsum(np.where(jobs["start_s"].notna(), share, 0.0)) / OPENB_GPUS
    at_level = [allocated[np.searchsorted(arrived, level, side="right") - 1] for level in LEVELS]
    return np.array(at_level), jobs, result.timeseries("alibaba")["gpus_fragmented"].iloc[-1]


def check_fgd_gain(fleetsim_bin, tmp_path, seeds, pod_list, min_reduction):
    runs = {p: [openb_allocation(fleetsim_bin, tmp_path, p, s, pod_list) for s in seeds] for p in PLACEMENTS}
    ratio = {p: np.array([run[0] for run in r]) for p, r in runs.items()}
    fragmented = {p: np.mean([run[2] for run in r]) for p, r in runs.items()}
    unallocated = {p: OPENB_GPUS * (1 - r) for p, r in ratio.items()}
    for placement, r in ratio.items():
        # Below ~90% of the cluster asked for, every pod fits whatever the placement.
        assert r[:, 0] == pytest.approx(0.9, abs=0.002), placement
        assert np.all(np.diff(r, axis=1) >= 0), placement  # held pods: allocation never falls
    fgd = unallocated["fragmentation-aware"]
    for baseline in ("best-fit", "first-fit", "topology-aware"):
        # At high load (120% and 130% arrived) FGD leaves fewer GPUs unallocated, seed by seed ...
        assert np.all(fgd[:, 3:] < unallocated[baseline][:, 3:]), baseline
        # ... and by at least min_reduction on average at 130% (the paper: 31% fewer than best-fit, Fig. 9(a)).
        reduction = 1 - fgd[:, -1].mean() / unallocated[baseline][:, -1].mean()
        assert reduction >= min_reduction, (baseline, reduction)
        # Fewer GPUs fragmented for the workload's task sizes at the end (the paper's Fig. 7 measure).
        assert fragmented["fragmentation-aware"] < fragmented[baseline], baseline
    return ratio


def test_fgd_leaves_fewer_gpus_unallocated_on_the_inflated_openb_sample(fleetsim_bin, tmp_path):
    # The shipped 300 pods bootstrapped to 130% of the cluster (inflate_to): measured 97.03% of GPUs allocated
    # under best-fit, 97.57% under FGD (184 vs 151 GPUs unallocated, 18% fewer; seeds 1-5).
    check_fgd_gain(fleetsim_bin, tmp_path, seeds=(1, 2), pod_list=None, min_reduction=0.10)


@pytest.mark.skipif(not FULL_POD_LIST.exists(),
                    reason=f"full openb pod list not found at {FULL_POD_LIST} (research-use licence, not shipped; "
                           "set FLEETSIM_OPENB_POD_LIST)")
def test_fgd_leaves_fewer_gpus_unallocated_on_the_full_inflated_openb_trace(fleetsim_bin, tmp_path):
    # Every GPU pod of the default trace replays: 7,063 of 8,152 (1,088 CPU-only, 1 without run time), plus copies.
    _, jobs, _ = openb_allocation(fleetsim_bin, tmp_path, "best-fit", 1, FULL_POD_LIST)
    assert (~jobs["name"].str.contains("~")).sum() == 7063
    # Measured (seeds 1-5): best-fit 94.56%, FGD 95.29% of GPUs allocated at 130% arrived (338 vs 292
    # unallocated, 14% fewer); the paper: 93.13% vs 95.29% (427 vs 293, 31% fewer), Fig. 9(a).
    ratio = check_fgd_gain(fleetsim_bin, tmp_path, seeds=(1, 2, 3), pod_list=FULL_POD_LIST, min_reduction=0.08)
    assert ratio["fragmentation-aware"][:, -1].mean() == pytest.approx(0.9529, abs=0.01)


H100_BF16_DENSE_TFLOPS = 989.0  # hw/catalog/gpus.toml (H100 whitepaper: 989.4)


def test_llama3_405b_throughput_per_gpu_and_scaling_match_the_paper(run_validation):
    """Llama 3 paper Table 4: 430 TFLOP/s per GPU on 8,192 H100, 400 on 16,384; each within +-10%, and the
    ratio (0.930) within +-5 points. The scenario's header gives the plan and where each setting comes from."""
    jobs = run_validation("llama3-405b-training").jobs.set_index("name")
    tflops = jobs["mfu"] * H100_BF16_DENSE_TFLOPS
    published = {"llama3-405b-8192": 430.0, "llama3-405b-16384": 400.0}
    for name, figure in published.items():
        assert jobs.loc[name, "state"] == "completed"
        assert jobs.loc[name, "model"] == "llama3-405b"
        assert abs(tflops[name] / figure - 1) <= 0.10, (name, tflops[name])
    ratio = tflops["llama3-405b-16384"] / tflops["llama3-405b-8192"]
    assert abs(ratio - 400.0 / 430.0) <= 0.05, ratio
    # Tokens: 1,000 steps of 2,048 sequences of 8,192 tokens each.
    assert (jobs["tokens"] == 1000 * 2048 * 8192).all()


# MLPerf Training GPT-3 175B, NVIDIA's NeMo submissions (training_results_v3.0 / v4.0 result logs): steady step
# times and global batches. Each round's kernel_efficiency is fitted on its 512-GPU run (the scenario's header).
MLPERF_STEP_S = {"mlperf-v3.0-gpt3-512": 12.08, "mlperf-v3.0-gpt3-3584": 2.60,
                 "mlperf-v4.0-gpt3-512": 10.90, "mlperf-v4.0-gpt3-11616": 0.922}
MLPERF_BATCH = {"mlperf-v3.0-gpt3-3584": 2688, "mlperf-v4.0-gpt3-11616": 2904}


def test_mlperf_gpt3_step_times_and_scaling_from_each_round_fitted_at_512_gpus(run_validation):
    """Issue 12: 3,584 H100 (v3.0) and 11,616 H100 (v4.0) each within +-15% of the published step time, and the
    ratio of their per-GPU throughputs (0.940 published) within +-5 points."""
    jobs = run_validation("mlperf-gpt3-175b").jobs.set_index("name")
    assert (jobs["state"] == "completed").all()
    # The calibration runs: the scenario's rounded constants are still the fit of the current model (to 0.1%).
    for name in ("mlperf-v3.0-gpt3-512", "mlperf-v4.0-gpt3-512"):
        assert abs(jobs.loc[name, "step_time_s"] / MLPERF_STEP_S[name] - 1) <= 1e-3, (name, jobs.loc[name, "step_time_s"])
    for name in MLPERF_BATCH:
        assert abs(jobs.loc[name, "step_time_s"] / MLPERF_STEP_S[name] - 1) <= 0.15, (name, jobs.loc[name, "step_time_s"])

    def per_gpu(name, step_s):
        return MLPERF_BATCH[name] / step_s / jobs.loc[name, "gpus"]

    big = ("mlperf-v3.0-gpt3-3584", "mlperf-v4.0-gpt3-11616")
    published = per_gpu(big[1], MLPERF_STEP_S[big[1]]) / per_gpu(big[0], MLPERF_STEP_S[big[0]])
    assert abs(published - 0.940) < 5e-4
    predicted = per_gpu(big[1], jobs.loc[big[1], "step_time_s"]) / per_gpu(big[0], jobs.loc[big[0], "step_time_s"])
    assert abs(predicted - published) <= 0.05, predicted


# Llama 3 paper, Table 5: interruptions by root cause in 54 days on 16,384 H100 (419 in all). The table prints
# 30.1% for "Faulty GPU" although 148 / 419 = 35.3% (its other rows are count / 419): the model is calibrated on
# the counts, so its GPU share is checked against 35.3%.
LLAMA3_INTERRUPTIONS = 419
LLAMA3_SHARES = {"gpu": 148 / 419, "hbm": 72 / 419, "software": 54 / 419, "network": 35 / 419}


def test_llama3_failures_interruptions_causes_and_effective_training_time(fleetsim_bin, tmp_path):
    interruptions, causes = [], {}
    for seed in range(1, 6):
        out = tmp_path / f"failures-{seed}.h5"
        subprocess.run([str(fleetsim_bin), "run", "scenarios/validation/llama3-405b-failures.toml", "-o", str(out),
                        "--quiet", "--seed", str(seed)], cwd=REPO, check=True, capture_output=True, timeout=600)
        result = fleetsim.load(out)
        summary = result.summary
        interruptions.append(summary["failure_interruptions"])
        assert summary["effective_training_time"] > 0.90, (seed, summary["effective_training_time"])
        failures = result.failures
        hit = failures[failures["jobs_hit"] > 0]
        assert hit["jobs_hit"].sum() == summary["failure_interruptions"]
        for cause, count in hit["cause"].value_counts().items():
            causes[cause] = causes.get(cause, 0) + count
    assert abs(np.mean(interruptions) / LLAMA3_INTERRUPTIONS - 1) <= 0.15, interruptions
    total = sum(causes.values())
    for cause, share in LLAMA3_SHARES.items():
        assert abs(causes[cause] / total - share) <= 0.03, (cause, causes[cause] / total, share)


def failure_scenario(days, jobs, extra=""):
    """One campus per job, each a cluster of the job's DGX H100 servers plus 16 spare ones, Llama 3 failure rates."""
    text = f'[simulation]\nname = "failures"\nduration = "{days}d"\nseed = 1\ntelemetry_interval = "1d"\n\n' \
           '[reliability]\nfailures = "llama3"\n\n[scheduler]\npolicy = "fifo"\n'
    for i, (gpus, job_extra) in enumerate(jobs):
        text += (f'\n[[campus]]\nname = "c{i}"\ncountry = "FR"\ngrid_connection_mw = 100.0\npue = 1.2\n'
                 f'carbon_intensity_g_per_kwh = 50.0\n\n[[campus.cluster]]\nname = "h100"\nnode = "dgx-h100"\n'
                 f'nodes = {gpus // 8 + 16}\n\n[[job]]\nname = "j{i}"\ncampus = "c{i}"\ngpus = {gpus}\n'
                 f'duration = "10000d"\n{job_extra}\n')
    return text + extra


def run_text(fleetsim_bin, tmp_path, name, text):
    scenario = tmp_path / f"{name}.toml"
    scenario.write_text(text)
    out = tmp_path / f"{name}.h5"
    subprocess.run([str(fleetsim_bin), "run", str(scenario), "-o", str(out), "--quiet"], check=True,
                   capture_output=True, timeout=600)
    return fleetsim.load(out)


def test_interruptions_grow_linearly_with_job_size(fleetsim_bin, tmp_path):
    """At fixed rates a job's interruptions are proportional to its size: 1,024 to 16,384 GPUs over 400 days
    (expected 194 to 3,104 interruptions), each within 20% of the 16,384-GPU job's rate per GPU-day."""
    sizes = [1024, 2048, 4096, 8192, 16384]
    jobs = run_text(fleetsim_bin, tmp_path, "linear", failure_scenario(400, [(g, "") for g in sizes])).jobs
    per_gpu = {gpus: jobs.loc[jobs["gpus"] == gpus, "interruptions"].iloc[0] / gpus for gpus in sizes}
    expected = LLAMA3_INTERRUPTIONS / 16384 / 54 * 400  # per GPU over 400 days
    for gpus, rate in per_gpu.items():
        assert abs(rate / per_gpu[16384] - 1) <= 0.20, (gpus, rate)
        assert abs(rate / expected - 1) <= 0.20, (gpus, rate, expected)


def test_auto_checkpoint_interval_is_within_one_step_of_the_best_in_a_sweep(fleetsim_bin, tmp_path):
    """A 4,096-GPU job with 60 s checkpoint writes: Daly's interval for its MTBF (12.4 h) is 38.6 min; the swept
    interval with the highest effective training time (same failures in every run: they do not depend on the job)
    is within one step of it."""
    grid_min = [10, 20, 30, 40, 50, 60, 80, 100, 120]
    effective = {}
    for minutes in grid_min:
        text = failure_scenario(365, [(4096, f'checkpoint = {{ interval = "{minutes}min", write = "60s" }}')])
        effective[minutes] = run_text(fleetsim_bin, tmp_path, f"sweep{minutes}", text).summary["effective_training_time"]
    auto = run_text(fleetsim_bin, tmp_path, "auto",
                    failure_scenario(365, [(4096, 'checkpoint = { interval = "auto", write = "60s" }')])).summary
    best = max(effective, key=effective.get)
    daly_min = 38.6
    nearest = min(grid_min, key=lambda m: abs(m - daly_min))
    assert abs(grid_min.index(best) - grid_min.index(nearest)) <= 1, (best, effective)
    assert auto["effective_training_time"] >= effective[best] - 0.005, (auto["effective_training_time"], effective)


def test_emerald_phoenix_demand_response_holds_25_percent_with_priority_work_untouched(run_validation):
    """scenarios/validation/emerald-phoenix-dr.toml: -25% for 3 h on 256 GPUs (Emerald AI's Phoenix trial)."""
    result = run_validation("emerald-phoenix-dr")
    summary = result.summary
    series = result.timeseries("phoenix")
    time_s = np.asarray(series.index, dtype=float)
    before = series["it_power_w"][(time_s >= 9 * 3600) & (time_s < 10 * 3600)].mean()
    during = series["it_power_w"][(time_s >= 10 * 3600) & (time_s < 13 * 3600)]
    assert before == pytest.approx(251.1e3, rel=1e-3)  # the scenario's hand computation
    assert during.max() <= 0.75 * before * (1 + 1e-6)  # the trial's 25% cut, held for the whole 3 h
    assert summary["budget_exceeded_s"] == 0
    assert summary["grid_event_s"] == 3 * 3600
    assert summary["curtailed_energy_j"] >= 0.25 * before * 3 * 3600 * (1 - 1e-6)
    jobs = result.jobs.set_index("name")
    # Priority work keeps its quality of service: never capped, ends on time.
    for name in ("inference-a", "inference-b"):
        assert np.isnan(jobs.loc[name, "power_cap_w"])
        assert jobs.loc[name, "end_s"] == 24 * 3600
    # The flexible work pays: slowed during the event (GPU-hours lost to caps), done later than its 20 h.
    assert summary["work_slowed_gpu_hours"] > 0
    assert summary["power_stops"] == 0
    for name in ("train-a", "train-b", "finetune"):
        assert jobs.loc[name, "end_s"] > 20 * 3600


def test_one_gw_fleet_year_oversubscribed_by_20_percent_never_exceeds_its_budgets(fleetsim_bin, tmp_path):
    """Issue 15: every campus of the 1 GW fleet holds 1.2x its grid connection in nameplate; for a whole year,
    [power] = cap then preempt keeps facility power under every connection, while the same fleet without control
    runs above them."""
    results = {}
    for stem in ("fleet-1gw-year-budgets", "fleet-1gw-year-oversubscribed"):
        out = tmp_path / f"{stem}.h5"
        subprocess.run([str(fleetsim_bin), "run", f"scenarios/bench/{stem}.toml", "-o", str(out), "--quiet"],
                       cwd=REPO, check=True, capture_output=True, timeout=600)
        results[stem] = fleetsim.load(out)
    held, free = results["fleet-1gw-year-budgets"], results["fleet-1gw-year-oversubscribed"]
    assert held.summary["budget_exceeded_s"] == 0
    assert held.summary["time_capped_s"] > 0
    assert free.summary["budget_exceeded_s"] > 3600
    for campus in held.campuses:
        attributes = held.campus_attributes(campus)
        assert attributes["peak_facility_power_w"] <= attributes["grid_connection_w"] * (1 + 1e-9)
        assert attributes["budget_exceeded_s"] == 0
    # Holding the budget costs little work here: the same jobs complete within 0.1%.
    assert held.summary["jobs_completed"] >= 0.999 * free.summary["jobs_completed"]


def test_duke_flexible_load_curtailment_grows_with_the_nameplate_added(fleetsim_bin, tmp_path):
    """scenarios/validation/duke-flexible-load.toml: r x the nameplate behind the same connection, held by caps."""
    shares = {}
    for r in (1.0, 1.2, 1.3, 1.4):
        out = tmp_path / f"duke-{r}.h5"
        subprocess.run([str(fleetsim_bin), "run", "scenarios/validation/duke-flexible-load.toml", "-o", str(out),
                        "--quiet", "--set", f"campus.campus.cluster.h100.nodes={round(1882 * r)}",
                        "--set", f"workload.fleet.rate_per_h={8.22 * r:.4f}",
                        "--set", f"workload.fleet.jobs={round(76000 * r)}"],
                       cwd=REPO, check=True, capture_output=True, timeout=600)
        summary = fleetsim.load(out).summary
        assert summary["budget_exceeded_s"] == 0
        shares[r] = summary["work_slowed_gpu_hours"] / summary["gpu_hours_busy"]
    print("curtailed share of the load by nameplate added:", {r: f"{100 * s:.4f}%" for r, s in shares.items()})
    assert shares[1.0] == 0  # nameplate = connection: never capped
    assert shares[1.0] <= shares[1.2] < shares[1.3] < shares[1.4]
    # The campus, rarely at its nameplate, adds 30% for less than Duke's smallest curtailment rate (0.25%).
    assert shares[1.3] < 0.0025


def test_polca_thirty_percent_more_inference_servers_under_the_same_power(run_validation):
    """scenarios/validation/polca-oversubscription.toml: POLCA (arXiv:2308.12908): 30% more inference servers
    under the same power, minimal performance loss."""
    result = run_validation("polca-oversubscription")
    services = result.service_totals()
    base, over, capped = (services.loc[name] for name in ("chat-base", "chat-over", "chat-over-capped"))
    for campus in result.campuses:
        assert result.campus_attributes(campus)["budget_exceeded_s"] == 0
    # Inference at full demand draws well under its nameplate: the base campus peaks under 75% of its connection.
    base_campus = result.campus_attributes("base")
    assert base_campus["peak_facility_power_w"] < 0.75 * base_campus["grid_connection_w"]
    # +30% servers, uncapped, fit the same connection and serve 1.3x the demand at the same SLO attainment.
    assert over["output_tokens"] >= 1.28 * base["output_tokens"]
    assert abs(over["slo_attainment"] - base["slo_attainment"]) <= 0.005
    # Statically capped at 450 W (the pessimistic bound of POLCA's dynamic capping): the same demand served, with
    # prompts slowed by the cap: a small loss of SLO attainment.
    assert capped["requests_served"] == over["requests_served"]
    assert base["slo_attainment"] - capped["slo_attainment"] <= 0.025


def test_training_power_swing_against_arxiv_2508_14318_and_gb300(run_validation):
    """scenarios/validation/training-power-swing.toml: a Llama 3 405B-like run on 16,384 H100, 100 ms power for
    10 minutes. arXiv 2508.14318 (Microsoft, OpenAI, NVIDIA): swings of "tens to hundreds of megawatts" for jobs of
    tens of thousands of GPUs, once per iteration; iteration periods of one to ten seconds in production
    (arXiv 2606.22096). NVIDIA's GB300 NVL72 power shelves: up to 30 % lower peak grid demand."""
    result = run_validation("training-power-swing")
    assert result.fine_campuses == ["dc16k"]
    swing = result.swing_summary().loc["dc16k"]
    assert 1.0 <= swing["step_s"] <= 10.0                 # one swing per step of the step-time model
    assert 5.0 <= swing["swing_mw_none"] <= 50.0          # tens of MW for a 16,384-GPU job
    assert swing["step_swing_mw_none"] == pytest.approx(swing["swing_mw_none"], rel=0.01)  # every step swings fully
    assert swing["max_ramp_mw_per_s_none"] >= swing["swing_mw_none"] / 0.2  # a phase change within two samples
    # A floor at 60 % of the TDP keeps the low phases up: a smaller swing, paid in energy.
    assert 0.3 <= swing["swing_reduction_floor"] <= 0.7
    assert swing["mean_mw_floor"] > swing["mean_mw_none"]
    # Rack storage holds the grid near the mean: most of the swing gone, and a lower peak, within NVIDIA's 30 %.
    assert swing["swing_reduction_storage"] >= 0.9
    assert 0.0 < swing["peak_reduction_storage"] <= 0.30
    assert swing["mean_mw_storage"] == pytest.approx(swing["mean_mw_none"], rel=0.01)  # lossless: the same energy
    assert swing["step_swing_mw_both"] <= 0.05 * swing["step_swing_mw_none"]

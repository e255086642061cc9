"""tests/bench/run's arithmetic (a benchmark, not run by the suite): the spread of cost per job and the marginal
cost of a job, on made-up runs whose figures are worked out by hand here."""
import importlib.machinery
import importlib.util
import sys

import pytest

from conftest import REPO

BENCH = REPO / "tests/bench"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))  # run imports one_job_fleet from beside it
    loader = importlib.machinery.SourceFileLoader("bench_run", str(BENCH / "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    yield module
    sys.path.remove(str(BENCH))


def test_cost_spread_by_field_and_by_function(bench):
    results = [{"stem": "fleet-1gw-year-100th", "cost": 1.0, "reference": {"ns_per_event": 50.0}},
               {"stem": "fleet-1gw-year", "cost": 3.0, "reference": {"ns_per_event": 100.0}},
               {"stem": "fleet-1gw-year-dynamic", "cost": 99.0, "reference": {"ns_per_event": 1.0}}]  # not a spread year
    spread = bench.cost_spread(results, "cost")
    # mean 2: 1 is -50 %, 3 is +50 %
    assert spread["us_per_job"] == {"fleet-1gw-year-100th": 1.0, "fleet-1gw-year": 3.0}
    assert spread["max_over_min"] == 3.0
    assert spread["deviation_from_mean"] == {"fleet-1gw-year-100th": -0.5, "fleet-1gw-year": 0.5}
    assert spread["within_target"] is False
    floor = bench.cost_spread(results, lambda r: r["reference"]["ns_per_event"], "ns_per_event")
    # mean 75: 50 is -33.3 %, 100 is +33.3 %
    assert floor["ns_per_event"] == {"fleet-1gw-year-100th": 50.0, "fleet-1gw-year": 100.0}
    assert floor["deviation_from_mean"] == {"fleet-1gw-year-100th": -0.333, "fleet-1gw-year": 0.333}
    near = bench.cost_spread([{"stem": "fleet-1gw-year-10th", "c": 1.9}, {"stem": "fleet-1gw-year", "c": 2.1}], "c")
    assert near["within_target"] is True  # +-5 % of 2.0


def test_marginal_cost_from_medians_and_from_minima(bench, monkeypatch, tmp_path):
    # The 1/100 year has 13 workloads (one per campus): its one-job fleet runs 13 jobs. Engine times of the year:
    # 0.40, 0.30, 0.50 s (median 0.40, fastest 0.30); of the one-job fleet: 0.10, 0.25, 0.20 s (median 0.20,
    # fastest 0.10). 2,013 jobs, 2,000 added: medians (0.40 - 0.20) / 2000 = 100 us; minima (0.30 - 0.10) / 2000
    # = 100 us as well, so the second case below moves one run to tell them apart.
    year = iter([0.40, 0.30, 0.50])
    fixed = iter([0.10, 0.25, 0.20])

    def fake_run(binary, stem, work, scenario=None, extra=()):
        seconds = next(fixed) if stem.endswith("-one-job") else next(year)
        return {"jobs": 13 if stem.endswith("-one-job") else 2013, "phases_s": {"engine_run_s": seconds}}

    monkeypatch.setattr(bench, "run_one", fake_run)
    monkeypatch.setitem(bench.MARGINAL_REPEATS, "fleet-1gw-year-100th", 3)
    marginal = bench.marginal_us_per_job(None, tmp_path, "fleet-1gw-year-100th", [])
    assert len(marginal["runs"]) == len(marginal["fixed_runs"]) == 3
    assert marginal["median"] == pytest.approx(100.0)
    assert marginal["min"] == pytest.approx(100.0)
    # One fast one-job run (0.02 s) moves the minima's figure to (0.30 - 0.02) / 2000 = 140 us, not the medians'.
    year = iter([0.40, 0.30, 0.50])
    fixed = iter([0.02, 0.25, 0.20])
    marginal = bench.marginal_us_per_job(None, tmp_path, "fleet-1gw-year-100th", [])
    assert marginal["median"] == pytest.approx(100.0)
    assert marginal["min"] == pytest.approx(140.0)


def test_marginal_uncertainty_from_the_interquartile_ranges(bench):
    # Engine times 0.30, 0.40, 0.50 s: quartiles (inclusive) 0.35 and 0.45, IQR 0.10; one-job fleet 0.10, 0.20,
    # 0.25 s: quartiles 0.15 and 0.225, IQR 0.075. Half their sum, 0.0875 s, over the 2,000 jobs added: 43.75 us.
    year, fixed = [0.40, 0.30, 0.50], [0.10, 0.25, 0.20]
    assert bench.marginal_figures(year, fixed, 2000)["uncertainty"] == pytest.approx(43.75)
    assert bench.marginal_figures(year[:1], fixed[:1], 2000)["uncertainty"] == 0.0  # one run of each: no spread

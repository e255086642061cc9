"""fleetsim.planner on a small dated run whose figures are worked out by hand: a toy campus (2 nodes of 8 GPUs, idle
1,800 W, full load 6,600 W each) from 1 December 2027 to 31 January 2028, PUE 1.5, 40 g/kWh, 100 EUR/MWh; a second
cluster commissioned on 1 January 2028; one 8-GPU job running 24 h from 1 December."""
import subprocess

import pytest

import fleetsim
from fleetsim import planner

SCENARIO = """
[simulation]
start = "2027-12-01"
duration = "62d"
telemetry_interval = "1d"

[[hw.gpu]]
id = "toy-gpu"
idle_w = 100.0
max_w = 700.0

[[hw.node]]
id = "toy-node"
gpu = "toy-gpu"
gpus = 8
base_w = 1000.0

[[campus]]
name = "paris"
country = "FR"
grid_connection_mw = { "2027-12-01" = 0.05, "2028-01-01" = 0.1 }
pue = 1.5
carbon_intensity_g_per_kwh = 40.0
price_eur_per_mwh = 100.0

[[campus.cluster]]
name = "a"
node = "toy-node"
nodes = 2

[[campus.cluster]]
name = "b"
node = "toy-node"
nodes = 2
commission = "2028-01-01"

[scheduler]
policy = "fifo"

[[job]]
name = "one"
campus = "paris"
gpus = 8
submit = "0s"
duration = "24h"
gpu_utilization = 1.0
"""


@pytest.fixture(scope="module")
def run(fleetsim_bin, tmp_path_factory):
    folder = tmp_path_factory.mktemp("planner")
    (folder / "toy.toml").write_text(SCENARIO)
    subprocess.run([str(fleetsim_bin), "run", str(folder / "toy.toml"), "-o", str(folder / "toy.h5"), "--quiet"],
                   check=True, capture_output=True)
    return {"toy": fleetsim.load(folder / "toy.h5")}


def test_sites_report_the_constant_signals_and_the_connection(run):
    site = planner.sites(run).iloc[0]
    assert site["pue"] == pytest.approx(1.5)
    assert site["carbon_g_per_kwh"] == pytest.approx(40.0)
    assert site["price_eur_per_mwh"] == pytest.approx(100.0)
    assert site["grid_connection_mw"] == pytest.approx(0.1)  # the schedule's largest step


def test_accelerators_count_installed_time_from_commissioning(run):
    work = planner.accelerators(run).iloc[0]
    assert work["node"] == "toy-node"
    assert work["gpu_hours"] == pytest.approx(8 * 24)
    # a: 2 nodes x 6.6 kW x 62 days; b: 2 x 6.6 kW x 31 days (MW-years of 8,766 h).
    assert work["installed_mw_years"] == pytest.approx(2 * 6.6e-3 * (62 + 31) * 24 / 8766)
    assert work["installed_full_load_mw"] == pytest.approx(4 * 6.6e-3)


def test_buildout_gives_a_row_per_year_with_installed_power_and_connection(run):
    years = planner.buildout(run["toy"])
    assert list(years["year"]) == [2027, 2028]
    assert list(years["installed_it_mw"]) == pytest.approx([2 * 6.6e-3, 4 * 6.6e-3])
    assert list(years["grid_connection_mw"]) == pytest.approx([0.05, 0.1])
    # December: 2 idle nodes (3,600 W) for 31 days and the job's 8 x 600 W for 24 h, at PUE 1.5.
    december_it_gwh = (3600 * 31 * 24 + 4800 * 24) / 1e9
    assert years["facility_gwh"].iloc[0] == pytest.approx(1.5 * december_it_gwh)
    assert years["gpu_utilisation"].iloc[0] == pytest.approx(8 * 24 / (16 * 31 * 24))


def test_grid_use_by_month(run):
    months = planner.grid_use(run["toy"])
    assert list(months["period"]) == ["2027-12", "2028-01"]
    january = months.iloc[1]
    assert january["mean_facility_mw"] == pytest.approx(1.5 * 4 * 1800 / 1e6)
    assert january["connection_used"] == pytest.approx(1.5 * 4 * 1800 / 1e6 / 0.1)


def test_time_points_are_durations_or_dates():
    start = planner.pd.Timestamp("2027-12-01")
    assert planner.time_point_s("90d", start) == 90 * 86400
    assert planner.time_point_s("2028-01-01", start) == 31 * 86400
    assert planner.time_point_s("2027-12-01 06:00", start) == 6 * 3600


def test_costs_take_the_run_total_of_economics(run):
    cost = planner.costs(run).iloc[0]
    economics = run["toy"].economics.iloc[-1]
    assert cost["tco_meur"] == pytest.approx(economics["tco_eur"] / 1e6)
    # Four toy nodes at no catalog price (scenario-local): the capex is the facility's, 4 x 6.6 kW at the default
    # EUR 11.7M / 1.0824 per MW.
    assert cost["capex_meur"] == pytest.approx(4 * 6.6e-3 * 11.7 / 1.0824)
    assert cost["eur_per_gpu_hour"] == pytest.approx(economics["tco_eur"] / (8 * 24))


def test_accelerators_per_euro_count_depreciation_and_energy(run):
    work = planner.accelerators(run).iloc[0]
    summary = run["toy"].summary
    # Toy nodes have no price: the cost is the job's energy at the run's EUR per MWh of IT energy.
    energy_eur = work["job_energy_mwh"] * summary["energy_cost_eur"] / (summary["it_energy_j"] / 3.6e9)
    assert work["cost_eur"] == pytest.approx(energy_eur)
    assert work["gpu_hours_per_eur"] == pytest.approx(8 * 24 / energy_eur)

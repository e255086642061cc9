"""Examples are tests, with expected values: every scenario under scenarios/examples, scenarios/validation and
scenarios/bench (benchmarks shortened to 2 days, as tests/CMakeLists.txt runs them) gives the /summary figures
and per-campus IT energy and peak IT power recorded in tests/scenarios/expected/<path with / as __>.expected.json
(relative tolerance 1e-9 for floats, exact for integers and strings, NaN equal to NaN). Each file says in "why"
what makes its values plausible; tests/scenarios/expected/update.py re-generates them (explain any change of
expected values in the commit message). A few values are also worked out by hand below. Needs $FLEETSIM_BIN."""
import pytest

import scenario_figures
from scenario_figures import differences, expected_path, load_expected, scenario_paths

SCENARIOS = scenario_paths()
UPDATE = "tests/scenarios/expected/update.py FLEETSIM_BIN"


class Runs:
    """Each scenario run once per module (the hand checks reuse the runs of the expected-value tests)."""

    def __init__(self, directory):
        self.directory = directory
        self.figures_by_scenario = {}

    def figures(self, binary, scenario):
        if scenario not in self.figures_by_scenario:
            out = self.directory / (scenario.replace("/", "__") + ".h5")
            scenario_figures.run(binary, scenario, out)
            self.figures_by_scenario[scenario] = scenario_figures.read_figures(out)
        return self.figures_by_scenario[scenario]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return Runs(tmp_path_factory.mktemp("example_summaries"))


@pytest.fixture
def figures_of(runs, fleetsim_bin):
    return lambda scenario: runs.figures(fleetsim_bin, scenario)


def test_the_scenario_directories_hold_scenarios():
    assert "scenarios/examples/quickstart.toml" in SCENARIOS
    assert any(s.startswith("scenarios/validation/") for s in SCENARIOS)
    assert any(s.startswith("scenarios/bench/") for s in SCENARIOS)
    assert "scenarios/bench/fleet-10gw-year.toml" not in SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_gives_its_expected_figures(scenario, figures_of):
    path = expected_path(scenario)
    if not path.is_file():
        pytest.fail(f"{scenario}: no expected file {path.name}; run {UPDATE}, check and commit it")
    expected = load_expected(scenario)
    assert expected["scenario"] == scenario, f"{path.name} is about {expected['scenario']}, not {scenario}"
    assert expected["command"] == scenario_figures.command_line(scenario), (
        f"{scenario}: the expected values were made with `{expected['command']}`, the test runs "
        f"`{scenario_figures.command_line(scenario)}`; run {UPDATE}")
    assert expected["why"].strip(), f"{path.name}: say in \"why\", in one sentence, why these values are plausible"
    problems = differences(scenario, expected, figures_of(scenario))
    if problems:
        pytest.fail("\n".join(problems + [f"(if the change is intended: run {UPDATE} and explain it in the commit "
                                          "message)"]), pytrace=False)


def test_no_expected_file_without_its_scenario():
    wanted = {expected_path(scenario) for scenario in SCENARIOS}
    stale = sorted(p.name for p in scenario_figures.EXPECTED_DIR.glob("*.expected.json") if p not in wanted)
    assert not stale, f"expected files whose scenario is gone: {stale}; run {UPDATE}"


# ---------------------------------------------------------------------------------------------- by hand

def dgx_h100_node_w(utilization):
    """DGX H100 node power (hw/catalog/nodes.toml, gpus.toml): base_w + (base_full_w - base_w) x u + 8 x P_gpu(u)
    = 1800 + 1100 u + 8 P_gpu(u), with P_gpu the h100-sxm power curve, linear between its points; for
    u >= 0.554 the segment from (0.554, 397 W) to (1.0, 700 W)."""
    assert 0.554 <= utilization <= 1.0
    return 1800.0 + 1100.0 * utilization + 8 * (397.0 + (700.0 - 397.0) * (utilization - 0.554) / (1.0 - 0.554))


def test_dgx_h100_power_energy_is_power_times_time_by_hand(figures_of):
    figures = figures_of("scenarios/validation/dgx-h100-power.toml")
    summary, lab = figures["summary"], figures["campuses"]["lab"]
    # One node, four 1-hour jobs back to back at u = 1.0, 0.6, 0.75, 0.9:
    #   u = 1.0:  1800 + 1100       + 8 x 700                          = 8500.0 W
    #   u = 0.6:  1800 +  660       + 8 x (397 + 303 x 0.046 / 0.446)  = 2460 + 8 x 428.2511 = 5886.009 W
    #   u = 0.75: 1800 +  825       + 8 x (397 + 303 x 0.196 / 0.446)  = 2625 + 8 x 530.1570 = 6866.256 W
    #   u = 0.9:  1800 +  990       + 8 x (397 + 303 x 0.346 / 0.446)  = 2790 + 8 x 632.0628 = 7846.502 W
    # IT energy = (8500.0 + 5886.009 + 6866.256 + 7846.502) W x 3600 s = 29,098.767 W x 3600 s = 1.047556e8 J.
    assert dgx_h100_node_w(1.0) == pytest.approx(8500.0, rel=1e-12)
    by_hand_j = 3600.0 * sum(dgx_h100_node_w(u) for u in (1.0, 0.6, 0.75, 0.9))
    assert by_hand_j == pytest.approx(1.047556e8, rel=1e-6)
    assert lab["it_energy_j"] == pytest.approx(by_hand_j, rel=1e-9)
    assert summary["it_energy_j"] == pytest.approx(by_hand_j, rel=1e-9)
    # PUE 1.0: facility = IT. Carbon intensity 0: no carbon.
    assert summary["facility_energy_j"] == pytest.approx(by_hand_j, rel=1e-9)
    assert summary["carbon_kg"] == 0.0
    # Peak: the full-load hour, 8500 W. Busy: 4 jobs x 8 GPUs x 1 h = 32 GPU-hours of 8 GPUs x 4 h: utilisation 1.
    assert lab["peak_it_power_w"] == pytest.approx(8500.0, rel=1e-9)
    assert summary["gpu_hours_busy"] == pytest.approx(32.0, rel=1e-9)
    assert summary["gpu_utilization"] == pytest.approx(1.0, rel=1e-9)


def test_pue_stockholm_madrid_steady_load_by_hand(figures_of):
    figures = figures_of("scenarios/validation/pue-stockholm-madrid.toml")
    # Every campus: 100 DGX H100 nodes, all 800 GPUs busy at u = 0.8 for 365 days.
    #   node: 1800 + 880 + 8 x (397 + 303 x 0.246 / 0.446) = 2680 + 8 x 564.1256 = 7193.0045 W
    #   campus: 100 x 7193.0045 W = 719,300.45 W; x 365 x 86,400 s = 31,536,000 s -> 2.2683859e13 J
    campus_w = 100 * dgx_h100_node_w(0.8)
    assert campus_w == pytest.approx(719_300.45, rel=1e-8)
    for name in ("stockholm-air", "madrid-air", "stockholm-liquid", "madrid-liquid"):
        campus = figures["campuses"][name]
        assert campus["peak_it_power_w"] == pytest.approx(campus_w, rel=1e-9), name
        assert campus["it_energy_j"] == pytest.approx(campus_w * 365 * 86400, rel=1e-9), name
    # GPU-hours: 4 campuses x 800 GPUs x 8,760 h = 28,032,000, i.e. utilisation 1.
    assert figures["summary"]["gpu_hours_busy"] == pytest.approx(28_032_000.0, rel=1e-9)
    assert figures["summary"]["gpu_utilization"] == pytest.approx(1.0, rel=1e-9)


def test_quickstart_job_count_and_utilisation_by_hand(figures_of):
    summary = figures_of("scenarios/examples/quickstart.toml")["summary"]
    # 7,500 synthetic jobs + the pretraining run; each is completed, running or queued at the horizon.
    assert summary["jobs_submitted"] == 7_500 + 1
    assert summary["jobs_completed"] + summary["jobs_running"] + summary["jobs_queued"] == 7_501
    # Installed: (64 + 32 + 32) DGX H100 x 8 GPUs + 2 GB200 NVL72 racks x 72 = 1,168 GPUs over 7 x 24 = 168 h =
    # 196,224 GPU-hours; utilisation = busy GPU-hours (jobs and the inference API) / 196,224, about 55% as the
    # scenario's comment says.
    assert summary["gpu_utilization"] == pytest.approx(summary["gpu_hours_busy"] / (1168 * 168), rel=1e-9)
    assert 0.5 <= summary["gpu_utilization"] <= 0.6


def test_bench_idle_campus_draws_idle_power_by_hand(figures_of):
    brussels = figures_of("scenarios/bench/fleet-1gw-year-100th.toml")["campuses"]["brussels"]
    # Brussels in the 1/100 fleet: 12 DGX H100 nodes (96 GPUs) and no job of its own stream in the first 2 days,
    # so every node draws its idle power base_w + 8 x idle_w = 1800 + 8 x 75 = 2400 W: 12 x 2400 W = 28,800 W,
    # and 28,800 W x 172,800 s = 4.97664e9 J.
    assert brussels["peak_it_power_w"] == pytest.approx(28_800.0, rel=1e-9)
    assert brussels["it_energy_j"] == pytest.approx(4.97664e9, rel=1e-9)


def test_capacity_changes_installed_gpus_by_hand(figures_of):
    summary = figures_of("scenarios/examples/capacity-changes.toml")["summary"]
    # Installed: hall 1, 128 nodes x 8 GPUs for 30 days, and hall 2, 64 x 8 GPUs from day 10: 1,024 x 720 h +
    # 512 x 480 h = 983,040 GPU-hours; utilisation = busy GPU-hours over that (not over 1,536 GPUs x 720 h).
    assert summary["gpu_utilization"] == pytest.approx(summary["gpu_hours_busy"] / (1024 * 720 + 512 * 480), rel=1e-9)
    # Only maintenance stops jobs here (EASY never preempts), and every stop counts as an interruption.
    assert summary["preemptions"] == 0
    assert summary["interruptions"] > 0

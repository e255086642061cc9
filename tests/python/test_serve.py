"""End to end: `fleetsim serve` (issue 13, request level) on the Azure conversation trace and on a profile demand
(needs $FLEETSIM_BIN)."""
import json
import subprocess

from conftest import REPO

AZURE = "scenarios/validation/azure-conv-llama2-70b.toml"
EXAMPLE = "scenarios/examples/inference-service.toml"


def serve(fleetsim_bin, *args):
    run = subprocess.run([str(fleetsim_bin), "serve", *args, "--json"], cwd=REPO, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_conversation_trace_on_one_replica(fleetsim_bin):
    """One replay of the trace: its 19,366 requests, every one served by one Llama-2-70B replica on 8 H100s, with
    TTFT and TPOT percentiles in order and queueing below TTFT."""
    result = serve(fleetsim_bin, AZURE, "--replicas", "1")
    assert result["requests"] == 19366
    assert result["completed"] == 19366 and result["rejected"] == 0 and result["unfinished"] == 0
    assert result["gpus"] == 8
    assert abs(result["request_rate_rps"] - 5.53) < 0.01
    for key in ("ttft_s", "tpot_s"):
        latency = result[key]
        assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"]
    assert result["queue_s"]["p50"] < result["ttft_s"]["p50"]
    # The replica is far from saturated at 5.5 requests/s: decoding dominates, one token every ~20 ms.
    assert 0.010 < result["tpot_s"]["p50"] < 0.040
    assert 0 < result["attainment"] <= 1
    assert result["goodput_rps"] <= result["request_rate_rps"]
    capacity = result["capacity"]
    assert 0 < capacity["max_rate_rps"] < capacity["saturation_rps"]
    rates = [p["rate_rps"] for p in capacity["points"]]
    assert rates == sorted(rates)
    attainments = [p["attainment"] for p in capacity["points"]]
    assert attainments[0] >= attainments[-1]
    # Prefill draws more power than decode: the busier the replica, the more power per GPU.
    powers = [p["gpu_power_w"] for p in capacity["points"]]
    assert powers[0] < powers[-1]


def test_serve_is_deterministic(fleetsim_bin):
    first = serve(fleetsim_bin, EXAMPLE, "--duration", "10min")
    second = serve(fleetsim_bin, EXAMPLE, "--duration", "10min")
    first.pop("wall_s")
    second.pop("wall_s")
    assert first == second


def test_more_replicas_meet_the_slo_and_the_pool_search_finds_the_smallest(fleetsim_bin):
    """At 20x the trace's rate one replica is overwhelmed; the smallest pool meeting the SLO does meet it, and one
    replica fewer does not."""
    args = [AZURE, "--set", "service.conv.demand.scale=20", "--set", "campus.azure.cluster.h100.nodes=64",
            "--set", "service.conv.replicas.max=64"]
    one = serve(fleetsim_bin, *args, "--replicas", "1")
    assert not one["meets_slo"]
    found = serve(fleetsim_bin, *args, "--find-pool")
    assert found["meets_slo"]
    fewer = serve(fleetsim_bin, *args, "--replicas", str(found["replicas"] - 1))
    assert not fewer["meets_slo"]


def test_unknown_service_is_bad_input(fleetsim_bin):
    run = subprocess.run([str(fleetsim_bin), "serve", AZURE, "--service", "chat"], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr == "--service:0: --service: no such service (known: conv) (got chat)\n"

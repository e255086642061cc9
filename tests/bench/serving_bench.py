#!/usr/bin/python3
"""Inference-serving benchmark (issue 13; not a test): writes OUT_DIR/serving.json.

- request level: `fleetsim serve` of the Azure conversation trace (19,366 requests in one replay) on one
  8 x H100 Llama-2-70B replica (target <= 5 s), and of one hour of it at 100x its rate (about 1.9M requests) on the
  pool the fleet level would run (target <= 60 s);
- fleet level: the 1 GW fleet-year (scenarios/bench/fleet-1gw-year.toml) with and without ten services
  (fleet-1gw-year-services.toml, the same fleet plus [[service]] entries): what the services add (target <= 20%).
  Each is run REPEATS times, alternating, and the shortest wall time of each counts (the machine is shared: the
  shortest is the least disturbed).

usage: tests/bench/serving_bench.py [--repeats N] [FLEETSIM_BIN] [OUT_DIR]   (defaults: 3, build/fleetsim, build/bench)
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AZURE = "scenarios/validation/azure-conv-llama2-70b.toml"
TARGET = {"trace_wall_s": 5.0, "trace_100x_wall_s": 60.0, "fleet_services_overhead": 0.20}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, cpu=None):
    start, cpu_start = time.monotonic(), cpu_seconds()
    result = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    if cpu is not None:
        cpu.append(cpu_seconds() - cpu_start)
    return time.monotonic() - start, result.stdout


def serve(binary, *args):
    wall, out = timed([str(binary), "serve", AZURE, "--json", *args])
    result = json.loads(out)
    return {"wall_s": wall, "requests": result["requests"], "replicas": result["replicas"],
            "events": result["events"], "simulate_wall_s": result["wall_s"]["simulate"],
            "capacity_wall_s": result["wall_s"]["capacity"], "attainment": result["attainment"],
            "ttft_p50_s": result["ttft_s"]["p50"], "ttft_p99_s": result["ttft_s"]["p99"],
            "tpot_p50_s": result["tpot_s"]["p50"], "tpot_p99_s": result["tpot_s"]["p99"]}


def fleet(binary, stem, work):
    stats = work / f"{stem}.json"
    cpu = []
    wall, _ = timed([str(binary), "run", f"scenarios/bench/{stem}.toml", "-o", str(work / f"{stem}.h5"), "--quiet",
                     "--stats", str(stats)], cpu)
    figures = json.loads(stats.read_text())
    figures["wall_s"] = wall
    figures["cpu_s"] = cpu[0]
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("binary", nargs="?", default=str(ROOT / "build" / "fleetsim"))
    parser.add_argument("out_dir", nargs="?", default=str(ROOT / "build" / "bench"))
    args = parser.parse_args(argv)
    binary, out_dir = Path(args.binary).resolve(), Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"host": platform.node(), "cpus": os.cpu_count(), "target": TARGET,
               "load_average_start": os.getloadavg()}

    trace = min((serve(binary, "--replicas", "1") for _ in range(args.repeats)), key=lambda r: r["wall_s"])
    print(f"conversation trace, 1 replica: {trace['requests']} requests in {trace['wall_s']:.2f} s")
    fast = min((serve(binary, "--set", "service.conv.demand.scale=100", "--set", "service.conv.replicas.max=200",
                      "--set", "campus.azure.cluster.h100.nodes=200", "--duration", "1h")
                for _ in range(max(1, args.repeats - 1))), key=lambda r: r["wall_s"])
    print(f"conversation trace x100, {fast['replicas']} replicas: {fast['requests']} requests in {fast['wall_s']:.2f} s")
    results["request_level"] = {"trace": trace, "trace_100x": fast}

    runs = {"fleet-1gw-year": [], "fleet-1gw-year-services": []}
    for _ in range(args.repeats):
        for stem in runs:
            runs[stem].append(fleet(binary, stem, out_dir))
            print(f"{stem}: {runs[stem][-1]['wall_s']:.2f} s")
    best = {stem: min(r, key=lambda x: x["wall_s"]) for stem, r in runs.items()}
    base, with_services = best["fleet-1gw-year"], best["fleet-1gw-year-services"]
    overhead = with_services["wall_s"] / base["wall_s"] - 1
    # CPU time (user + system of the run) is less disturbed by other processes than wall time: reported beside it.
    cpu_overhead = min(r["cpu_s"] for r in runs["fleet-1gw-year-services"]) / min(r["cpu_s"] for r in runs["fleet-1gw-year"]) - 1
    results["fleet_level"] = {"runs": runs, "best": best, "services_overhead": overhead,
                              "services_cpu_overhead": cpu_overhead, "services_load_s": with_services["load_s"]}
    results["met"] = {"trace": trace["wall_s"] <= TARGET["trace_wall_s"],
                      "trace_100x": fast["wall_s"] <= TARGET["trace_100x_wall_s"],
                      "fleet_services_overhead": overhead <= TARGET["fleet_services_overhead"]}
    results["load_average_end"] = os.getloadavg()
    print(f"ten services add {overhead * 100:.1f}% to the 1 GW year ({base['wall_s']:.2f} s -> "
          f"{with_services['wall_s']:.2f} s; capacity curves {with_services['load_s']:.2f} s), "
          f"{cpu_overhead * 100:.1f}% of CPU time")
    (out_dir / "serving.json").write_text(json.dumps(results, indent=2) + "\n")
    print(out_dir / "serving.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

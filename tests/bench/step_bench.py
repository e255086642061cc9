#!/usr/bin/python3
"""Detailed-mode benchmark (issue 12; not a test). Runs `fleetsim step` on tests/bench/step-bench.toml and writes
OUT_DIR/step.json with, per run, the wall time, the peak RSS of the fleetsim process, the step it reports, and the
targets met or not:

1. one step of Llama 3 405B on 16,384 GPUs (2,048 DGX H100, InfiniBand NDR rail-optimised; TP 8, PP 16, DP 128):
   <= 60 s and <= 4 GiB;
2. 100 steps of Llama 3 70B on 1,024 GPUs (128 DGX H100, NDR; TP 8, PP 4, DP 32): <= 60 s;
3. for reference (no target): the 16,384-GPU step on a RoCE leaf/spine oversubscribed 2:1 (every rail simulated,
   far more flows cross leaves), and, unless --quick, the NDR step with --all-flows (no symmetry reduction: every
   rail, ring hop and replica), which must give the same step time.

usage: tests/bench/step_bench.py [--quick] [FLEETSIM_BIN] [OUT_DIR]     (defaults: build/fleetsim build/bench)
"""
import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "tests/bench/step-bench.toml"
GIB = 2**30
RUNS = [
    # name, job, extra arguments, target (None = reference only)
    ("llama3-405b-16384-gpus-1-step", "llama3-405b-16k", [], {"wall_s": 60.0, "peak_rss_bytes": 4 * GIB}),
    ("llama3-70b-1024-gpus-100-steps", "llama3-70b-1k", ["--steps", "100"], {"wall_s": 60.0}),
    ("llama3-405b-16384-gpus-1-step-roce-2to1", "llama3-405b-16k-roce", [], None),
]
ALL_FLOWS = ("llama3-405b-16384-gpus-1-step-all-flows", "llama3-405b-16k", ["--all-flows"], None)


def measured(binary, job, extra):
    """Runs fleetsim step; its wall time, its own peak RSS (wait4 on it, not all children's) and the step it printed."""
    command = [str(binary), "step", str(SCENARIO), "--job", job, "--json", *extra]
    read_end, write_end = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.dup2(write_end, 1)
        os.execv(command[0], command)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        stdout = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command)}\n{stdout}")
    return {"command": " ".join(command[1:]), "wall_s": round(wall, 3), "peak_rss_bytes": usage.ru_maxrss * 1024,
            "step": json.loads(stdout)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the --all-flows reference run (about a minute)")
    parser.add_argument("binary", nargs="?", default=ROOT / "build/fleetsim")
    parser.add_argument("out_dir", nargs="?", default=ROOT / "build/bench")
    args = parser.parse_args()
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = RUNS + ([] if args.quick else [ALL_FLOWS])
    results = {}
    for name, job, extra, target in runs:
        result = measured(args.binary, job, extra)
        result["target"] = target
        if target:
            result["meets_target"] = all(result[key] <= limit for key, limit in target.items())
        results[name] = result
        rss = result["peak_rss_bytes"] / GIB
        status = "" if target is None else ("  target met" if result["meets_target"] else "  TARGET NOT MET")
        print(f"{name:44s} {result['wall_s']:8.2f} s  {rss:6.3f} GiB  step {result['step']['step_time_s']:.4f} s{status}")
    if ALL_FLOWS[0] in results:
        reduced = results[RUNS[0][0]]["step"]["step_time_s"]
        results["all_flows_over_reduced_step_time"] = results[ALL_FLOWS[0]]["step"]["step_time_s"] / reduced
    path = out_dir / "step.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

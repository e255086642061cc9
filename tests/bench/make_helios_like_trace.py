#!/usr/bin/python3
"""Writes a Helios-format trace (SenseTime Helios, Hu et al. SC'21: cluster_log.csv columns) with the job-size
and run-time distributions of the real Helios GPU jobs, for the trace-replay benchmark (the full 3.4M-row
trace is not shippable here).

Helios GPU-job statistics (InternLM/AcmeTrace data/cluster_summary.csv, CC BY 4.0, shared/data/acme_shlab):
1,580,464 GPU jobs; run time median 206 s, mean 6,652 s, max 4.32e6 s; GPUs per job median 1, mean 3.716,
max 2,048; six months (April-September 2020). Run times: lognormal with that median and mean
(sigma = sqrt(2 ln(6652/206)) = 2.635), capped at the maximum. Sizes: a discrete mix with median 1 and
mean 3.68. Arrivals: Poisson over 183 days.

usage: make_helios_like_trace.py OUT.csv [JOBS] [SEED]
"""
import math
import random
import sys
from datetime import datetime, timedelta

MEDIAN_S, MEAN_S, MAX_S = 206.0, 6651.681, 4320009.0
SIGMA = math.sqrt(2 * math.log(MEAN_S / MEDIAN_S))
SIZES = [1, 2, 4, 8, 16, 32, 64]
WEIGHTS = [0.6, 0.1, 0.1, 0.15, 0.03, 0.015, 0.005]
SPAN_S = 183 * 86400
EPOCH = datetime(2020, 4, 1)


def main() -> int:
    out = sys.argv[1]
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 1_500_000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    mean_gap = SPAN_S / jobs
    t = 0.0
    with open(out, "w") as f:
        f.write("job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n")
        for n in range(jobs):
            t += rng.expovariate(1 / mean_gap)
            duration = min(MAX_S, max(1, round(MEDIAN_S * math.exp(SIGMA * rng.gauss(0, 1)))))
            gpus = rng.choices(SIZES, WEIGHTS)[0]
            submit = EPOCH + timedelta(seconds=int(t))
            end = submit + timedelta(seconds=duration)
            s, e = submit.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")
            f.write(f"{n},u{n % 997},vc{n % 31},{gpus},{4 * gpus},{max(1, gpus // 8)},COMPLETED,{s},{s},{e},{duration},0\n")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

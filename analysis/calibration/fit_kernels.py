#!/usr/bin/python3
"""Fits the kernel constants of the training step-time model to Vidur's measured GPU timings and writes them
to hw/catalog/kernels.toml (or checks that file with --check).

Data: data/vidur_profiling/ (Agrawal et al., "Vidur: A Large-Scale Simulation Framework for LLM Inference",
MLSys 2024; microsoft/vidur @7d47513, MIT): forward-pass operator times of one Llama-2-70B layer in fp16 on
H100 and A100 by token count and tensor-parallel degree, and NCCL all-reduce / send-recv times on DGX H100 and
DGX A100 by message size. Times are medians in ms; sizes are bytes (fp16 elements x 2).

Models fitted (each by least squares on log time, i.e. on relative error, over a grid):
- GEMM: t = t0 + max(F / (eta * peak), B / (mu * hbm)), F = 2*T*K*N flops, B = 2*(T*K + K*N + T*N) bytes.
  Fits eta (the fraction of the dense peak a large GEMM reaches) and t0 (per-kernel overhead); mu is shared
  with the element-wise fit below.
- Element-wise (layer norm, SiLU*mul, residual add, RoPE): t = t0e + B / (mu * hbm). Fits mu, t0e.
- NVLink all-reduce within one node (n = 8): t = alpha + 2(n-1)/n * S / busbw. Fits alpha, busbw.
- Inter-node send/recv (one GPU on each of two nodes): t = alpha + S / bw. Fits alpha, bw.
- Decoding GEMMs (1-16 tokens, left out of the GEMM fit above: weight streaming, the regime of LLM decoding, not of
  training): t = t0 + B / (mu_d * hbm), t0 the GEMM fit's overhead. Fits mu_d (the inference model's weight-
  streaming efficiency, sim/inference/replica_model.cpp).
The peaks and bandwidths are the catalog's (hw/catalog/gpus.toml): H100 SXM 989 TFLOP/s dense BF16/FP16,
3.35 TB/s; A100 SXM 80GB 312 TFLOP/s, 2.039 TB/s.
"""
import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "vidur_profiling"
OUTPUT = ROOT / "hw" / "catalog" / "kernels.toml"

# Catalog figures used as the roofline's ceilings (hw/catalog/gpus.toml, sourced there).
GPUS = {
    "h100-sxm": {"folder": "h100", "network": "h100_dgx", "node": "dgx-h100", "peak_tflops": 989.0, "hbm_tb_s": 3.35},
    "a100-sxm-80gb": {"folder": "a100", "network": "a100_dgx", "node": "dgx-a100", "peak_tflops": 312.0,
                      "hbm_tb_s": 2.039},
}
# Llama-2-70B dimensions as recorded in the compute CSVs (n_embd, n_expanded_embd, n_head, n_kv_head).
GEMMS = ("attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj")
ELEMENTWISE = ("input_layernorm", "post_attention_layernorm", "mlp_act", "add", "attn_rope")
MIN_TOKENS = 16  # below this, launch latency dominates every op: not the regime of training
DECODE_MAX_TOKENS = 16  # decoding GEMMs: at most this many tokens (memory-bound weight streaming)


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def gemm_shape(op, tokens, tp, h, ffn, heads, kv_heads):
    d = h // heads
    return {
        "attn_pre_proj": (tokens, h, (heads + 2 * kv_heads) * d // tp),
        "attn_post_proj": (tokens, heads * d // tp, h),
        "mlp_up_proj": (tokens, h, 2 * ffn // tp),
        "mlp_down_proj": (tokens, ffn // tp, h),
    }[op]


def elementwise_bytes(op, tokens, tp, h, ffn, heads, kv_heads):
    """Bytes read + written by one element-wise op (fp16)."""
    d = h // heads
    elements = {
        "input_layernorm": 2 * tokens * h + h,
        "post_attention_layernorm": 2 * tokens * h + h,
        "mlp_act": tokens * 2 * ffn // tp + tokens * ffn // tp,
        "add": 3 * tokens * h,
        "attn_rope": 2 * tokens * (heads + kv_heads) * d // tp,
    }[op]
    return 2 * elements


def compute_samples(gpu):
    rows = read_rows(DATA / "compute" / GPUS[gpu]["folder"] / "Llama-2-70b-hf" / "mlp.csv")
    gemm, elementwise = [], []
    for row in rows:
        tokens, tp = int(row["num_tokens"]), int(row["num_tensor_parallel_workers"])
        if tokens < MIN_TOKENS:
            continue
        h, ffn = int(row["n_embd"]), int(row["n_expanded_embd"])
        heads, kv_heads = int(row["n_head"]), int(row["n_kv_head"])
        for op in GEMMS:
            m, k, n = gemm_shape(op, tokens, tp, h, ffn, heads, kv_heads)
            seconds = float(row[f"time_stats.{op}.median"]) * 1e-3
            gemm.append((2.0 * m * k * n, 2.0 * (m * k + k * n + m * n), seconds))
        for op in ELEMENTWISE:
            seconds = float(row[f"time_stats.{op}.median"]) * 1e-3
            elementwise.append((elementwise_bytes(op, tokens, tp, h, ffn, heads, kv_heads), seconds))
    return np.array(gemm), np.array(elementwise)


def decode_samples(gpu):
    """(bytes, seconds) of the GEMMs of rows with at most DECODE_MAX_TOKENS tokens."""
    rows = read_rows(DATA / "compute" / GPUS[gpu]["folder"] / "Llama-2-70b-hf" / "mlp.csv")
    samples = []
    for row in rows:
        tokens, tp = int(row["num_tokens"]), int(row["num_tensor_parallel_workers"])
        if tokens > DECODE_MAX_TOKENS:
            continue
        h, ffn = int(row["n_embd"]), int(row["n_expanded_embd"])
        heads, kv_heads = int(row["n_head"]), int(row["n_kv_head"])
        for op in GEMMS:
            m, k, n = gemm_shape(op, tokens, tp, h, ffn, heads, kv_heads)
            samples.append((2.0 * (m * k + k * n + m * n), float(row[f"time_stats.{op}.median"]) * 1e-3))
    return np.array(samples)


def fit_decode(samples, hbm, t0):
    best = None
    for mu in np.linspace(0.05, 1.0, 96):
        error = rms_log_error(t0 + samples[:, 0] / (mu * hbm), samples[:, 1])
        if best is None or error < best[0]:
            best = (error, mu)
    return best


def rms_log_error(predicted, measured):
    return float(np.sqrt(np.mean(np.log(predicted / measured) ** 2)))


def fit_elementwise(samples, hbm):
    best = None
    for mu in np.linspace(0.05, 1.0, 96):
        for t0 in np.linspace(0, 30e-6, 61):
            error = rms_log_error(t0 + samples[:, 0] / (mu * hbm), samples[:, 1])
            if best is None or error < best[0]:
                best = (error, mu, t0)
    return best


def fit_gemm(samples, peak, hbm, mu):
    best = None
    for eta in np.linspace(0.30, 1.0, 141):
        for t0 in np.linspace(0, 30e-6, 61):
            predicted = t0 + np.maximum(samples[:, 0] / (eta * peak), samples[:, 1] / (mu * hbm))
            error = rms_log_error(predicted, samples[:, 2])
            if best is None or error < best[0]:
                best = (error, eta, t0)
    return best


def network_samples(gpu, kind, workers, per_node, min_bytes):
    rows = read_rows(DATA / "network" / GPUS[gpu]["network"] / f"{kind}.csv")
    samples = [(float(r["size"]), float(r[f"time_stats.{kind}.median"]) * 1e-3) for r in rows
               if int(r["num_workers"]) == workers and int(r["devices_per_node"]) == per_node
               and float(r["size"]) >= min_bytes]
    return np.array(sorted(samples))


def fit_latency_bandwidth(samples, factor):
    """t = alpha + factor * S / bw, least squares on log time over a grid of bw and alpha."""
    best = None
    top = factor * samples[:, 0].max() / samples[:, 1].min()
    for bw in np.geomspace(top / 200, top * 2, 400):
        for alpha in np.linspace(0, 100e-6, 101):
            error = rms_log_error(alpha + factor * samples[:, 0] / bw, samples[:, 1])
            if best is None or error < best[0]:
                best = (error, alpha, bw)
    return best


def fit_all():
    entries = []
    for gpu, spec in GPUS.items():
        peak, hbm = spec["peak_tflops"] * 1e12, spec["hbm_tb_s"] * 1e12
        gemm, elementwise = compute_samples(gpu)
        e_error, mu, t0e = fit_elementwise(elementwise, hbm)
        g_error, eta, t0g = fit_gemm(gemm, peak, hbm, mu)
        n = 8
        reduce = network_samples(gpu, "all_reduce", n, n, 1 << 20)
        r_error, r_alpha, busbw = fit_latency_bandwidth(reduce, 2 * (n - 1) / n)
        entry = {
            "gpu": gpu, "node": spec["node"],
            "sources": [f"Vidur profiling data (Agrawal et al., MLSys 2024; microsoft/vidur @7d47513, MIT), "
                        f"data/vidur_profiling/compute/{spec['folder']}/Llama-2-70b-hf/mlp.csv and "
                        f"network/{spec['network']}/{{all_reduce,send_recv}}.csv, fitted by "
                        f"analysis/calibration/fit_kernels.py"],
            "gemm_efficiency": round(eta, 3), "gemm_overhead_us": round(t0g * 1e6, 1),
            "gemm_rms_log_error": round(g_error, 3), "gemm_samples": len(gemm),
            "memory_efficiency": round(mu, 3), "elementwise_overhead_us": round(t0e * 1e6, 1),
            "elementwise_rms_log_error": round(e_error, 3), "elementwise_samples": len(elementwise),
            "allreduce_latency_us": round(r_alpha * 1e6, 1), "allreduce_bus_gb_s": round(busbw / 1e9, 1),
            "allreduce_rms_log_error": round(r_error, 3), "allreduce_samples": len(reduce),
        }
        decode = decode_samples(gpu)
        d_error, mu_d = fit_decode(decode, hbm, round(t0g * 1e6, 1) * 1e-6)
        entry.update({"decode_memory_efficiency": round(mu_d, 3), "decode_rms_log_error": round(d_error, 3),
                      "decode_samples": len(decode)})
        sendrecv = network_samples(gpu, "send_recv", 2, 1, 1 << 20)
        if len(sendrecv):
            s_error, s_alpha, bw = fit_latency_bandwidth(sendrecv, 1.0)
            entry.update({"internode_latency_us": round(s_alpha * 1e6, 1), "internode_gb_s": round(bw / 1e9, 2),
                          "internode_rms_log_error": round(s_error, 3), "internode_samples": len(sendrecv)})
        entries.append(entry)
    return entries


HEADER = """# fleetsim kernel calibration: constants of the training step-time model (sim/training/), FITTED to measured
# timings by analysis/calibration/fit_kernels.py — do not edit by hand; rerun the script (a pytest checks that
# this file is what the script gives). Data: data/vidur_profiling/ (Vidur, Agrawal et al., MLSys 2024,
# microsoft/vidur @7d47513, MIT): fp16 forward operator times of one Llama-2-70B layer (TP 1-8, 16-4096 tokens)
# and NCCL all-reduce / send-recv times on DGX H100 and DGX A100 (1-64 MiB).
#   gemm_efficiency, gemm_overhead_us: t = overhead + max(flops / (efficiency * dense peak), bytes / (memory_efficiency * HBM))
#   memory_efficiency, elementwise_overhead_us: element-wise ops, t = overhead + bytes / (memory_efficiency * HBM)
#   allreduce_latency_us, allreduce_bus_gb_s: 8-GPU NVLink all-reduce, t = latency + 2(n-1)/n * bytes / bus
#   internode_latency_us, internode_gb_s: one GPU to a GPU on another node, t = latency + bytes / bandwidth
#   decode_memory_efficiency: GEMMs of 1-16 tokens (decoding, sim/inference), t = gemm_overhead + bytes / (it * HBM)
#   *_rms_log_error: root-mean-square of ln(predicted / measured) over the fitted samples (0.10 ~ 10 %).
# Caveats: forward fp16 only (training runs backward at the same efficiency: an assumption); 64 MiB messages do
# not reach NCCL's asymptotic bandwidth; the inter-node rows are Vidur's cluster (one NIC per GPU pair), not a
# rail-optimised fabric.
"""


def to_toml(entries):
    lines = [HEADER]
    for entry in entries:
        lines.append("[[kernel_fit]]")
        for key, value in entry.items():
            if isinstance(value, list):
                lines.append(f"{key} = [" + ", ".join(f'"{item}"' for item in value) + "]")
            else:
                lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with hw/catalog/kernels.toml instead of writing")
    args = parser.parse_args(argv)
    text = to_toml(fit_all())
    if args.check:
        if OUTPUT.read_text() != text:
            print(f"{OUTPUT} differs from the fit: rerun {Path(__file__).relative_to(ROOT)}", file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} matches the fit")
        return 0
    OUTPUT.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

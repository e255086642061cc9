#!/usr/bin/python3
"""Fits lognormal token-length distributions (median = exp(mean of ln), sigma = standard deviation of ln) to the
Azure LLM inference trace 2023 (data/azure_llm_inference_2023/, Patel et al., Splitwise, ISCA 2024, CC BY 4.0) and
prints them with the trace's range: the defaults of a profile demand's prompt_tokens and output_tokens
(sim/inference/demand.cpp, azure_conversation_prompt_tokens / azure_conversation_output_tokens)."""
import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fit(path):
    prompt, output = [], []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            prompt.append(int(row["ContextTokens"]))
            output.append(int(row["GeneratedTokens"]))
    result = {}
    for name, values in (("prompt_tokens", prompt), ("output_tokens", output)):
        logs = [math.log(v) for v in values]
        mean = sum(logs) / len(logs)
        sigma = math.sqrt(sum((x - mean) ** 2 for x in logs) / len(logs))
        result[name] = {"median": round(math.exp(mean)), "sigma": round(sigma, 3), "min": min(values), "max": max(values),
                        "mean": sum(values) / len(values)}
    return result


def main():
    for trace in ("conv", "code"):
        path = ROOT / "data" / "azure_llm_inference_2023" / f"AzureLLMInferenceTrace_{trace}.csv"
        print(trace, fit(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())

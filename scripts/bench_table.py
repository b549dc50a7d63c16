"""Prints the table of Soma / PyTorch ratios from bench/results/<workload>-{soma,pytorch}.json (the last
JSON lines of `soma bench` and bench/pytorch/<workload>.py, written by scripts/bench), and fair-gemm's
from bench/results/fair-gemm.json (bench/scripts/gemm_compare.py's last line).

    python3 scripts/bench_table.py bench/results gemm mlp ...
"""
import json
import os
import statistics
import sys

results, workloads = sys.argv[1], sys.argv[2:]


def load(workload, side):
    with open(os.path.join(results, f"{workload}-{side}.json")) as f:
        return json.loads(f.read())


rows = []  # (workload, measure, soma, pytorch, ratio, target)
FAIR_TARGETS = {"sq128": "≥ 1.2", "sq256": "≥ 1.0", "sq512": "≥ 1.0", "sq1024": "≥ 1.0", "sq2048": "≥ 1.0"}
for w in workloads:
    if w == "fair-gemm":
        with open(os.path.join(results, "fair-gemm.json")) as f:
            fair = json.loads(f.read())
        for case, r in fair.items():
            rows.append((w, f"{case} GFLOP/s (median of rounds)", r["soma"], r["fair"], r["fair_ratio"],
                         FAIR_TARGETS.get(case, "≥ 0.8")))
        continue
    soma, torch = load(w, "soma"), load(w, "pytorch")
    if w == "gemm":
        for n, r in soma["results"].items():
            t = torch["results"].get(n)
            if t:
                target = "≥ 1.2" if n == "128" else "≥ 1.0"
                rows.append((w, f"n={n} GFLOP/s", r["gflops"], t["gflops"], r["gflops"] / t["gflops"], target))
    elif w in ("mlp", "cnn"):
        s, t = statistics.median(soma["epoch_seconds"]), statistics.median(torch["epoch_seconds"])
        rows.append((w, "median s/epoch", s, t, s / t, "≤ 0.5" if w == "mlp" else "≤ 0.7"))
        rows.append((w, "test accuracy", soma["test_accuracy"][-1], torch["test_accuracy"][-1],
                     soma["test_accuracy"][-1] - torch["test_accuracy"][-1], "difference"))
        rows.append((w, "peak RSS MiB", soma["peak_rss_mib"], torch["peak_rss_mib"],
                     soma["peak_rss_mib"] / torch["peak_rss_mib"], "≤ 0.5" if w == "mlp" else ""))
    elif w == "xor":
        rows.append((w, "steps/s, warm", soma["steps_per_second"], torch["steps_per_second"],
                     soma["steps_per_second"] / torch["steps_per_second"], "≥ 20"))
        rows.append((w, "steps/s, cold (fresh JVM)", soma["cold_steps_per_second"], torch["steps_per_second"],
                     soma["cold_steps_per_second"] / torch["steps_per_second"], "≥ 20"))
        rows.append((w, "final loss", soma["final_loss"], torch["final_loss"], float("nan"), ""))
    elif w == "infer":
        rows.append((w, "batch-1 median µs", soma["batch1_median_us"], torch["batch1_median_us"],
                     soma["batch1_median_us"] / torch["batch1_median_us"], "≤ 0.5"))
        rows.append((w, "batch-256 samples/s", soma["batch256_samples_per_s"], torch["batch256_samples_per_s"],
                     soma["batch256_samples_per_s"] / torch["batch256_samples_per_s"], "≥ 1.2"))



def number(x):
    """Thousands separated from 1,000 up (264,100 steps/s), four significant digits below (0.8789, 16.7)."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


print(f"| workload | measure | Soma | PyTorch (fair-gemm: OpenBLAS, 2 threads) | Soma / PyTorch | target |")
print(f"| --- | --- | ---: | ---: | ---: | --- |")
for w, m, s, t, r, target in rows:
    print(f"| {w} | {m} | {number(s)} | {number(t)} | {'' if r != r else f'{r:.3g}'} | {target} |")  # r != r: NaN, no ratio

"""Prints the table of Soma / PyTorch ratios, with the goal each row is held to, from bench/results/:
<workload>-soma.json and <workload>-pytorch-t1.json / -t2.json (the last JSON lines of `soma bench`
and bench/pytorch/<workload>.py on 1 and 2 OpenBLAS threads, or the whole runs' wall times, written
by scripts/bench), and fair-gemm.json (bench/scripts/gemm_compare.py's last line).

Each PyTorch figure is the better of its two runs, marked t1 or t2: the peer at its best.

    python3 scripts/bench_table.py bench/results gemm mlp ...
"""
import json
import os
import statistics
import sys

results, workloads = sys.argv[1], sys.argv[2:]


def load(name):
    with open(os.path.join(results, f"{name}.json")) as f:
        return json.loads(f.read())


def peers(workload):
    """{"t1": result, "t2": result} for the runs present."""
    return {t: load(f"{workload}-pytorch-{t}") for t in ("t1", "t2")
            if os.path.exists(os.path.join(results, f"{workload}-pytorch-{t}.json"))}


def after_first(seconds):
    """The median of the epochs after the first (the steady state), or of all when there is one."""
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


rows = []  # (workload, measure, soma, pytorch, which peer run, ratio, goal)


def row(w, measure, soma, pick, lower_is_better, goal, difference=False):
    """A row whose peer figure is pick(result) of the better peer run."""
    candidates = {t: pick(r) for t, r in peers(w).items()}
    best = (min if lower_is_better else max)(candidates, key=candidates.get)
    torch = candidates[best]
    rows.append((w, measure, soma, torch, best, soma - torch if difference else soma / torch, goal))


FAIR_GOALS = {"sq128": "≥ 1.2", "sq256": "≥ 1.0", "sq512": "≥ 1.0", "sq1024": "≥ 1.0", "sq2048": "≥ 1.0"}
for w in workloads:
    if w == "fair-gemm":
        for case, r in load("fair-gemm").items():
            rows.append((w, f"{case} GFLOP/s (median of rounds)", r["soma"], r["fair"], "t2", r["fair_ratio"],
                         FAIR_GOALS.get(case, "≥ 0.8")))
        continue
    soma = load(f"{w}-soma")
    if w == "gemm":
        for n, r in soma["results"].items():
            if all(n in p["results"] for p in peers(w).values()):
                row(w, f"n={n} GFLOP/s", r["gflops"], lambda p: p["results"][n]["gflops"], False,
                    "≥ 1.2" if n == "128" else "≥ 1.0")
    elif w in ("mlp", "cnn"):
        epochs = soma["epoch_seconds"]
        row(w, f"median s/epoch (epochs 2–{len(epochs)})" if len(epochs) > 1 else "s/epoch", after_first(epochs),
            lambda p: after_first(p["epoch_seconds"]), True, "≤ 0.5")
        row(w, "first epoch, s", epochs[0], lambda p: p["epoch_seconds"][0], True, "≤ 1.0")
        row(w, "test accuracy", soma["test_accuracy"][-1], lambda p: p["test_accuracy"][-1], False,
            "difference", difference=True)
        row(w, "peak RSS MiB", soma["peak_rss_mib"], lambda p: p["peak_rss_mib"], True, "≤ 0.5" if w == "mlp" else "")
    elif w == "xor":
        row(w, "steps/s, warm", soma["steps_per_second"], lambda p: p["steps_per_second"], False, "≥ 20")
        row(w, "steps/s, cold (fresh JVM)", soma["cold_steps_per_second"], lambda p: p["steps_per_second"], False,
            "≥ 20")
    elif w == "infer":
        row(w, "batch-1 median µs", soma["batch1_median_us"], lambda p: p["batch1_median_us"], True, "≤ 0.4")
        row(w, "batch-256 samples/s", soma["batch256_samples_per_s"], lambda p: p["batch256_samples_per_s"], False,
            "≥ 1.2")
    elif w.startswith("train-"):
        row(w, "whole process, median wall s", statistics.median(soma["wall_seconds"]),
            lambda p: statistics.median(p["wall_seconds"]), True, "≤ 0.6" if w == "train-mlp" else "< 1")


def number(x):
    """Thousands separated from 1,000 up (264,100 steps/s), four significant digits below (0.8789, 16.7)."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


print("| workload | measure | Soma | PyTorch at its best (OpenBLAS threads) | Soma / PyTorch | goal |")
print("| --- | --- | ---: | ---: | ---: | --- |")
for w, m, s, t, which, r, goal in rows:
    print(f"| {w} | {m} | {number(s)} | {number(t)} ({which}) | {r:.3g} | {goal} |")

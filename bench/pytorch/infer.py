"""The PyTorch side of `soma bench infer`: an MLP 784-256-128-10 (ReLU) in eval mode under no_grad,
freshly initialised. Batch 1: the median and percentiles of --calls individually timed forward calls
after 1000 of warm-up. Batch 256: samples per second over at least 200 calls and --batch-seconds,
after 50 of warm-up. One JSON line.

    /usr/bin/python3 bench/pytorch/infer.py [--calls 10000] [--batch-seconds 2] [--seed 0]
"""
import argparse
import time

import torch
import torch.nn as nn

import peer

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--calls", type=int, default=10000)
parser.add_argument("--batch-seconds", type=float, default=2.0)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

peer.setup(args.seed)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
one, batch = torch.rand(1, 784), torch.rand(256, 784)

with torch.no_grad():
    for _ in range(1000):
        model(one)
    nanoseconds = []
    for _ in range(args.calls):
        t0 = time.perf_counter_ns()
        model(one)
        nanoseconds.append(time.perf_counter_ns() - t0)

    for _ in range(50):
        model(batch)
    batch_calls = 0
    t0 = time.perf_counter()
    while batch_calls < 200 or time.perf_counter() - t0 < args.batch_seconds:
        model(batch)
        batch_calls += 1
    batch_time = time.perf_counter() - t0

nanoseconds.sort()


def quantile_us(q):
    """Element ⌊q·n⌋ of the sorted times, in µs, as soma bench infer takes it."""
    return round(nanoseconds[min(len(nanoseconds) - 1, int(q * len(nanoseconds)))] / 1000.0, 2)


peer.report({"bench": "infer", "batch1_median_us": quantile_us(0.5), "batch1_p10_us": quantile_us(0.1),
             "batch1_p90_us": quantile_us(0.9), "batch1_p99_us": quantile_us(0.99), "batch1_calls": args.calls,
             "batch256_samples_per_s": round(256 * batch_calls / batch_time, 1), "batch256_calls": batch_calls,
             "batch256_ms_per_call": round(batch_time / batch_calls * 1e3, 3)})

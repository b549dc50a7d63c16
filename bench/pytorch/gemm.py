"""The PyTorch side of `soma bench gemm`: float32 C = A·B for square n × n matrices of standard
normal entries, torch.matmul into a preallocated C. GFLOP/s = 2n³ / the median time of at least
--min-reps calls and --min-seconds, after 3 calls of warm-up. One JSON line.

    /usr/bin/python3 bench/pytorch/gemm.py [--sizes 128,256,512,1024,2048] [--min-reps 10] [--min-seconds 1]

Each product is first checked against numpy's in double precision, so a broken BLAS cannot post a number.
"""
import argparse
import time

import numpy as np
import torch

import peer

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--sizes", default="128,256,512,1024,2048")
parser.add_argument("--min-reps", type=int, default=10)
parser.add_argument("--min-seconds", type=float, default=1.0)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()


def median_seconds(product):
    for _ in range(3):
        product()
    times = []
    start = time.perf_counter()
    while len(times) < args.min_reps or time.perf_counter() - start < args.min_seconds:
        t0 = time.perf_counter()
        product()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], times[0], len(times)


peer.setup(args.seed)
rng = np.random.default_rng(args.seed)
results = {}
for n in (int(s) for s in args.sizes.split(",")):
    a = torch.from_numpy(rng.standard_normal((n, n), dtype=np.float32))
    b = torch.from_numpy(rng.standard_normal((n, n), dtype=np.float32))
    c = torch.empty(n, n)
    torch.matmul(a, b, out=c)
    exact = a.numpy().astype(np.float64) @ b.numpy().astype(np.float64)
    # float32 sums of n products of unit normals: errors grow like sqrt(n) ulps of terms of size sqrt(n)
    assert np.allclose(c.numpy(), exact, rtol=1e-4, atol=1e-5 * n), f"torch.matmul is wrong at n={n}"
    median, best, reps = median_seconds(lambda: torch.matmul(a, b, out=c))
    results[str(n)] = {"gflops": round(2.0 * n ** 3 / median / 1e9, 2), "median_s": round(median, 6),
                       "min_s": round(best, 6), "reps": reps}

peer.report({"bench": "gemm", "results": results})

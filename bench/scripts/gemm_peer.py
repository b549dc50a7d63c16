"""The PyTorch side of GemmSpeed.java: the same cases, timed the same way.

float32 C = op(A) @ op(B) with torch.matmul on transposed views (no copies: PyTorch hands the
transposition to BLAS's sgemm), 3 warm-up calls, then at least 10 calls and 1 s;
GFLOP/s = 2mnk / median time. Prints one line per case, then a JSON line. With --quiet, each case
is timed again in a second when no other process is busy (Linux /proc), as GemmSpeed --quiet does;
with --serve, case names are read from stdin (gemm_compare.py drives it).

Run as bench/pytorch runs it (Debian's python3-torch on OpenBLAS, torch 2 threads, OpenBLAS 1):
    OPENBLAS_NUM_THREADS=1 env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX \
        /usr/bin/python3 bench/scripts/gemm_peer.py [--quiet] [case ...]
With OPENBLAS_CORETYPE unset, OpenBLAS 0.3.21 does not recognise some newer Intel CPUs and falls back
to its Prescott (SSE3) kernels; the "detected" field of the JSON line tells which core it chose.
"""
import json
import sys
import time

import torch

# name, transA, transB, m, n, k: as GemmSpeed.CASES
CASES = [
    ("sq128", False, False, 128, 128, 128),
    ("sq256", False, False, 256, 256, 256),
    ("sq512", False, False, 512, 512, 512),
    ("sq1024", False, False, 1024, 1024, 1024),
    ("sq2048", False, False, 2048, 2048, 2048),
    ("sq200", False, False, 200, 200, 200),
    ("sq1000", False, False, 1000, 1000, 1000),
    ("fc1", False, False, 64, 256, 784),
    ("fc2", False, False, 64, 128, 256),
    ("fc1_NT", False, True, 64, 256, 784),
    ("fc1_TN", True, False, 784, 256, 64),
    ("sq1024_NT", False, True, 1024, 1024, 1024),
    ("sq1024_TN", True, False, 1024, 1024, 1024),
    ("sq1024_TT", True, True, 1024, 1024, 1024),
]


def parse(text):
    for case in CASES:
        if case[0] == text:
            return case
    trans, sizes = text.split(":")
    m, n, k = (int(s) for s in sizes.split(","))
    return (text, trans[0] == "T", trans[1] == "T", m, n, k)


QUIET = 0.05  # the largest share of the CPUs other processes may use while a case is timed


def ticks():
    """(all ticks, busy ticks, this process's ticks) from /proc, or zeros where it is not readable."""
    try:
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:9]]
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(cpu), sum(cpu) - cpu[3] - cpu[4], int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0, 0, 0


def others_share(before):
    now = ticks()
    total = now[0] - before[0]
    return 0.0 if total <= 0 else max(0, (now[1] - before[1]) - (now[2] - before[2])) / total


def wait_until_quiet(max_seconds=600):
    give_up = time.monotonic() + max_seconds
    while True:
        before = ticks()
        time.sleep(1)
        if others_share(before) <= QUIET or time.monotonic() > give_up:
            return ticks()


def prepare(trans_a, trans_b, m, n, k):
    torch.manual_seed(0)
    # A is stored [k, m] when transposed, B [n, k]: op(.) is then a transposed view.
    a = torch.rand(k, m) * 2 - 1 if trans_a else torch.rand(m, k) * 2 - 1
    b = torch.rand(n, k) * 2 - 1 if trans_b else torch.rand(k, n) * 2 - 1
    op_a = a.t() if trans_a else a
    op_b = b.t() if trans_b else b
    c = torch.empty(m, n)
    return lambda: torch.matmul(op_a, op_b, out=c)


def timed(call, m, n, k):
    for _ in range(3):
        call()
    times = []
    start = time.perf_counter()
    while len(times) < 10 or time.perf_counter() - start < 1.0:
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    times.sort()
    flops = 2.0 * m * n * k
    return flops / times[len(times) // 2] / 1e9, flops / times[0] / 1e9


def detected():
    try:
        from threadpoolctl import threadpool_info
        return [(p.get("internal_api"), p.get("architecture"), p.get("num_threads")) for p in threadpool_info()]
    except ImportError:
        return "threadpoolctl missing"


def serve():
    """Reads case names from stdin, answers each with 'name median best'; see GemmSpeed.serve."""
    prepared = {}
    print("ready torch", torch.__version__, detected(), flush=True)
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        name, trans_a, trans_b, m, n, k = parse(text)
        if text not in prepared:
            prepared[text] = prepare(trans_a, trans_b, m, n, k)
        median, best = timed(prepared[text], m, n, k)
        print("%s %.2f %.2f" % (text, median, best), flush=True)


def main():
    torch.set_num_threads(2)
    if "--serve" in sys.argv[1:]:
        serve()
        return
    quiet = "--quiet" in sys.argv[1:]
    cases = [parse(arg) for arg in sys.argv[1:] if arg != "--quiet"] or CASES
    print("torch", torch.__version__, "threads", torch.get_num_threads(), detected())
    results = {}
    for name, trans_a, trans_b, m, n, k in cases:
        call = prepare(trans_a, trans_b, m, n, k)
        median, best = timed(call, m, n, k)
        for _ in range(5 if quiet else 0):
            before = wait_until_quiet()
            median, best = timed(call, m, n, k)
            others = others_share(before)
            if others <= QUIET:
                break
            print("  %s: other processes used %.0f%% of the CPUs, measuring again" % (name, 100 * others))
        results[name] = round(median, 1)
        print("%-12s %s%s m=%-5d n=%-5d k=%-5d %8.1f GFLOP/s (best %.1f)"
              % (name, "T" if trans_a else "N", "T" if trans_b else "N", m, n, k, median, best), flush=True)
    print(json.dumps(dict(results, detected=str(detected()))))


if __name__ == "__main__":
    main()

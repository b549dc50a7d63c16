"""What every PyTorch peer script shares: the thread count and seeds, the configuration it ran with,
peak memory, and the one JSON line it prints.

The peer runs as /work/shared/bench/README.md prescribes and scripts/bench sets up: Debian's
/usr/bin/python3 with python3-torch on OpenBLAS (libopenblas0-pthread), torch on 2 threads, and,
for training and inference, OPENBLAS_NUM_THREADS=1 (torch's own 2 threads, not 2 × 2).

    /usr/bin/python3 bench/pytorch/peer.py                  # the configuration the peer would run with
    /usr/bin/python3 bench/pytorch/peer.py --architecture   # only the kernels OpenBLAS chose (e.g. SkylakeX)
"""
import json
import os
import resource
import sys

import torch

THREADS = 2


def setup(seed):
    """torch on THREADS threads, its global generator seeded (the weights' initialisation)."""
    torch.set_num_threads(THREADS)
    torch.manual_seed(seed)


def peak_rss_mib():
    """Peak resident memory of this process (Linux's ru_maxrss is in KiB), as VmHWM."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def configuration():
    """The interpreter, torch, its threads, the BLAS it loaded (threadpoolctl) and the OpenBLAS variables."""
    config = {
        "python": sys.executable,
        "python_version": sys.version.split()[0],
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
    }
    for variable in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"):
        config[variable] = os.environ.get(variable)
    try:
        from threadpoolctl import threadpool_info
        config["blas"] = [{k: pool.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
                          for pool in threadpool_info() if pool.get("user_api") == "blas"]
    except ImportError as e:
        config["blas"] = f"unknown: {e} (Debian's python3-threadpoolctl tells)"
    return config


def describe(config):
    """One line for a person: torch, threads, which OpenBLAS and which of its kernels."""
    blas = config["blas"]
    if isinstance(blas, list):
        blas = "; ".join(f"{p['internal_api']} {p['version']} ({p['architecture']} kernels, {p['num_threads']} threads)"
                         for p in blas) or "no BLAS found"
    variables = ", ".join(f"{v}={config[v]}" for v in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
                          if config[v] is not None) or "no OPENBLAS_* variables"
    return (f"PyTorch {config['torch']} on {config['torch_threads']} threads, Python {config['python_version']}"
            f" ({config['python']}); {blas}; {variables}")


def report(result):
    """Prints result, with the peak memory and the configuration, as one JSON line."""
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    result["config"] = configuration()
    print(json.dumps(result))


def architecture(config):
    """The kernel set the first OpenBLAS in the process runs (e.g. Prescott, Haswell, SkylakeX), or "unknown"."""
    blas = config["blas"]
    return next((p["architecture"] for p in blas if p.get("internal_api") == "openblas"), "unknown") \
        if isinstance(blas, list) else "unknown"


if __name__ == "__main__":
    torch.set_num_threads(THREADS)
    print(architecture(configuration()) if sys.argv[1:] == ["--architecture"] else describe(configuration()))

"""Soma's gemm against PyTorch's, case by case, taking turns in the same minutes.

On a machine shared with other work, speed drifts from minute to minute; so both sides stay up as
servers (GemmSpeed --serve and gemm_peer.py --serve, each case compiled and warmed once) and are
asked for the same case in turn, round after round, the order swapped every round. Each answer is
a median over at least 10 calls and 1 s; the table gives the median of those medians per side and
the median of the per-round ratios.

    python3 bench/scripts/gemm_compare.py [--rounds 5] [--peer NAME:VAR=VALUE,...]... [case ...]

Default peers: PyTorch on OpenBLAS as bench/pytorch runs it (OPENBLAS_NUM_THREADS=1, torch 2
threads) with OPENBLAS_CORETYPE unset ("asis") and set to SkylakeX ("skx1"), and with 2 OpenBLAS
threads ("skx2"). Run from the repository root after building bench/target/soma-bench.jar.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
JAR = "bench/target/soma-bench.jar"
PEERS = [
    "asis:OPENBLAS_NUM_THREADS=1,OPENBLAS_CORETYPE=",
    "skx1:OPENBLAS_NUM_THREADS=1,OPENBLAS_CORETYPE=SkylakeX",
    "skx2:OPENBLAS_NUM_THREADS=2,OPENBLAS_CORETYPE=SkylakeX",
]
CASES = ["sq128", "sq256", "sq512", "sq1024", "sq2048", "sq200", "sq1000", "fc1", "fc2", "fc1_NT", "fc1_TN",
         "sq1024_NT", "sq1024_TN", "sq1024_TT"]


class Server:
    def __init__(self, name, command, env):
        self.name = name
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.banner = self.process.stdout.readline().strip()

    def ask(self, case):
        self.process.stdin.write(case + "\n")
        self.process.stdin.flush()
        name, median, best = self.process.stdout.readline().split()
        return float(median)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def peer_env(spec):
    env = dict(os.environ)
    env.pop("OPENBLAS_L2_SIZE", None)
    for assignment in spec.split(","):
        key, value = assignment.split("=", 1)
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--peer", action="append", help="NAME:VAR=VALUE,... (an empty value unsets VAR)")
    ap.add_argument("--pause", type=float, default=0.5, help="seconds between turns, for spinning threads to sleep")
    ap.add_argument("--verbose", action="store_true", help="print every round's GFLOP/s per side")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    cases = args.cases or CASES
    soma = Server("soma", [JAVA, "--add-modules", "jdk.incubator.vector", "-cp", JAR, "dev.soma.bench.GemmSpeed",
                           "--serve"], dict(os.environ))
    peers = []
    for spec in args.peer or PEERS:
        name, assignments = spec.split(":", 1)
        peers.append(Server(name, ["/usr/bin/python3", os.path.join(HERE, "gemm_peer.py"), "--serve"],
                            peer_env(assignments)))
    print("soma:", soma.banner)
    for peer in peers:
        print(peer.name + ":", peer.banner)
    sides = [soma] + peers
    header = "%-10s %8s" % ("case", "soma") + "".join(" %8s %6s" % (p.name, "ratio") for p in peers)
    print("GFLOP/s, median of %d rounds; ratio = median of per-round soma/peer" % args.rounds)
    print(header, flush=True)
    table = {}
    for case in cases:
        for side in sides:  # compile and warm up
            side.ask(case)
        results = {side.name: [] for side in sides}
        for r in range(args.rounds):
            order = sides if r % 2 == 0 else list(reversed(sides))
            for side in order:
                time.sleep(args.pause)
                results[side.name].append(side.ask(case))
        if args.verbose:
            for side in sides:
                print("  %-8s %s" % (side.name, " ".join("%6.1f" % g for g in results[side.name])), flush=True)
        row = "%-10s %8.1f" % (case, statistics.median(results["soma"]))
        table[case] = {"soma": statistics.median(results["soma"])}
        for peer in peers:
            ratios = [s / p for s, p in zip(results["soma"], results[peer.name])]
            row += " %8.1f %6.2f" % (statistics.median(results[peer.name]), statistics.median(ratios))
            table[case][peer.name] = statistics.median(results[peer.name])
            table[case][peer.name + "_ratio"] = round(statistics.median(ratios), 3)
        print(row, flush=True)
    for side in sides:
        side.close()
    import json
    print(json.dumps(table))


if __name__ == "__main__":
    main()

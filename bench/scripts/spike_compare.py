"""Soma's CUBA network against Brian2's, taking turns in the same minutes.

Each round runs `soma spike network` and bench/brian2/cuba.py once each with the same size, length
and seed (seed = round number, so each round is another random network), in alternating order; both
report wall_seconds for the simulation alone. Prints each run, then the medians per side and the
median of the per-round ratios soma / brian2. Brian2's Cython target compiles on its first run and
caches the code: a warm-up run of Brian2 goes first and is not counted.

    python3 bench/scripts/spike_compare.py [--rounds 5] [--neurons 4000] [--seconds 10] [--synapses-per-neuron 80]

--synapses-per-neuron K connects each pair with probability K/neurons on both sides (80: the CUBA
network's 0.02 at 4000 neurons); grown networks keep K = 80, e.g. --neurons 100000 --rounds 1 --seconds 1.

Run from the repository root after building (./soma builds app/target/soma.jar when needed); needs
Debian's python3-brian and gcc.
"""
import argparse
import json
import statistics
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--neurons", type=int, default=4000)
ap.add_argument("--seconds", type=float, default=10.0)
ap.add_argument("--synapses-per-neuron", type=float, default=80.0)
a = ap.parse_args()


def soma(seed):
    out = subprocess.run(["./soma", "spike", "network", "--neurons", str(a.neurons), "--seconds", str(a.seconds),
                          "--synapses-per-neuron", str(a.synapses_per_neuron), "--seed", str(seed), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def brian(seed):
    out = subprocess.run(["/usr/bin/python3", "bench/brian2/cuba.py", "--neurons", str(a.neurons), "--seconds",
                          str(a.seconds), "--synapses-per-neuron", str(a.synapses_per_neuron), "--seed", str(seed)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


brian(0)  # compile (or load) Brian2's cached Cython code
runs = {"soma": [], "brian2": []}
for r in range(a.rounds):
    order = [("soma", soma), ("brian2", brian)] if r % 2 == 0 else [("brian2", brian), ("soma", soma)]
    for name, run in order:
        result = run(r)
        runs[name].append(result)
        print(f"round {r} {name:6s} wall {result['wall_seconds']:7.3f} s  rate {result['mean_rate_hz']:6.3f} Hz  "
              f"cv {result['isi_cv']:.3f}  synapses {result['synapses']}"
              + (f"  {result['bytes_per_synapse']:.2f} B/synapse, peak {result['peak_rss_mib']} MiB" if name == "soma" else ""),
              flush=True)


def median(name, field):
    return statistics.median(x[field] for x in runs[name])


ratios = [s["wall_seconds"] / b["wall_seconds"] for s, b in zip(runs["soma"], runs["brian2"])]
print(f"\nCUBA {a.neurons} neurons, {a.synapses_per_neuron:g} synapses each, {a.seconds} s simulated, {a.rounds} rounds (medians)")
print(f"{'':8s} {'wall s':>8s} {'s per sim s':>12s} {'rate Hz':>8s} {'ISI CV':>7s}")
for name in ("soma", "brian2"):
    wall = median(name, "wall_seconds")
    print(f"{name:8s} {wall:8.3f} {wall / a.seconds:12.3f} {median(name, 'mean_rate_hz'):8.3f} {median(name, 'isi_cv'):7.3f}")
print(f"soma / brian2 wall time: median ratio {statistics.median(ratios):.3f} (rounds: "
      + ", ".join(f"{x:.2f}" for x in ratios) + ")")
print(json.dumps({"neurons": a.neurons, "synapses_per_neuron": a.synapses_per_neuron, "bio_seconds": a.seconds, "rounds": a.rounds,
                  "soma_wall_seconds": median("soma", "wall_seconds"), "brian2_wall_seconds": median("brian2", "wall_seconds"),
                  "ratio": round(statistics.median(ratios), 3),
                  "soma_rate_hz": median("soma", "mean_rate_hz"), "brian2_rate_hz": median("brian2", "mean_rate_hz"),
                  "soma_isi_cv": median("soma", "isi_cv"), "brian2_isi_cv": median("brian2", "isi_cv")}))

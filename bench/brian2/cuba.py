"""Brian2's side of Soma's CUBA benchmark (`soma spike network`): the same network, the same JSON fields.

Vogels & Abbott (2005) as in Brian2's examples/CUBA.py: N LIF neurons (80 % excitatory), every ordered
pair connected with probability K/N, K synapses per neuron on average (--synapses-per-neuron, default
80: 0.02 at N = 4000), current-based exponential synapses, tau_m 20 ms, tau_e 5 ms, tau_i 10 ms, V_t -50 mV, V_r -60 mV, E_l -49 mV, refractory 5 ms,
w_e = 1.62 mV, w_i = -9 mV, dt 0.1 ms, exact integration. wall_seconds times run() alone, as Soma's
does; Brian2's Cython target compiles on the first run and caches the code in ~/.cython, so time a
second run. isi_cv is computed as Soma computes it: per neuron with at least two intervals,
std/mean (population std), averaged over those neurons.

    /usr/bin/python3 bench/brian2/cuba.py [--neurons 4000] [--seconds 10] [--seed 0] [--synapses-per-neuron 80]
                                          [--target cython|numpy]

Needs Debian's python3-brian (2.5.1) and gcc. Prints one JSON line.
"""
import argparse
import json
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import brian2  # noqa: E402
from brian2 import NeuronGroup, Synapses, SpikeMonitor, defaultclock, ms, mV, prefs, run, second  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--neurons", type=int, default=4000)
ap.add_argument("--seconds", type=float, default=10.0)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--synapses-per-neuron", type=float, default=80.0)
ap.add_argument("--target", default="cython")
a = ap.parse_args()

prefs.codegen.target = a.target
brian2.seed(a.seed)
defaultclock.dt = 0.1 * ms
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
eqs = """
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""
N = a.neurons
p = min(1.0, a.synapses_per_neuron / N)
P = NeuronGroup(N, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact")
P.v = "Vr + rand() * (Vt - Vr)"
P.ge = P.gi = 0 * mV
we = (60 * 0.27 / 10) * mV
wi = (-20 * 4.5 / 10) * mV
ne = int(N * 0.8)
Ce = Synapses(P[:ne], P, on_pre="ge += we")
Ci = Synapses(P[ne:], P, on_pre="gi += wi")
Ce.connect(p=p)
Ci.connect(p=p)
monitor = SpikeMonitor(P)
start = time.perf_counter()
run(a.seconds * second)
wall = time.perf_counter() - start

cvs = []
for times in monitor.spike_trains().values():
    isi = np.diff(np.asarray(times / ms))
    if len(isi) >= 2:
        cvs.append(isi.std() / isi.mean())
spikes = int(monitor.num_spikes)
print(json.dumps({"peer": "brian2", "version": brian2.__version__, "target": a.target, "seed": a.seed,
                  "neurons": N, "synapses": int(len(Ce) + len(Ci)),
                  "synapses_per_neuron": a.synapses_per_neuron, "bio_seconds": a.seconds,
                  "wall_seconds": round(wall, 3), "spikes": spikes,
                  "mean_rate_hz": round(spikes / N / a.seconds, 3),
                  "isi_cv": round(float(np.mean(cvs)), 4) if cvs else None}))

package dev.soma.spiking;

import dev.soma.tensor.kernel.Workers;
import java.util.function.IntConsumer;

/**
 * Leaky integrate-and-fire neurons with current-based exponential synapses, integrated exactly.
 *
 * <p>Between spikes the system {@code τ_m·dV/dt = −(V − E) + I + g_e + g_i},
 * {@code dg_x/dt = −g_x/τ_x} is linear with constant {@code I}, so one step of {@code dt} is a
 * product with its exact propagator (Rotter and Diesmann 1999; Brian2's {@code method="exact"}):
 *
 * <pre>
 *   V ← E + (V − E)·e^(−dt/τ_m) + I·(1 − e^(−dt/τ_m)) + g_e·P_e + g_i·P_i
 *   g_x ← g_x·e^(−dt/τ_x)
 *   P_x = τ_x/(τ_x − τ_m)·(e^(−dt/τ_x) − e^(−dt/τ_m))     (and (dt/τ_m)·e^(−dt/τ_m) when τ_x = τ_m)
 * </pre>
 *
 * <p>{@code P_x} is how much of a synaptic input present at the start of the step reaches {@code V}
 * by its end: {@code (1/τ_m)∫₀^dt e^(−(dt−s)/τ_m)·e^(−s/τ_x) ds}. The only error left is the
 * grid: a threshold crossing is seen at the end of the step in which it happened. A neuron that
 * fired is held at the reset for {@code round(t_ref/dt)} steps while its synaptic inputs keep
 * decaying (Brian2's {@code (unless refractory)}).
 *
 * <p>With conductance-based synapses ({@link ConductanceLif}) the step is the one that class
 * describes; threshold, reset and refractory period work the same.
 *
 * <p>Threads: a current-based population of at least {@link #PARALLEL_MIN} neurons steps in parts of
 * {@link #CHUNK} neurons (integrate, reset the refractory ones, find those past threshold), the parts
 * run by {@link Workers}, their spikes joined in order. Every neuron's update reads and writes only
 * its own state, and the split depends on the size alone, so the spikes and potentials are the same
 * bits on any number of threads.
 */
final class LifPopulation extends Population {

    private final Lif lif;
    /** The reversal potentials when the synapses are conductances, or null when they are currents. */
    private final ConductanceLif conductances;

    /**
     * The spikes of each of the last {@code round(t_ref/dt)} steps (slot {@code step % length}):
     * {@code [count, index…]}. These neurons are refractory.
     */
    private int[][] recentSpikes = new int[0][];
    private long stepsFired;
    private double membraneDecay;
    private double currentGain;
    private double excitatoryGain;
    private double inhibitoryGain;
    private double dtMs;

    /** Neurons per part when a step is split over threads: fixed, so the split never depends on the threads. */
    static final int CHUNK = 16_384;
    /** Smaller current-based populations step on the calling thread: a hand-off costs more than a part saves. */
    static final int PARALLEL_MIN = CHUNK;
    /** Each part's spikes and their count, made on the first split step. */
    private int[][] chunkSpikes;
    private int[] chunkCounts;
    private final IntConsumer stepChunk = this::stepChunk;

    LifPopulation(String name, int size, Lif lif, ExponentialSynapses synapses) {
        this(name, size, lif, synapses, null);
    }

    LifPopulation(String name, int size, Lif lif, ExponentialSynapses synapses, ConductanceLif conductances) {
        super(name, size, conductances != null ? conductances : lif, synapses, lif.restMv());
        this.lif = lif;
        this.conductances = conductances;
    }

    /** Whether the synapses are conductances ({@link ConductanceLif}) rather than currents. */
    boolean conductanceBased() {
        return conductances != null;
    }

    Lif lif() {
        return lif;
    }

    @Override
    void prepareModel(double dtMs) {
        this.dtMs = dtMs;
        double tau = lif.tauMs();
        double decay = Math.exp(-dtMs / tau);
        membraneDecay = decay;
        currentGain = -Math.expm1(-dtMs / tau);
        excitatoryGain = propagator(dtMs, tau, synapses().tauExcitatoryMs());
        inhibitoryGain = propagator(dtMs, tau, synapses().tauInhibitoryMs());
        recentSpikes = new int[(int) Math.round(lif.refractoryMs() / dtMs)][1];
        stepsFired = 0;
    }

    /** {@code P = τ_s/(τ_s − τ_m)·(e^(−dt/τ_s) − e^(−dt/τ_m))}, its limit {@code (dt/τ_m)e^(−dt/τ_m)} when they meet. */
    static double propagator(double dt, double tauM, double tauS) {
        if (Math.abs(tauS - tauM) < 1e-9 * tauM) {
            return dt / tauM * Math.exp(-dt / tauM);
        }
        return tauS / (tauS - tauM) * (Math.exp(-dt / tauS) - Math.exp(-dt / tauM));
    }

    @Override
    void integrate() {
        if (conductances != null) {
            integrateConductances();
        } else {
            integrateCurrents(0, size);
        }
        resetRefractory(0, size);
    }

    /** Every neuron of {@code [from, to)}, refractory or not, in one branch-free loop that C2 turns into vector code. */
    private void integrateCurrents(int from, int to) {
        double rest = lif.restMv();
        double[] v = this.v;
        double[] ge = excitatory;
        double[] gi = inhibitory;
        double[] input = current;
        for (int i = from; i < to; i++) {
            v[i] = rest + (v[i] - rest) * membraneDecay + input[i] * currentGain
                    + ge[i] * excitatoryGain + gi[i] * inhibitoryGain;
            ge[i] *= excitatoryDecay;
            gi[i] *= inhibitoryDecay;
        }
    }

    /** Then the few of {@code [from, to)} that fired in the last round(t_ref/dt) steps go back to the reset. */
    private void resetRefractory(int from, int to) {
        double reset = lif.resetMv();
        for (int[] fired : recentSpikes) {
            // fired[1..n] are in increasing order: skip to the first at or after `from`.
            int k = java.util.Arrays.binarySearch(fired, 1, fired[0] + 1, from);
            for (k = k < 0 ? -k - 1 : k; k <= fired[0] && fired[k] < to; k++) {
                v[fired[k]] = reset;
            }
        }
    }

    /** {@code V ← V∞ + (V − V∞)·e^(−dt(1 + g_e + g_i)/τ_m)} with the conductances of the step's start. */
    private void integrateConductances() {
        double rest = lif.restMv();
        double eE = conductances.excitatoryReversalMv();
        double eI = conductances.inhibitoryReversalMv();
        double stepOverTau = dtMs / lif.tauMs();
        for (int i = 0; i < size; i++) {
            double total = 1 + excitatory[i] + inhibitory[i];
            double vInfinity = (rest + excitatory[i] * eE + inhibitory[i] * eI + current[i]) / total;
            v[i] = vInfinity + (v[i] - vInfinity) * Math.exp(-stepOverTau * total);
        }
        decaySynapses();
    }

    @Override
    int fire(int[] spikes) {
        int count = fire(0, size, spikes);
        remember(spikes, count);
        return count;
    }

    /** Resets the neurons of {@code [from, to)} past threshold and writes their indices into {@code spikes} from 0. */
    private int fire(int from, int to, int[] spikes) {
        double threshold = lif.thresholdMv();
        double reset = lif.resetMv();
        int count = 0;
        for (int i = from; i < to; i++) {
            if (v[i] > threshold) {
                v[i] = reset;
                spikes[count++] = i;
            }
        }
        return count;
    }

    /** This step's spikes replace those of round(t_ref/dt) steps ago, whose refractory period is over. */
    private void remember(int[] spikes, int count) {
        if (recentSpikes.length > 0) {
            int slot = (int) (stepsFired++ % recentSpikes.length);
            int[] fired = recentSpikes[slot];
            if (fired.length < count + 1) {
                fired = recentSpikes[slot] = new int[Math.max(count + 1, 2 * fired.length)];
            }
            fired[0] = count;
            System.arraycopy(spikes, 0, fired, 1, count);
        }
    }

    @Override
    int step(int[] spikes, Workers workers) {
        if (conductances != null || size < PARALLEL_MIN || workers.threads() == 1) {
            return super.step(spikes, workers);
        }
        int chunks = (size + CHUNK - 1) / CHUNK;
        if (chunkSpikes == null) {
            chunkSpikes = new int[chunks][CHUNK];
            chunkCounts = new int[chunks];
        }
        workers.run(chunks, stepChunk);
        int count = 0;
        for (int c = 0; c < chunks; c++) {
            System.arraycopy(chunkSpikes[c], 0, spikes, count, chunkCounts[c]);
            count += chunkCounts[c];
        }
        remember(spikes, count);
        return count;
    }

    /** Part {@code c} of a split step: neurons {@code [c·CHUNK, (c + 1)·CHUNK)}, as {@link #integrate} then {@link #fire}. */
    private void stepChunk(int c) {
        int from = c * CHUNK;
        int to = Math.min(size, from + CHUNK);
        integrateCurrents(from, to);
        resetRefractory(from, to);
        chunkCounts[c] = fire(from, to, chunkSpikes[c]);
    }
}

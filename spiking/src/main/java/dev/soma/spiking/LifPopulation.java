package dev.soma.spiking;

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
 */
final class LifPopulation extends Population {

    private final Lif lif;
    private final int[] refractoryLeft;
    private double membraneDecay;
    private double currentGain;
    private double excitatoryGain;
    private double inhibitoryGain;
    private double excitatoryDecay;
    private double inhibitoryDecay;
    private int refractorySteps;

    LifPopulation(String name, int size, Lif lif, ExponentialSynapses synapses) {
        super(name, size, lif, synapses, lif.restMv());
        this.lif = lif;
        this.refractoryLeft = new int[size];
    }

    @Override
    void prepare(double dtMs) {
        Check.timeStep(dtMs);
        double tau = lif.tauMs();
        double decay = Math.exp(-dtMs / tau);
        membraneDecay = decay;
        currentGain = -Math.expm1(-dtMs / tau);
        excitatoryGain = propagator(dtMs, tau, synapses().tauExcitatoryMs());
        inhibitoryGain = propagator(dtMs, tau, synapses().tauInhibitoryMs());
        excitatoryDecay = Math.exp(-dtMs / synapses().tauExcitatoryMs());
        inhibitoryDecay = Math.exp(-dtMs / synapses().tauInhibitoryMs());
        refractorySteps = (int) Math.round(lif.refractoryMs() / dtMs);
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
        double rest = lif.restMv();
        double[] v = this.v;
        double[] ge = excitatory;
        double[] gi = inhibitory;
        double[] input = current;
        int[] left = refractoryLeft;
        for (int i = 0; i < size; i++) {
            double next = rest + (v[i] - rest) * membraneDecay + input[i] * currentGain
                    + ge[i] * excitatoryGain + gi[i] * inhibitoryGain;
            int r = left[i];
            v[i] = r > 0 ? v[i] : next;
            left[i] = r > 0 ? r - 1 : 0;
        }
        decay(ge, excitatoryDecay);
        decay(gi, inhibitoryDecay);
    }

    @Override
    int fire(int[] spikes) {
        double threshold = lif.thresholdMv();
        double reset = lif.resetMv();
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (v[i] > threshold) {
                v[i] = reset;
                refractoryLeft[i] = refractorySteps;
                spikes[count++] = i;
            }
        }
        return count;
    }
}

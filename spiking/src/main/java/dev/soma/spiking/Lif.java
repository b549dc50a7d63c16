package dev.soma.spiking;

/**
 * The leaky integrate-and-fire neuron: the membrane potential relaxes towards rest plus the input,
 *
 * <pre>
 *   τ_m · dV/dt = −(V − E_rest) + I + g_e + g_i
 * </pre>
 *
 * <p>and when {@code V} rises above the threshold θ the neuron spikes: {@code V} is set to the reset
 * and held there for the refractory period. {@code I} is the membrane resistance times the input
 * current, in millivolts; {@code g_e}, {@code g_i} are the synaptic inputs
 * ({@link ExponentialSynapses}), in the same unit.
 *
 * <p>The equation is linear, so it has a closed form: under a constant {@code I} from
 * {@code V(0) = V₀}, {@code V(t) = V∞ + (V₀ − V∞)·e^(−t/τ_m)} with {@code V∞ = E_rest + I}
 * ({@link #membrane}). Starting from the reset, the neuron reaches θ after
 * {@code T = τ_m·ln((V∞ − V_reset)/(V∞ − θ))} when {@code V∞ > θ}, so it fires at
 * {@code f = 1/(t_ref + T)} ({@link #rateHz}); with rest and reset at 0 this is
 * {@code f = 1/(t_ref + τ·ln(I/(I − θ)))}.
 *
 * @param tauMs membrane time constant τ_m, ms (> 0)
 * @param restMv resting potential E_rest, mV
 * @param thresholdMv threshold θ, mV (above the reset)
 * @param resetMv reset potential, mV
 * @param refractoryMs refractory period t_ref, ms (≥ 0)
 */
public record Lif(double tauMs, double restMv, double thresholdMv, double resetMv, double refractoryMs)
        implements NeuronModel {

    /** Vogels and Abbott's (2005) CUBA neuron: τ_m 20 ms, E_l −49 mV, V_t −50 mV, V_r −60 mV, 5 ms. */
    public static final Lif CUBA = new Lif(20, -49, -50, -60, 5);

    public Lif {
        Check.positive("membrane time constant τ", tauMs, "ms");
        Check.finite("resting potential", restMv, "mV");
        Check.finite("threshold", thresholdMv, "mV");
        Check.finite("reset", resetMv, "mV");
        Check.nonNegative("refractory period", refractoryMs, "ms");
        if (!(thresholdMv > resetMv)) {
            throw new IllegalArgumentException("threshold (" + thresholdMv + " mV) must be above the reset ("
                    + resetMv + " mV)");
        }
    }

    /** The closed form: {@code V(t) = V∞ + (V₀ − V∞)·e^(−t/τ)}, {@code V∞ = E_rest + I}, ignoring the threshold. */
    public double membrane(double v0Mv, double currentMv, double tMs) {
        double vInfinity = restMv + currentMv;
        return vInfinity + (v0Mv - vInfinity) * Math.exp(-tMs / tauMs);
    }

    /**
     * The firing rate under a constant input, Hz: {@code 1000/(t_ref + τ·ln((V∞ − V_reset)/(V∞ − θ)))},
     * or 0 when {@code V∞ = E_rest + I} does not exceed the threshold.
     */
    public double rateHz(double currentMv) {
        double vInfinity = restMv + currentMv;
        if (vInfinity <= thresholdMv) {
            return 0;
        }
        double timeToThreshold = tauMs * Math.log((vInfinity - resetMv) / (vInfinity - thresholdMv));
        return 1000 / (refractoryMs + timeToThreshold);
    }

    @Override
    public String describe() {
        return "LIF (τ " + tauMs + " ms, rest " + restMv + " mV, threshold " + thresholdMv + " mV, reset "
                + resetMv + " mV, refractory " + refractoryMs + " ms)";
    }

    @Override
    public Population population(String name, int size, ExponentialSynapses synapses) {
        return new LifPopulation(name, size, this, synapses);
    }
}

package dev.soma.spiking;

/**
 * Current-based exponential synapses: each receptor's synaptic input {@code g} jumps by the weight
 * when a spike arrives and decays between spikes, {@code dg/dt = −g/τ}, so over a step
 * {@code g ← g·e^(−dt/τ)} exactly. The input is added to the neuron's drive in the model's own
 * current unit (millivolts for {@link Lif}: Brian2's CUBA {@code ge}, {@code gi}).
 *
 * @param tauExcitatoryMs decay time constant of the excitatory input, ms (> 0)
 * @param tauInhibitoryMs decay time constant of the inhibitory input, ms (> 0)
 */
public record ExponentialSynapses(double tauExcitatoryMs, double tauInhibitoryMs) {

    /** Vogels and Abbott's (2005) CUBA values: τ_e = 5 ms, τ_i = 10 ms. */
    public static final ExponentialSynapses CUBA = new ExponentialSynapses(5, 10);

    public ExponentialSynapses {
        Check.positive("excitatory synaptic time constant τ_e", tauExcitatoryMs, "ms");
        Check.positive("inhibitory synaptic time constant τ_i", tauInhibitoryMs, "ms");
    }

    /** The time constant of {@code receptor}'s input, ms. */
    public double tauMs(Receptor receptor) {
        return receptor == Receptor.EXCITATORY ? tauExcitatoryMs : tauInhibitoryMs;
    }
}

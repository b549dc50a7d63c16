package dev.soma.spiking;

/**
 * The leaky integrate-and-fire neuron with conductance-based synapses: a synaptic input opens a
 * conductance that pulls the membrane towards its reversal potential, so its effect depends on
 * where the membrane is,
 *
 * <pre>
 *   τ_m · dV/dt = −(V − E_rest) − g_e·(V − E_e) − g_i·(V − E_i) + I
 * </pre>
 *
 * <p>with {@code g_e}, {@code g_i} in units of the leak conductance (dimensionless; a weight of 0.6
 * is Vogels and Abbott's 6 nS over a 10 nS leak), jumping by the weight at each spike and decaying
 * with {@link ExponentialSynapses}' time constants. Weights are positive for both receptors: the
 * reversal potential makes inhibition inhibit. Threshold, reset and refractory period are
 * {@code neuron}'s.
 *
 * <p>Integration: over a step the conductances are taken at their value at its start, and then
 * the equation is linear with constant coefficients, solved exactly:
 * {@code V ← V∞ + (V − V∞)·e^(−dt(1 + g_e + g_i)/τ_m)},
 * {@code V∞ = (E_rest + g_e·E_e + g_i·E_i + I)/(1 + g_e + g_i)}. That is exact while the
 * conductances stay constant and first order in dt while they decay (the exponential Euler method,
 * Brian2's default for such equations).
 *
 * @param neuron the membrane: τ_m, E_rest, threshold, reset, refractory period
 * @param excitatoryReversalMv E_e, mV (0 mV in Vogels and Abbott's COBA)
 * @param inhibitoryReversalMv E_i, mV (−80 mV in COBA)
 */
public record ConductanceLif(Lif neuron, double excitatoryReversalMv, double inhibitoryReversalMv) implements NeuronModel {

    public ConductanceLif {
        if (neuron == null) {
            throw new IllegalArgumentException("a conductance-based LIF needs its membrane parameters");
        }
        Check.finite("excitatory reversal potential E_e", excitatoryReversalMv, "mV");
        Check.finite("inhibitory reversal potential E_i", inhibitoryReversalMv, "mV");
    }

    @Override
    public Population population(String name, int size, ExponentialSynapses synapses) {
        return new LifPopulation(name, size, neuron, synapses, this);
    }

    @Override
    public String describe() {
        return neuron.describe().replaceFirst("^LIF", "conductance-based LIF").replaceFirst("\\)$",
                ", E_e " + excitatoryReversalMv + " mV, E_i " + inhibitoryReversalMv + " mV)");
    }
}

package dev.soma.spiking;

/**
 * Pair-based spike-timing-dependent plasticity with traces (Song, Miller and Abbott 2000; Brian2's
 * STDP example). Each source neuron keeps a trace {@code x} and each target neuron a trace
 * {@code y}, decaying as {@code dx/dt = −x/τ₊}, {@code dy/dt = −y/τ₋}. A presynaptic spike adds
 * {@code y} to the weights of its synapses (depression, {@code A₋ < 0}) and then {@code A₊} to
 * {@code x}; a postsynaptic spike adds {@code x} to the weights of the synapses onto it
 * (potentiation) and then {@code A₋} to {@code y}. Weights are kept in {@code [0, w_max]}.
 *
 * <p>For one pair of spikes {@code Δt = t_post − t_pre} apart, the weight changes by
 *
 * <pre>
 *   Δw = A₊·e^(−Δt/τ₊)   for Δt > 0   (pre before post: potentiation)
 *   Δw = A₋·e^(Δt/τ₋)    for Δt < 0   (post before pre: depression)
 * </pre>
 *
 * <p>({@link #pairChange}), and for many spikes every pair's change adds up ("all-to-all"). Spikes in
 * the same step do not pair with each other.
 *
 * @param tauPlusMs τ₊, ms (> 0)
 * @param tauMinusMs τ₋, ms (> 0)
 * @param aPlus A₊, the largest potentiation (≥ 0)
 * @param aMinus A₋, the largest depression (≤ 0)
 * @param maxWeight w_max (> 0)
 */
public record Stdp(double tauPlusMs, double tauMinusMs, double aPlus, double aMinus, double maxWeight) {

    public Stdp {
        Check.positive("τ₊", tauPlusMs, "ms");
        Check.positive("τ₋", tauMinusMs, "ms");
        Check.nonNegative("A₊", aPlus, "");
        Check.finite("A₋", aMinus, "");
        if (aMinus > 0) {
            throw new IllegalArgumentException("A₋ must be <= 0 (it depresses), got " + aMinus);
        }
        Check.positive("w_max", maxWeight, "");
    }

    /** The change of a weight from one pre spike and one post spike {@code Δt = t_post − t_pre} apart. */
    public double pairChange(double deltaMs) {
        if (deltaMs > 0) {
            return aPlus * Math.exp(-deltaMs / tauPlusMs);
        }
        if (deltaMs < 0) {
            return aMinus * Math.exp(deltaMs / tauMinusMs);
        }
        return 0;
    }
}

package dev.soma.spiking;

/**
 * The f–I curve of a LIF neuron: its firing rate under constant inputs, simulated and from the
 * closed form {@link Lif#rateHz}. The simulated rate is the inverse of the mean inter-spike
 * interval after the first spike (which starts from rest, not from the reset), so only the grid
 * separates the two: each interval is {@code t_ref + T} with {@code T} rounded up to a whole step.
 *
 * @param currentsMv the inputs, mV
 * @param simulatedHz the simulated rates
 * @param analyticHz the closed-form rates
 */
public record FiCurve(double[] currentsMv, double[] simulatedHz, double[] analyticHz) {

    /** Simulates {@code lif} under each current for {@code durationMs}, with steps of {@code dtMs}. */
    public static FiCurve of(Lif lif, double[] currentsMv, double durationMs, double dtMs) {
        Check.timeStep(dtMs);
        double[] simulated = new double[currentsMv.length];
        double[] analytic = new double[currentsMv.length];
        for (int k = 0; k < currentsMv.length; k++) {
            Check.finite("current", currentsMv[k], "mV");
            StepResponse response = StepResponse.simulate(lif, currentsMv[k], 0, durationMs, durationMs, dtMs);
            double[] t = response.spikeTimesMs();
            simulated[k] = t.length < 2 ? 0 : 1000 * (t.length - 1) / (t[t.length - 1] - t[0]);
            analytic[k] = lif.rateHz(currentsMv[k]);
        }
        return new FiCurve(currentsMv.clone(), simulated, analytic);
    }
}

package dev.soma.spiking;

/**
 * The synaptic inputs of one population's receptor still on their way: a ring of
 * {@code maxDelaySteps + 1} arrays, one per future step. A spike at step {@code k} whose synapse has
 * a delay of {@code d ≥ 1} steps adds its weight into {@link #arriving arriving(k + d)}; at the end
 * of step {@code k + d} {@link #drainInto} adds that array into the synaptic input and clears it, so
 * the weight acts from the next step, {@code d} steps after an undelayed synapse's would. Memory:
 * {@code (maxDelaySteps + 1) × size} doubles.
 */
final class DelayedInputs {

    private final double[][] ring;

    DelayedInputs(int size, int maxDelaySteps) {
        if (maxDelaySteps < 1) {
            throw new IllegalArgumentException("a ring of delayed inputs needs a delay >= 1 step, got " + maxDelaySteps);
        }
        this.ring = new double[maxDelaySteps + 1][size];
    }

    /** The inputs that arrive at the end of step {@code step} (at most {@code maxDelaySteps} ahead of now). */
    double[] arriving(long step) {
        return ring[(int) (step % ring.length)];
    }

    /** Adds the inputs arriving at the end of step {@code step} into {@code input}, and clears them. */
    void drainInto(long step, double[] input) {
        double[] arriving = arriving(step);
        for (int i = 0; i < arriving.length; i++) {
            input[i] += arriving[i];
            arriving[i] = 0;
        }
    }
}

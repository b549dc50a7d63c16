package dev.soma.spiking;

/**
 * One layer of a {@link ConvertedNetwork}: spikes in, spikes out, one time step at a time. Its
 * parameters are fixed at conversion; what changes from step to step (membrane potentials, a gate's
 * counters) lives in a state array the caller owns, one per image ({@link #newState}).
 */
sealed interface SpikingLayer permits NeuronLayer, PoolGate {

    /** Units feeding this layer. */
    int inputs();

    /** Units of this layer. */
    int outputs();

    /** The multiply-adds of this layer in the ANN, per image. */
    long annMacs();

    /** The additions one spike of input {@code unit} causes here (its synapses). */
    long fanOut(int unit);

    /** A fresh state for one image: zero potentials, or zero counters. */
    float[] newState();

    /**
     * Advances one step: the first {@code count} entries of {@code in} are the input units that
     * spiked; writes the units that spike here into {@code out} and returns their number.
     * {@code state} is modified; {@code in} is not.
     */
    int step(int[] in, int count, float[] state, int[] out);
}

package dev.soma.spiking;

import java.util.Arrays;

/**
 * The membrane potential of chosen neurons of one population, after every step (after the reset of
 * those that fired, so a trace never shows the spike itself: mark the recorded spikes on it).
 * Sample {@code k} is the potential at time {@code (k + 1)·dt}.
 */
public final class MembraneRecorder {

    private final Population population;
    private final int[] neurons;
    private final double dtMs;
    private float[][] traces;
    private int samples;

    MembraneRecorder(Population population, int[] neurons, double dtMs) {
        for (int n : neurons) {
            if (n < 0 || n >= population.size()) {
                throw new IllegalArgumentException("neuron " + n + " is not in " + population.name() + " (0.."
                        + (population.size() - 1) + ")");
            }
        }
        this.population = population;
        this.neurons = neurons.clone();
        this.dtMs = dtMs;
        this.traces = new float[neurons.length][256];
    }

    void sample() {
        if (samples == traces[0].length) {
            for (int j = 0; j < traces.length; j++) {
                traces[j] = Arrays.copyOf(traces[j], samples + (samples >> 1));
            }
        }
        double[] v = population.membrane();
        for (int j = 0; j < neurons.length; j++) {
            traces[j][samples] = (float) v[neurons[j]];
        }
        samples++;
    }

    /** The population recorded from. */
    public Population population() {
        return population;
    }

    /** The index in its population of the {@code j}-th recorded neuron. */
    public int neuron(int j) {
        return neurons[j];
    }

    /** The number of neurons recorded. */
    public int neurons() {
        return neurons.length;
    }

    /** The number of samples per neuron. */
    public int samples() {
        return samples;
    }

    /** The time of sample {@code k}, ms. */
    public double timeMs(int k) {
        return (k + 1) * dtMs;
    }

    /** The trace of the {@code j}-th recorded neuron, mV (a copy). */
    public float[] trace(int j) {
        return Arrays.copyOf(traces[j], samples);
    }
}

package dev.soma.spiking;

import dev.soma.tensor.Tensor;

/**
 * Integrate-and-fire neurons without leak, threshold 1, reset by subtraction (Rueckauer et al.
 * 2017): {@code V(t) = V(t − 1) + W·s(t) + b;  s'(t) = [V(t) ≥ 1];  V(t) ← V(t) − s'(t)}. Subclasses
 * say how a presynaptic spike reaches the potentials ({@code W·s}); the bias and the firing are
 * here.
 */
abstract sealed class NeuronLayer implements SpikingLayer permits DenseLayer, ConvolutionLayer, AveragePoolLayer {

    /** One bias per neuron, normalised: {@code b/λ}. */
    private final float[] bias;

    NeuronLayer(float[] bias) {
        this.bias = bias;
    }

    @Override
    public final int outputs() {
        return bias.length;
    }

    @Override
    public final float[] newState() {
        return new float[bias.length];
    }

    @Override
    public final int step(int[] in, int count, float[] potentials, int[] out) {
        for (int j = 0; j < potentials.length; j++) {
            potentials[j] += bias[j];
        }
        for (int s = 0; s < count; s++) {
            integrate(in[s], potentials);
        }
        return fire(potentials, out);
    }

    /** Advances one step under a constant input current (bias included), in place of spikes. */
    final int step(float[] current, float[] potentials, int[] out) {
        for (int j = 0; j < potentials.length; j++) {
            potentials[j] += current[j];
        }
        return fire(potentials, out);
    }

    /** Adds the synaptic weights of one spike of input {@code unit} to {@code potentials} (modified). */
    abstract void integrate(int unit, float[] potentials);

    /**
     * The normalised input current {@code W·x + b} of each image of {@code inputs} {@code [N, …]} at
     * once, {@code [N, outputs()]}: what a constant (not spiking) input adds at every step.
     */
    abstract Tensor current(Tensor inputs);

    /** Every neuron at or above 1 spikes and loses 1. */
    private static int fire(float[] potentials, int[] out) {
        int fired = 0;
        for (int j = 0; j < potentials.length; j++) {
            if (potentials[j] >= 1) {
                potentials[j] -= 1;
                out[fired++] = j;
            }
        }
        return fired;
    }
}

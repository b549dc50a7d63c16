package dev.soma.spiking;

import dev.soma.tensor.Generator;
import java.util.List;

/**
 * One image going through a {@link ConvertedNetwork}: each layer's state (membrane potentials, a
 * gate's counters), the spikes of the last step, the output neurons' spike counts and the synaptic
 * events so far. Advanced one step at a time; not shared between threads.
 */
final class NetworkState {

    private final List<SpikingLayer> layers;
    private final float[][] states;
    /** {@code spikes[l]}: the units that spiked in the last step feeding layer {@code l} (0: the input). */
    private final int[][] spikes;
    private final int[] spikeCounts;
    private final int[] outputCounts;
    private final float[] current;
    private final float[] intensities;
    private final Generator generator;
    private long events;

    /**
     * The image enters as {@code current} (the first layer's constant input current) or, when that is
     * null, as Poisson spikes at the rates {@code intensities}, drawn from {@code generator}.
     */
    NetworkState(List<SpikingLayer> layers, float[] current, float[] intensities, Generator generator) {
        this.layers = layers;
        this.current = current;
        this.intensities = intensities;
        this.generator = generator;
        int count = layers.size();
        states = new float[count][];
        spikes = new int[count + 1][];
        spikeCounts = new int[count + 1];
        spikes[0] = new int[layers.getFirst().inputs()];
        for (int l = 0; l < count; l++) {
            states[l] = layers.get(l).newState();
            spikes[l + 1] = new int[layers.get(l).outputs()];
        }
        outputCounts = new int[layers.getLast().outputs()];
    }

    /** One time step through every layer, the input first. */
    void step() {
        int count = layers.size();
        for (int l = 0; l < count; l++) {
            SpikingLayer layer = layers.get(l);
            if (l == 0 && current != null) {
                spikeCounts[1] = ((NeuronLayer) layer).step(current, states[0], spikes[1]);
                continue;
            }
            if (l == 0) {
                encodeInput();
            }
            int[] in = spikes[l];
            for (int s = 0; s < spikeCounts[l]; s++) {
                events += layer.fanOut(in[s]);
            }
            spikeCounts[l + 1] = layer.step(in, spikeCounts[l], states[l], spikes[l + 1]);
        }
        for (int s = 0; s < spikeCounts[count]; s++) {
            outputCounts[spikes[count][s]]++;
        }
    }

    /** The class so far: the output neuron with the most spikes, ties to the higher potential. */
    int prediction() {
        return Decoders.spikeCount(outputCounts, states[layers.size() - 1]);
    }

    /** The synaptic events so far: each spike times its fan-out, one addition each. */
    long events() {
        return events;
    }

    /** Each output neuron's spike count so far (a copy). */
    int[] outputCounts() {
        return outputCounts.clone();
    }

    private void encodeInput() {
        int fired = 0;
        for (int i = 0; i < intensities.length; i++) {
            if (generator.nextFloat() < intensities[i]) {
                spikes[0][fired++] = i;
            }
        }
        spikeCounts[0] = fired;
    }
}

package dev.soma.spiking;

/**
 * A converted {@code MaxPool2d}, {@code [C, H, W] → [C, H', W']}: a gate, not neurons. Each window
 * lets through the spikes of the input unit that has spiked most so far (the highest rate, so the
 * output's rate tracks the maximum of the inputs' rates: Rueckauer et al. 2017, section 2.2.3). Ties
 * go to the first unit of the window. The gate holds no synapse: it adds no synaptic event and no
 * multiply-add; its state is the spike count of each input unit.
 */
final class PoolGate implements SpikingLayer {

    private final int channels;
    private final Windows windows;
    private final int[][] inputsOfOutputs;

    /** {@code inputShape} {@code [C, H, W]}; a max-pooling's {@code kernel}, {@code stride}, {@code padding}. */
    PoolGate(int[] inputShape, int kernel, int stride, int padding) {
        this.channels = inputShape[0];
        this.windows = new Windows(inputShape[1], inputShape[2], kernel, stride, padding, 1);
        this.inputsOfOutputs = windows.inputsOfOutputs();
    }

    @Override
    public int inputs() {
        return channels * windows.inputArea();
    }

    @Override
    public int outputs() {
        return channels * windows.outputArea();
    }

    @Override
    public long annMacs() {
        return 0;
    }

    @Override
    public long fanOut(int unit) {
        return 0;
    }

    @Override
    public float[] newState() {
        return new float[inputs()];
    }

    @Override
    public int step(int[] in, int count, float[] counts, int[] out) {
        for (int s = 0; s < count; s++) {
            counts[in[s]]++;
        }
        int area = windows.inputArea();
        int passed = 0;
        for (int s = 0; s < count; s++) {
            int unit = in[s];
            int offset = unit / area * area;
            int[] targets = windows.targets(unit % area);
            for (int i = 1; i < targets.length; i += 2) {
                if (leader(counts, offset, inputsOfOutputs[targets[i]]) == unit) {
                    out[passed++] = unit / area * windows.outputArea() + targets[i];
                }
            }
        }
        return passed;
    }

    /** The unit of the window with the most spikes, the first on ties. */
    private static int leader(float[] counts, int offset, int[] window) {
        int best = offset + window[0];
        for (int i = 1; i < window.length; i++) {
            if (counts[offset + window[i]] > counts[best]) {
                best = offset + window[i];
            }
        }
        return best;
    }
}

package dev.soma.spiking;

import dev.soma.nn.AvgPool2d;
import dev.soma.tensor.Tensor;

/**
 * A converted {@code AvgPool2d} ({@code k×k}, padding counted), {@code [C, H, W] → [C, H', W']}: a
 * linear layer like any other, each output neuron receiving its window's spikes with the weight
 * {@code 1/k²·λₗ₋₁/λₗ}, no bias.
 */
final class AveragePoolLayer extends NeuronLayer {

    private final int channels;
    private final Windows windows;
    private final float weight;
    private final int stride;
    private final int padding;

    /** {@code inputShape} {@code [C, H, W]}. */
    AveragePoolLayer(int[] inputShape, int kernel, int stride, int padding, float factor) {
        Windows windows = new Windows(inputShape[1], inputShape[2], kernel, stride, padding, 1);
        super(new float[inputShape[0] * windows.outputArea()]);
        this.channels = inputShape[0];
        this.windows = windows;
        this.weight = factor / (kernel * kernel);
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public int inputs() {
        return channels * windows.inputArea();
    }

    @Override
    public long annMacs() {
        return windows.validTaps() * channels;
    }

    @Override
    public long fanOut(int unit) {
        return windows.targets(unit % windows.inputArea()).length / 2;
    }

    @Override
    void integrate(int unit, float[] potentials) {
        int offset = unit / windows.inputArea() * windows.outputArea();
        int[] targets = windows.targets(unit % windows.inputArea());
        for (int i = 1; i < targets.length; i += 2) {
            potentials[offset + targets[i]] += weight;
        }
    }

    @Override
    Tensor current(Tensor inputs) {
        int n = inputs.size(0);
        Tensor images = inputs.reshape(n, channels, windows.height, windows.width);
        return AvgPool2d.avgPool2d(images, windows.kernel, stride, padding).mul(weight * windows.kernel * windows.kernel)
                .reshape(n, outputs());
    }
}

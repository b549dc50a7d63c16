package dev.soma.spiking;

import dev.soma.tensor.Tensor;

/**
 * A converted {@code Conv2d} (BatchNorm folded in), {@code [C, H, W] → [C', H', W']}: a spike of
 * input {@code (c, y, x)} adds, for every window holding {@code (y, x)} through tap {@code (ky, kx)},
 * the weights {@code W[·, c, ky, kx]·λₗ₋₁/λₗ} to the {@code C'} neurons of that window's output.
 * The weights are stored {@code [C][k·k][C']} so those {@code C'} additions read contiguous memory.
 */
final class ConvolutionLayer extends NeuronLayer {

    private final int inChannels;
    private final int outChannels;
    private final Windows windows;
    private final float[] weights;
    private final Tensor weight;
    private final Tensor biasTensor;
    private final int stride;
    private final int padding;
    private final int dilation;

    /**
     * {@code weight} {@code [C', C, k, k]}, {@code bias} {@code [C']} (may be null), both not
     * modified; {@code inputShape} {@code [C, H, W]}.
     */
    ConvolutionLayer(Tensor weight, Tensor bias, int[] inputShape, int stride, int padding, int dilation,
                     float weightFactor, float biasFactor) {
        int kernel = weight.size(2);
        Windows windows = new Windows(inputShape[1], inputShape[2], kernel, stride, padding, dilation);
        super(perNeuron(ConversionPlan.scaled(bias, weight.size(0), biasFactor), windows.outputArea()));
        this.windows = windows;
        this.outChannels = weight.size(0);
        this.inChannels = weight.size(1);
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        float[] w = weight.toArray();
        int taps = kernel * kernel;
        this.weights = new float[inChannels * taps * outChannels];
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < inChannels; c++) {
                for (int t = 0; t < taps; t++) {
                    weights[(c * taps + t) * outChannels + o] = w[(o * inChannels + c) * taps + t] * weightFactor;
                }
            }
        }
        this.weight = weight.mul(weightFactor);
        this.biasTensor = Tensor.of(ConversionPlan.scaled(bias, outChannels, biasFactor), outChannels);
    }

    private static float[] perNeuron(float[] channelBias, int area) {
        float[] bias = new float[channelBias.length * area];
        for (int o = 0; o < channelBias.length; o++) {
            java.util.Arrays.fill(bias, o * area, (o + 1) * area, channelBias[o]);
        }
        return bias;
    }

    @Override
    public int inputs() {
        return inChannels * windows.inputArea();
    }

    @Override
    public long annMacs() {
        return windows.validTaps() * inChannels * outChannels;
    }

    @Override
    public long fanOut(int unit) {
        return (long) windows.targets(unit % windows.inputArea()).length / 2 * outChannels;
    }

    @Override
    void integrate(int unit, float[] potentials) {
        int area = windows.inputArea();
        int outArea = windows.outputArea();
        int c = unit / area;
        int[] targets = windows.targets(unit % area);
        int taps = windows.kernel * windows.kernel;
        for (int i = 0; i < targets.length; i += 2) {
            int base = (c * taps + targets[i]) * outChannels;
            int position = targets[i + 1];
            for (int o = 0; o < outChannels; o++) {
                potentials[o * outArea + position] += weights[base + o];
            }
        }
    }

    @Override
    Tensor current(Tensor inputs) {
        int n = inputs.size(0);
        Tensor images = inputs.reshape(n, inChannels, windows.height, windows.width);
        return images.conv2d(weight, biasTensor, stride, padding, dilation).reshape(n, outputs());
    }
}

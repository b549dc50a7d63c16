package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;

/**
 * Weight initialisation, as PyTorch's {@code torch.nn.init}: each method fills a tensor in place
 * (modifies it) from a seeded {@link Generator}, and returns it.
 *
 * <p>For a weight of shape {@code [out, in, k₁, k₂, …]}, {@code fanIn = in·k₁·k₂·…} and
 * {@code fanOut = out·k₁·k₂·…}.
 */
public final class Init {

    private Init() {
    }

    /** Which fan Kaiming initialisation preserves: the forward pass's or the backward pass's variance. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** Fills {@code t} with samples of {@code U(low, high)}. */
    public static Tensor uniform(Tensor t, float low, float high, Generator generator) {
        try (NoGrad scope = NoGrad.enter()) {
            return t.fillUniform(low, high, generator);
        }
    }

    /** Fills {@code t} with samples of {@code N(mean, std²)}. */
    public static Tensor normal(Tensor t, float mean, float std, Generator generator) {
        try (NoGrad scope = NoGrad.enter()) {
            return t.fillNormal(mean, std, generator);
        }
    }

    /** Fills {@code t} with {@code value}. */
    public static Tensor constant(Tensor t, float value) {
        try (NoGrad scope = NoGrad.enter()) {
            return t.fill(value);
        }
    }

    /**
     * The recommended gain for a non-linearity (PyTorch's {@code calculate_gain}): 1 for linear,
     * sigmoid and identity; 5/3 for tanh; √2 for relu; √(2 / (1 + slope²)) for leaky_relu.
     */
    public static double gain(String nonlinearity, double negativeSlope) {
        return switch (nonlinearity) {
            case "linear", "identity", "sigmoid", "conv1d", "conv2d" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("gain: unknown non-linearity '" + nonlinearity
                    + "' (expected linear, identity, sigmoid, tanh, relu, leaky_relu, selu, conv1d or conv2d)");
        };
    }

    /** {@code [fanIn, fanOut]} of a weight of rank ≥ 2. */
    public static int[] fans(Tensor weight) {
        int[] shape = weight.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("fans: a weight needs at least 2 dimensions to have fan in and"
                    + " fan out, got shape " + java.util.Arrays.toString(shape));
        }
        int receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return new int[] {shape[1] * receptive, shape[0] * receptive};
    }

    /** Glorot & Bengio (2010): {@code U(-a, a)} with {@code a = gain·√(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor t, double gain, Generator generator) {
        int[] fans = fans(t);
        float a = (float) (gain * Math.sqrt(6.0 / (fans[0] + fans[1])));
        return uniform(t, -a, a, generator);
    }

    /** Glorot & Bengio (2010): {@code N(0, std²)} with {@code std = gain·√(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator generator) {
        int[] fans = fans(t);
        return normal(t, 0, (float) (gain * Math.sqrt(2.0 / (fans[0] + fans[1]))), generator);
    }

    /**
     * He et al. (2015): {@code U(-b, b)} with {@code b = gain·√(3 / fan)}, gain from
     * {@link #gain(String, double)} with slope {@code a}.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator generator) {
        float bound = (float) (gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode)));
        return uniform(t, -bound, bound, generator);
    }

    /**
     * PyTorch's default initialisation of every convolution ({@code _ConvNd.reset_parameters}): the
     * weight from {@code kaimingUniform} with a = √5, which is U(−1/√fanIn, 1/√fanIn), then the bias
     * (when not null) from the same bounds, fanIn read from the weight's shape as {@link #fans} does.
     * Modifies both, drawing in that order.
     */
    public static void convolutionDefaults(Tensor weight, Tensor bias, Generator generator) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", generator);
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(fans(weight)[0]));
            uniform(bias, -bound, bound, generator);
        }
    }

    /** He et al. (2015): {@code N(0, std²)} with {@code std = gain / √fan}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator generator) {
        return normal(t, 0, (float) (gain(nonlinearity, a) / Math.sqrt(fan(t, mode))), generator);
    }

    private static int fan(Tensor t, FanMode mode) {
        int[] fans = fans(t);
        int fan = mode == FanMode.FAN_IN ? fans[0] : fans[1];
        if (fan == 0) {
            throw new IllegalArgumentException("kaiming: cannot initialise a tensor with a zero fan, shape "
                    + java.util.Arrays.toString(t.shape()));
        }
        return fan;
    }
}

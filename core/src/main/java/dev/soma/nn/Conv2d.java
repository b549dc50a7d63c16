package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 2-D convolution over a batch of images, as PyTorch's {@code nn.Conv2d} (cross-correlation, as
 * every deep-learning library computes it):
 *
 * <pre>  out[n, o, y, x] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · in[n, c, y·s − p + i·d, x·s − p + j·d]</pre>
 *
 * with zero padding p, stride s and dilation d, the same along H and W.
 *
 * <p>Shapes: input {@code [N, in, H, W]} (or unbatched {@code [in, H, W]}) → output
 * {@code [N, out, outH, outW]}, {@code outH = ⌊(H + 2p − d·(k−1) − 1)/s⌋ + 1}, likewise outW; weight
 * {@code [out, in, k, k]}, bias {@code [out]}.
 *
 * <p>Initialisation (PyTorch's default): weight and bias from {@code U(−1/√fanIn, 1/√fanIn)},
 * {@code fanIn = in·k·k} (for the weight this is Kaiming-uniform with {@code a = √5}).
 *
 * <p>Computed by {@link Tensor#conv2d}: im2col gathers every window of the batch into the columns of
 * one matrix, and one matrix product with {@code W.view(out, in·k·k)} forms every output position at
 * once; backward is two more products and fold (col2im).
 *
 * <p>{@code new Conv2d(1, 16, 3)} is PyTorch's {@code nn.Conv2d(1, 16, 3)}; the keyword arguments go
 * through the spec: {@code new Conv2d.Spec(1, 16, 3).padding(1).bias(false).build(generator)} is
 * {@code nn.Conv2d(1, 16, 3, padding=1, bias=False)}.
 */
public class Conv2d extends Module {

    /**
     * A convolution's hyperparameters, PyTorch's constructor arguments and defaults: stride 1,
     * padding 0, dilation 1, bias true; {@code [in_channels, H, W] → [out_channels, H', W']}.
     */
    public record Spec(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation,
            boolean bias) implements LayerSpec {
        public Spec {
            SpecChecks.positive("in_channels", inChannels);
            SpecChecks.positive("out_channels", outChannels);
            SpecChecks.positive("kernel_size", kernelSize);
            SpecChecks.positive("stride", stride);
            SpecChecks.nonNegative("padding", padding);
            SpecChecks.positive("dilation", dilation);
        }

        /** A {@code kernelSize × kernelSize} convolution with PyTorch's defaults for the rest. */
        public Spec(int inChannels, int outChannels, int kernelSize) {
            this(inChannels, outChannels, kernelSize, 1, 0, 1, true);
        }

        public Spec stride(int stride) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, dilation, bias);
        }

        public Spec padding(int padding) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, dilation, bias);
        }

        public Spec dilation(int dilation) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, dilation, bias);
        }

        public Spec bias(boolean bias) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, dilation, bias);
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.integer("in_channels"), args.integer("out_channels"), args.integer("kernel_size"),
                    args.integer("stride", 1), args.integer("padding", 0), args.integer("dilation", 1),
                    args.bool("bias", true));
        }

        @Override
        public String type() {
            return "conv2d";
        }

        @Override
        public long stateElements() {
            // NOTE: in double, exact below 2^53, and the cast saturates at Long.MAX_VALUE where a long would wrap.
            return (long) ((double) outChannels * inChannels * kernelSize * kernelSize + (bias ? outChannels : 0));
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("in_channels", inChannels);
            args.put("out_channels", outChannels);
            args.put("kernel_size", kernelSize);
            args.put("stride", stride);
            args.put("padding", padding);
            args.put("dilation", dilation);
            args.put("bias", bias);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, inChannels, "input channels");
            return SpecChecks.window(input, given, outChannels, kernelSize, stride, padding, dilation);
        }

        @Override
        public Conv2d build(Generator generator) {
            return new Conv2d(this, generator);
        }
    }

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final Tensor weight;
    private final Tensor bias;

    /** A convolution with stride 1, no padding, and bias, initialised from the global generator. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, true, Generator.global());
    }

    /** A convolution with bias and dilation 1, initialised from the global generator. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, true, Generator.global());
    }

    /** A convolution of {@code spec}, initialised from {@code generator}. */
    public Conv2d(Spec spec, Generator generator) {
        this(spec.inChannels(), spec.outChannels(), spec.kernelSize(), spec.stride(), spec.padding(), spec.dilation(),
                spec.bias(), generator);
    }

    private Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation,
                   boolean bias, Generator generator) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("Conv2d: channels must be > 0, got in " + inChannels
                    + ", out " + outChannels);
        }
        if (kernelSize <= 0 || stride <= 0 || dilation <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: kernel size, stride and dilation must be > 0 and padding ≥ 0,"
                    + " got kernel " + kernelSize + ", stride " + stride + ", padding " + padding
                    + ", dilation " + dilation);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels, kernelSize, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        resetParameters(generator);
    }

    /**
     * Draws fresh weights and bias from {@code U(−1/√fanIn, 1/√fanIn)}: Kaiming-uniform with
     * {@code a = √5}, whose bound {@code gain·√(3/fanIn)}, {@code gain = √(2/(1 + a²))}, is exactly
     * {@code 1/√fanIn}. Modifies the weight and bias.
     */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", generator);
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(Init.fans(weight)[0]));
            Init.uniform(bias, -bound, bound, generator);
        }
    }

    /**
     * The convolution as a function (PyTorch's {@code F.conv2d} with groups 1): input
     * {@code [N, C, H, W]}, weight {@code [out, C, kh, kw]}, bias {@code [out]} or null; the same
     * stride, padding and dilation along H and W. Nothing is modified.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        return input.conv2d(weight, bias, stride, padding, dilation);
    }

    @Override
    public Spec spec() {
        return new Spec(inChannels, outChannels, kernelSize, stride, padding, dilation, bias != null);
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] shape = input.shape();
        boolean unbatched = shape.length == 3;
        if (!(shape.length == 4 || unbatched) || shape[shape.length - 3] != inChannels) {
            throw new IllegalArgumentException("Conv2d(" + extraRepr() + "): expected input [N, " + inChannels
                    + ", H, W] or [" + inChannels + ", H, W], got " + Arrays.toString(shape));
        }
        Tensor batch = unbatched ? input.unsqueeze(0) : input;
        Tensor out = conv2d(batch, weight, bias, stride, padding, dilation);
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * This layer's output through relu and, with {@code maxPool2}, 2×2 max pooling with stride 2, as
     * one op ({@link Tensor#conv2dRelu}), for {@link Sequential}; null when the input is not a batch
     * this layer takes, so that {@link #forward} reports the error.
     */
    Tensor forwardRelu(Tensor input, boolean maxPool2) {
        int[] shape = input.shape();
        if (shape.length != 4 || shape[1] != inChannels) {
            return null;
        }
        return input.conv2dRelu(weight, bias, stride, padding, dilation, maxPool2);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(pair(kernelSize)).append(", stride=").append(pair(stride));
        if (padding != 0) {
            s.append(", padding=").append(pair(padding));
        }
        if (dilation != 1) {
            s.append(", dilation=").append(pair(dilation));
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }

    private static String pair(int value) {
        return "(" + value + ", " + value + ")";
    }
}

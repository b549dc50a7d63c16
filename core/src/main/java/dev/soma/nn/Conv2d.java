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
 * with zero padding p, stride s and dilation d, each its own along H and along W, and
 * {@code groups} G: the channels split into G groups, group g's outputs seeing only group g's inputs
 * (G = in is a depthwise convolution). {@code padding="same"} pads so that the output is as large as
 * the input (stride 1 only), by {@code d·(k−1)} in all, the odd one at the bottom and right, as PyTorch.
 *
 * <p>Shapes: input {@code [N, in, H, W]} (or unbatched {@code [in, H, W]}) → output
 * {@code [N, out, outH, outW]}, {@code outH = ⌊(H + 2p − d·(k−1) − 1)/s⌋ + 1}, likewise outW; weight
 * {@code [out, in/G, kh, kw]}, bias {@code [out]}.
 *
 * <p>Initialisation (PyTorch's default): weight and bias from {@code U(−1/√fanIn, 1/√fanIn)},
 * {@code fanIn = (in/G)·kh·kw} (for the weight this is Kaiming-uniform with {@code a = √5}).
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
     * padding 0 ({@code samePadding} for {@code padding="same"}), dilation 1, groups 1, bias true;
     * {@code [in_channels, H, W] → [out_channels, H', W']}.
     */
    public record Spec(int inChannels, int outChannels, Pair kernelSize, Pair stride, Pair padding,
            boolean samePadding, Pair dilation, int groups, boolean bias) implements LayerSpec {
        public Spec {
            SpecChecks.positive("in_channels", inChannels);
            SpecChecks.positive("out_channels", outChannels);
            kernelSize.positive("kernel_size");
            stride.positive("stride");
            padding.nonNegative("padding");
            dilation.positive("dilation");
            SpecChecks.positive("groups", groups);
            if (inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("in_channels (" + inChannels + ") and out_channels ("
                        + outChannels + ") must be divisible by groups (" + groups + ")");
            }
            if (samePadding && (stride.h() != 1 || stride.w() != 1)) {
                throw new IllegalArgumentException("padding \"same\" needs stride 1, got " + stride);
            }
            if (samePadding && (padding.h() != 0 || padding.w() != 0)) {
                throw new IllegalArgumentException("padding \"same\" takes no padding sizes, got " + padding);
            }
        }

        /** A {@code kernelSize × kernelSize} convolution with PyTorch's defaults for the rest. */
        public Spec(int inChannels, int outChannels, int kernelSize) {
            this(inChannels, outChannels, Pair.of(kernelSize));
        }

        /** A {@code kh × kw} convolution with PyTorch's defaults for the rest. */
        public Spec(int inChannels, int outChannels, Pair kernelSize) {
            this(inChannels, outChannels, kernelSize, Pair.of(1), Pair.of(0), false, Pair.of(1), 1, true);
        }

        /** The same stride, padding and dilation along H and W, one group. */
        public Spec(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation,
                    boolean bias) {
            this(inChannels, outChannels, Pair.of(kernelSize), Pair.of(stride), Pair.of(padding), false,
                    Pair.of(dilation), 1, bias);
        }

        public Spec stride(int stride) {
            return stride(Pair.of(stride));
        }

        public Spec stride(Pair stride) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation, groups, bias);
        }

        public Spec padding(int padding) {
            return padding(Pair.of(padding));
        }

        public Spec padding(Pair padding) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, false, dilation, groups, bias);
        }

        /** PyTorch's {@code padding="same"}: the output as large as the input. */
        public Spec paddingSame() {
            return new Spec(inChannels, outChannels, kernelSize, stride, Pair.of(0), true, dilation, groups, bias);
        }

        public Spec dilation(int dilation) {
            return dilation(Pair.of(dilation));
        }

        public Spec dilation(Pair dilation) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation, groups, bias);
        }

        public Spec groups(int groups) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation, groups, bias);
        }

        public Spec bias(boolean bias) {
            return new Spec(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation, groups, bias);
        }

        static Spec read(LayerArgs args) {
            String mode = args.stringOrNull("padding");
            if (mode != null && !mode.equals("same") && !mode.equals("valid")) {
                throw new IllegalArgumentException("padding must be an integer, two integers, \"same\" or \"valid\","
                        + " got \"" + mode + "\"");
            }
            Pair padding = mode != null ? Pair.of(0) : args.pair("padding", Pair.of(0));
            return new Spec(args.integer("in_channels"), args.integer("out_channels"),
                    args.pair("kernel_size", null), args.pair("stride", Pair.of(1)), padding, "same".equals(mode),
                    args.pair("dilation", Pair.of(1)), args.integer("groups", 1), args.bool("bias", true));
        }

        @Override
        public String type() {
            return "conv2d";
        }

        @Override
        public long stateElements() {
            // NOTE: in double, exact below 2^53, and the cast saturates at Long.MAX_VALUE where a long would wrap.
            return (long) ((double) outChannels * (inChannels / groups) * kernelSize.h() * kernelSize.w()
                    + (bias ? outChannels : 0));
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("in_channels", inChannels);
            args.put("out_channels", outChannels);
            args.put("kernel_size", kernelSize.toArg());
            args.put("stride", stride.toArg());
            args.put("padding", samePadding ? "same" : padding.toArg());
            args.put("dilation", dilation.toArg());
            args.put("groups", groups);
            args.put("bias", bias);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, inChannels, "input channels");
            if (samePadding) {
                return new int[] {outChannels, input[1], input[2]};
            }
            return SpecChecks.window(input, given, outChannels, kernelSize, stride, padding, dilation);
        }

        @Override
        public Conv2d build(Generator generator) {
            return new Conv2d(this, generator);
        }
    }

    private final Spec spec;
    private final Tensor weight;
    private final Tensor bias;

    /** A convolution with stride 1, no padding, and bias, initialised from the global generator. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** A convolution with bias and dilation 1, initialised from the global generator. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(checked(inChannels, outChannels, kernelSize, stride, padding), Generator.global());
    }

    /** A convolution of {@code spec}, initialised from {@code generator}. */
    public Conv2d(Spec spec, Generator generator) {
        this.spec = spec;
        Pair k = spec.kernelSize();
        this.weight = registerParameter("weight",
                Tensor.zeros(spec.outChannels(), spec.inChannels() / spec.groups(), k.h(), k.w()));
        this.bias = spec.bias() ? registerParameter("bias", Tensor.zeros(spec.outChannels())) : null;
        resetParameters(generator);
    }

    private static Spec checked(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("Conv2d: channels must be > 0, got in " + inChannels
                    + ", out " + outChannels);
        }
        if (kernelSize <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: kernel size, stride and dilation must be > 0 and padding ≥ 0,"
                    + " got kernel " + kernelSize + ", stride " + stride + ", padding " + padding
                    + ", dilation 1");
        }
        return new Spec(inChannels, outChannels, kernelSize, stride, padding, 1, true);
    }

    /**
     * Draws fresh weights and bias from {@code U(−1/√fanIn, 1/√fanIn)}: Kaiming-uniform with
     * {@code a = √5}, whose bound {@code gain·√(3/fanIn)}, {@code gain = √(2/(1 + a²))}, is exactly
     * {@code 1/√fanIn}. Modifies the weight and bias.
     */
    public void resetParameters(Generator generator) {
        Init.convolutionDefaults(weight, bias, generator);
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
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] shape = input.shape();
        boolean unbatched = shape.length == 3;
        if (!(shape.length == 4 || unbatched) || shape[shape.length - 3] != spec.inChannels()) {
            throw new IllegalArgumentException("Conv2d(" + extraRepr() + "): expected input [N, " + spec.inChannels()
                    + ", H, W] or [" + spec.inChannels() + ", H, W], got " + Arrays.toString(shape));
        }
        Tensor batch = unbatched ? input.unsqueeze(0) : input;
        Tensor out = convolve(batch, weight, bias, spec);
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * The convolution of {@code spec}'s settings ({@code padding="same"} included) of an image batch
     * {@code [N, C, H, W]}; shared with {@link Conv1d}, which runs as a convolution of height-1 images.
     */
    static Tensor convolve(Tensor batch, Tensor weight, Tensor bias, Spec spec) {
        if (!spec.samePadding()) {
            return batch.conv2d(weight, bias, spec.stride().toArray(), spec.padding().toArray(),
                    spec.dilation().toArray(), spec.groups());
        }
        // NOTE: "same" pads d·(k−1) in all, the odd one after; unfold pads both sides alike, so pad
        // the larger half on both sides and drop the first output row (column) it adds.
        int totalH = spec.dilation().h() * (spec.kernelSize().h() - 1);
        int totalW = spec.dilation().w() * (spec.kernelSize().w() - 1);
        int[] padding = {totalH - totalH / 2, totalW - totalW / 2};
        Tensor out = batch.conv2d(weight, bias, spec.stride().toArray(), padding, spec.dilation().toArray(),
                spec.groups());
        return out.narrow(2, totalH % 2, batch.shape()[2]).narrow(3, totalW % 2, batch.shape()[3]);
    }

    /**
     * This layer's output through relu and, with {@code maxPool2}, 2×2 max pooling with stride 2, as
     * one op ({@link Tensor#conv2dRelu}), for {@link Sequential}; null when the input is not a batch
     * this layer takes or its settings are not the same along H and W (one group, numeric padding),
     * so that {@link #forward} computes it.
     */
    Tensor forwardRelu(Tensor input, boolean maxPool2) {
        int[] shape = input.shape();
        if (shape.length != 4 || shape[1] != spec.inChannels() || spec.groups() != 1 || spec.samePadding()
                || !spec.stride().square() || !spec.padding().square() || !spec.dilation().square()) {
            return null;
        }
        return input.conv2dRelu(weight, bias, spec.stride().h(), spec.padding().h(), spec.dilation().h(), maxPool2);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    public int inChannels() {
        return spec.inChannels();
    }

    public int outChannels() {
        return spec.outChannels();
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(spec.inChannels()).append(", ").append(spec.outChannels())
                .append(", kernel_size=").append(spec.kernelSize()).append(", stride=").append(spec.stride());
        if (spec.samePadding()) {
            s.append(", padding=same");
        } else if (!spec.padding().equals(Pair.of(0))) {
            s.append(", padding=").append(spec.padding());
        }
        if (!spec.dilation().equals(Pair.of(1))) {
            s.append(", dilation=").append(spec.dilation());
        }
        if (spec.groups() != 1) {
            s.append(", groups=").append(spec.groups());
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}

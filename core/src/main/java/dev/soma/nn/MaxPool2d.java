package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d}: each output is the largest element of its
 * {@code kh×kw} window,
 *
 * <pre>  out[n, c, y, x] = max_{i, j} in[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw]</pre>
 *
 * over the input padded with −∞ (so padding never wins), kernel, stride, padding and dilation each
 * its own along H and W. The gradient goes to the maximum of each window; when several elements tie,
 * to the first in row-major order, as PyTorch's.
 *
 * <p>Shapes: input {@code [N, C, H, W]} (or {@code [C, H, W]}) → output {@code [N, C, outH, outW]},
 * {@code outH = ⌊(H + 2ph − dh·(kh−1) − 1)/sh⌋ + 1}, likewise outW; with {@code ceil_mode} the division
 * rounds up (a last, partial window is kept), unless that window would start in the padding after the
 * input, which PyTorch drops. No parameters.
 *
 * <p>PyTorch's {@code return_indices=True} is {@link #forwardWithIndices}: the values and, for each, the
 * flat index {@code y·W + x} of its maximum in its {@code (n, c)} plane of the input, which
 * {@link MaxUnpool2d} takes. A {@link Sequential} passes one tensor on, so a model spec cannot ask for
 * the indices.
 *
 * <p>Computed by the primitive {@link Tensor#maxPool2d}, which remembers where each maximum came
 * from and sends each gradient to that one element ({@code max} would share it among ties).
 */
public class MaxPool2d extends Module {

    // AvgPool2d.Spec is this record without dilation, with count_include_pad and divisor_override.
    /**
     * {@code maxpool2d}: The maximum of each {@code kh×kw} window, {@code [C, H, W] → [C, H', W']};
     * PyTorch's defaults: stride the kernel size, padding 0, dilation 1, ceil_mode false; padding at
     * most half the kernel.
     */
    public record Spec(Pair kernelSize, Pair stride, Pair padding, Pair dilation, boolean ceilMode)
            implements LayerSpec {
        public Spec {
            SpecChecks.pooling(kernelSize, stride, padding);
            dilation.positive("dilation");
        }

        /** Non-overlapping {@code k×k} windows: stride k, no padding. */
        public Spec(int kernelSize) {
            this(kernelSize, kernelSize, 0, 1);
        }

        /** The same sizes along H and W, no ceil mode. */
        public Spec(int kernelSize, int stride, int padding, int dilation) {
            this(Pair.of(kernelSize), Pair.of(stride), Pair.of(padding), Pair.of(dilation), false);
        }

        /** Non-overlapping {@code kh×kw} windows: stride the kernel size, no padding. */
        public Spec(Pair kernelSize) {
            this(kernelSize, kernelSize, Pair.of(0), Pair.of(1), false);
        }

        public Spec stride(Pair stride) {
            return new Spec(kernelSize, stride, padding, dilation, ceilMode);
        }

        public Spec padding(Pair padding) {
            return new Spec(kernelSize, stride, padding, dilation, ceilMode);
        }

        public Spec dilation(Pair dilation) {
            return new Spec(kernelSize, stride, padding, dilation, ceilMode);
        }

        public Spec ceilMode(boolean ceilMode) {
            return new Spec(kernelSize, stride, padding, dilation, ceilMode);
        }

        static Spec read(LayerArgs args) {
            Pair kernelSize = args.pair("kernel_size", null);
            if (args.bool("return_indices", false)) {
                throw new IllegalArgumentException("return_indices true does not fit a model spec, whose layers"
                        + " pass one tensor on; call MaxPool2d.forwardWithIndices instead");
            }
            Pair stride = Objects.requireNonNullElse(args.pairOrNull("stride"), kernelSize); // None: the kernel
            return new Spec(kernelSize, stride, args.pair("padding", Pair.of(0)),
                    args.pair("dilation", Pair.of(1)), args.bool("ceil_mode", false));
        }

        @Override
        public String type() {
            return "maxpool2d";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("kernel_size", kernelSize.toArg());
            args.put("stride", stride.toArg());
            args.put("padding", padding.toArg());
            args.put("dilation", dilation.toArg());
            args.put("ceil_mode", ceilMode);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, -1, null);
            return SpecChecks.window(input, given, input[0], kernelSize, stride, padding, dilation, ceilMode);
        }

        @Override
        public MaxPool2d build(Generator generator) {
            return new MaxPool2d(this);
        }
    }

    private final Spec spec;

    /** Pooling over non-overlapping {@code k×k} windows (stride k, no padding). */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(kernelSize, stride, padding, 1);
    }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation) {
        this(checked(kernelSize, stride, padding, dilation));
    }

    /** The pooling {@code spec} describes; {@code new MaxPool2d(new Spec(2).ceilMode(true))}. */
    public MaxPool2d(Spec spec) {
        this.spec = spec;
    }

    private static Spec checked(int kernelSize, int stride, int padding, int dilation) {
        checkSettings("MaxPool2d", kernelSize, stride, padding, dilation);
        return new Spec(kernelSize, stride, padding, dilation);
    }

    /** Rejects settings PyTorch rejects: sizes must be > 0 and padding at most half the kernel. */
    static void checkSettings(String op, int kernelSize, int stride, int padding, int dilation) {
        if (kernelSize <= 0 || stride <= 0) {
            throw new IllegalArgumentException(op + ": kernel size and stride must be > 0, got kernel " + kernelSize
                    + ", stride " + stride);
        }
        if (dilation <= 0) {
            throw new IllegalArgumentException(op + ": dilation must be > 0, got " + dilation);
        }
        if (padding < 0 || padding > kernelSize / 2) {
            throw new IllegalArgumentException(op + ": padding must be between 0 and half the kernel size ("
                    + kernelSize / 2 + "), got " + padding);
        }
    }

    /**
     * Max pooling as a function (PyTorch's {@code F.max_pool2d}) of an input {@code [N, C, H, W]}.
     * Nothing is modified.
     */
    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding, int dilation) {
        checkSettings("maxPool2d", kernelSize, stride, padding, dilation);
        requireImages("maxPool2d", input);
        return input.maxPool2d(kernelSize, stride, padding, dilation);
    }

    /**
     * Max pooling with every setting of {@code spec} (PyTorch's {@code F.max_pool2d(x, kernel_size,
     * stride, padding, dilation, ceil_mode)}) of an input {@code [N, C, H, W]}. Nothing is modified.
     */
    public static Tensor maxPool2d(Tensor input, Spec spec) {
        requireImages("maxPool2d", input);
        return input.maxPool2d(spec.kernelSize().toArray(), spec.stride().toArray(), spec.padding().toArray(),
                spec.dilation().toArray(), spec.ceilMode());
    }

    /**
     * {@link #maxPool2d(Tensor, Spec)} with PyTorch's {@code return_indices=True}: the values, and the
     * flat index of each one's maximum in its {@code (n, c)} plane of the input (int64, as PyTorch's).
     * Nothing is modified.
     */
    public static Tensor.ValuesAndIndices maxPool2dWithIndices(Tensor input, Spec spec) {
        requireImages("maxPool2d", input);
        return input.maxPool2dWithIndices(spec.kernelSize().toArray(), spec.stride().toArray(),
                spec.padding().toArray(), spec.dilation().toArray(), spec.ceilMode());
    }

    /** The shape of a rank-4 input, else an error naming the op. */
    static int[] requireImages(String op, Tensor input) {
        int[] shape = input.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Arrays.toString(shape));
        }
        return shape;
    }

    /** Whether this is {@code MaxPool2d(2)}: 2×2 windows, stride 2, no padding, dilation or ceil mode. */
    boolean isTwoByTwo() {
        return spec.equals(new Spec(2));
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean unbatched = checkRank(input);
        Tensor out = maxPool2d(unbatched ? input.unsqueeze(0) : input, spec);
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * PyTorch's {@code MaxPool2d(…, return_indices=True)}: the pooled values and the flat index of each
     * one's maximum in its {@code (n, c)} plane of the input, for {@link MaxUnpool2d}.
     */
    public Tensor.ValuesAndIndices forwardWithIndices(Tensor input) {
        boolean unbatched = checkRank(input);
        Tensor.ValuesAndIndices out = maxPool2dWithIndices(unbatched ? input.unsqueeze(0) : input, spec);
        return unbatched ? new Tensor.ValuesAndIndices(out.values().squeeze(0), out.indices().squeeze(0)) : out;
    }

    /** Whether the input is one image {@code [C, H, W]}; an error unless it is that or a batch. */
    private boolean checkRank(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("MaxPool2d(" + extraRepr() + "): expected input [N, C, H, W] or"
                    + " [C, H, W], got " + Arrays.toString(input.shape()));
        }
        return input.dim() == 3;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + SpecChecks.text(spec.kernelSize()) + ", stride=" + SpecChecks.text(spec.stride())
                + ", padding=" + SpecChecks.text(spec.padding()) + ", dilation=" + SpecChecks.text(spec.dilation())
                + ", ceil_mode=" + (spec.ceilMode() ? "True" : "False");
    }
}

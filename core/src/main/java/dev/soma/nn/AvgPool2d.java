package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d}: each output is the sum of its {@code kh×kw}
 * window over the input padded with zeros, divided by the window's size,
 *
 * <pre>  out[n, c, y, x] = 1/D(y, x) · Σ_{i, j} in[n, c, y·sh − ph + i, x·sw − pw + j]</pre>
 *
 * where, with the window's rows {@code [y·sh − ph, y·sh − ph + kh)} cut at {@code H + ph} (only a
 * {@code ceil_mode} window reaches past it) and likewise its columns, {@code D} is the number of
 * positions left (padding counted: {@code count_include_pad}, PyTorch's default, which is {@code kh·kw}
 * unless a ceil-mode window is cut), or with {@code count_include_pad} false only those inside the
 * input, or {@code divisor_override} when given.
 *
 * <p>Shapes: input {@code [N, C, H, W]} (or {@code [C, H, W]}) → output {@code [N, C, outH, outW]},
 * {@code outH = ⌊(H + 2ph − kh)/sh⌋ + 1}, likewise outW, the division rounded up with
 * {@code ceil_mode} (a last window starting in the padding after the input is dropped, as in
 * PyTorch). No parameters.
 *
 * <p>Composed: {@link Tensor#unfold} lays each zero-padded window out along one dimension (a
 * ceil-mode window's overhang first added as zero rows and columns), a sum or {@link Tensor#mean(int)}
 * reduces it, and a constant tensor of the divisors divides it; the gradient follows by autograd.
 */
public class AvgPool2d extends Module {

    // MaxPool2d.Spec is this record with dilation, without count_include_pad and divisor_override.
    /**
     * {@code avgpool2d}: The mean of each {@code kh×kw} window, {@code [C, H, W] → [C, H', W']};
     * PyTorch's defaults: stride the kernel size, padding 0, ceil_mode false, count_include_pad true,
     * divisor_override null (none; else not 0); padding at most half the kernel.
     */
    public record Spec(Pair kernelSize, Pair stride, Pair padding, boolean ceilMode, boolean countIncludePad,
                       Integer divisorOverride) implements LayerSpec {
        public Spec {
            SpecChecks.pooling(kernelSize, stride, padding);
            if (divisorOverride != null && divisorOverride == 0) {
                throw new IllegalArgumentException("divisor_override must not be 0 (null for none)");
            }
        }

        /** Non-overlapping {@code k×k} windows: stride k, no padding. */
        public Spec(int kernelSize) {
            this(kernelSize, kernelSize, 0);
        }

        /** The same sizes along H and W, PyTorch's defaults for the rest. */
        public Spec(int kernelSize, int stride, int padding) {
            this(Pair.of(kernelSize), Pair.of(stride), Pair.of(padding), false, true, null);
        }

        /** Non-overlapping {@code kh×kw} windows: stride the kernel size, no padding. */
        public Spec(Pair kernelSize) {
            this(kernelSize, kernelSize, Pair.of(0), false, true, null);
        }

        public Spec stride(Pair stride) {
            return new Spec(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
        }

        public Spec padding(Pair padding) {
            return new Spec(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
        }

        public Spec ceilMode(boolean ceilMode) {
            return new Spec(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
        }

        public Spec countIncludePad(boolean countIncludePad) {
            return new Spec(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
        }

        /** Every window's sum divided by {@code divisor} (not 0), or null for its size. */
        public Spec divisorOverride(Integer divisor) {
            return new Spec(kernelSize, stride, padding, ceilMode, countIncludePad, divisor);
        }

        static Spec read(LayerArgs args) {
            Pair kernelSize = args.pair("kernel_size", null);
            Pair stride = Objects.requireNonNullElse(args.pairOrNull("stride"), kernelSize); // None: the kernel
            return new Spec(kernelSize, stride, args.pair("padding", Pair.of(0)),
                    args.bool("ceil_mode", false), args.bool("count_include_pad", true),
                    args.integerOrNull("divisor_override"));
        }

        @Override
        public String type() {
            return "avgpool2d";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("kernel_size", kernelSize.toArg());
            args.put("stride", stride.toArg());
            args.put("padding", padding.toArg());
            args.put("ceil_mode", ceilMode);
            args.put("count_include_pad", countIncludePad);
            args.put("divisor_override", divisorOverride);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, -1, null);
            return SpecChecks.window(input, given, input[0], kernelSize, stride, padding, Pair.of(1), ceilMode);
        }

        @Override
        public AvgPool2d build(Generator generator) {
            return new AvgPool2d(this);
        }
    }

    private final Spec spec;

    /** Pooling over non-overlapping {@code k×k} windows (stride k, no padding). */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(checked(kernelSize, stride, padding));
    }

    /** The pooling {@code spec} describes; {@code new AvgPool2d(new Spec(3, 2, 1).countIncludePad(false))}. */
    public AvgPool2d(Spec spec) {
        this.spec = spec;
    }

    private static Spec checked(int kernelSize, int stride, int padding) {
        MaxPool2d.checkSettings("AvgPool2d", kernelSize, stride, padding, 1);
        return new Spec(kernelSize, stride, padding);
    }

    /**
     * Average pooling as a function (PyTorch's {@code F.avg_pool2d}, padding counted) of an input
     * {@code [N, C, H, W]}. Nothing is modified.
     */
    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        MaxPool2d.checkSettings("avgPool2d", kernelSize, stride, padding, 1);
        return avgPool2d(input, new Spec(kernelSize, stride, padding));
    }

    /**
     * Average pooling with every setting of {@code spec}, as PyTorch's {@code F.avg_pool2d(x, kernel_size,
     * stride, padding, ceil_mode, count_include_pad, divisor_override)}, of an input {@code [N, C, H, W]}.
     * Nothing is modified.
     */
    public static Tensor avgPool2d(Tensor input, Spec spec) {
        int[] shape = MaxPool2d.requireImages("avgPool2d", input);
        Pair k = spec.kernelSize();
        Pair s = spec.stride();
        Pair p = spec.padding();
        int outH = Shape.poolingOutputSize(shape[2], k.h(), 1, p.h(), s.h(), spec.ceilMode());
        int outW = Shape.poolingOutputSize(shape[3], k.w(), 1, p.w(), s.w(), spec.ceilMode());
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("avgPool2d: the kernel " + SpecChecks.text(k) + " is larger than the"
                    + " padded input " + Arrays.toString(shape) + " with padding " + SpecChecks.text(p));
        }
        Tensor extended = zeroRows(input, 2, (outH - 1) * s.h() + k.h() - (shape[2] + 2 * p.h()));
        extended = zeroRows(extended, 3, (outW - 1) * s.w() + k.w() - (shape[3] + 2 * p.w()));
        Tensor windows = extended.unfold(k.h(), k.w(), 1, 1, p.h(), p.w(), s.h(), s.w())
                .view(shape[0], shape[1], k.h() * k.w(), outH * outW);
        float[] divisors = divisors(spec, shape[2], shape[3], outH, outW);
        boolean whole = true;
        for (float d : divisors) {
            whole &= d == k.h() * k.w();
        }
        Tensor pooled = whole ? windows.mean(2) : windows.sum(2).div(Tensor.of(divisors, outH * outW));
        return pooled.view(shape[0], shape[1], outH, outW);
    }

    /** Each output position's divisor {@code D(y, x)} (see the class comment), row-major. */
    static float[] divisors(Spec spec, int height, int width, int outH, int outW) {
        float[] divisors = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                divisors[y * outW + x] = spec.divisorOverride() != null ? spec.divisorOverride()
                        : count(spec, y, height, spec.kernelSize().h(), spec.stride().h(), spec.padding().h())
                                * count(spec, x, width, spec.kernelSize().w(), spec.stride().w(), spec.padding().w());
            }
        }
        return divisors;
    }

    /** How many of window {@code o}'s positions along one axis its divisor counts. */
    private static int count(Spec spec, int o, int size, int kernel, int stride, int padding) {
        int start = o * stride - padding;
        int end = Math.min(start + kernel, size + padding);
        return spec.countIncludePad() ? end - start : Math.min(end, size) - Math.max(start, 0);
    }

    /** {@code x} with {@code extra} zero rows ({@code dim} 2) or columns (3) appended; itself if none. */
    private static Tensor zeroRows(Tensor x, int dim, int extra) {
        if (extra <= 0) {
            return x;
        }
        int[] shape = x.shape();
        shape[dim] = extra;
        return Tensor.cat(List.of(x, Tensor.zeros(shape)), dim);
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 3) {
            return avgPool2d(input.unsqueeze(0), spec).squeeze(0);
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException("AvgPool2d(" + extraRepr() + "): expected input [N, C, H, W] or"
                    + " [C, H, W], got " + Arrays.toString(input.shape()));
        }
        return avgPool2d(input, spec);
    }

    @Override
    protected String extraRepr() {
        // PyTorch's repr shows kernel, stride and padding; the other settings are shown when not the defaults
        return "kernel_size=" + SpecChecks.text(spec.kernelSize()) + ", stride=" + SpecChecks.text(spec.stride())
                + ", padding=" + SpecChecks.text(spec.padding()) + (spec.ceilMode() ? ", ceil_mode=True" : "")
                + (spec.countIncludePad() ? "" : ", count_include_pad=False")
                + (spec.divisorOverride() == null ? "" : ", divisor_override=" + spec.divisorOverride());
    }
}

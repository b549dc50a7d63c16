package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transposed 2-D convolution, as PyTorch's {@code nn.ConvTranspose2d}: the adjoint of
 * {@link Conv2d}, the gradient of a convolution with respect to its input. Each input pixel scatters
 * its kernel-weighted copy into the output, {@code stride} apart:
 *
 * <pre>  out[n, o, y·s − p + i·d, x·s − p + j·d] += W[c, o, i, j] · in[n, c, y, x]     (+ b[o])</pre>
 *
 * Shapes: input {@code [N, in, H, W]} (or {@code [in, H, W]}) → output {@code [N, out, H', W']},
 * {@code H' = (H − 1)·s − 2p + d·(k − 1) + output_padding + 1}, likewise W'; weight
 * {@code [in, out/groups, kh, kw]} (PyTorch's layout, in before out), bias {@code [out]}. Initialised
 * as PyTorch's, {@code U(−1/√fanIn, 1/√fanIn)} with {@code fanIn = (out/groups)·kh·kw} (the weight's
 * second dimension, as PyTorch computes it).
 *
 * <p>Computed as a convolution with stride 1: the input spread out with {@code s − 1} zeros between
 * pixels, padded by {@code d·(k − 1) − p} (plus {@code output_padding} at the bottom and right), and
 * convolved with the kernel flipped and its in and out exchanged. Readable rather than fast.
 */
public class ConvTranspose2d extends Module {

    /**
     * {@code conv_transpose2d}: PyTorch's arguments and defaults (stride 1, padding 0,
     * output_padding 0, groups 1, bias true, dilation 1). {@code output_padding} must be smaller than the
     * stride or the dilation, as PyTorch requires.
     */
    public record Spec(int inChannels, int outChannels, Pair kernelSize, Pair stride, Pair padding,
            Pair outputPadding, int groups, boolean bias, Pair dilation) implements LayerSpec {
        public Spec {
            new Conv2d.Spec(inChannels, outChannels, kernelSize, stride, padding, false, dilation, groups, bias);
            outputPadding.nonNegative("output_padding");
            if (outputPadding.h() >= Math.max(stride.h(), dilation.h())
                    || outputPadding.w() >= Math.max(stride.w(), dilation.w())) {
                throw new IllegalArgumentException("output_padding must be smaller than the stride or the dilation, got "
                        + outputPadding + " with stride " + stride + " and dilation " + dilation);
            }
        }

        public Spec(int inChannels, int outChannels, int kernelSize) {
            this(inChannels, outChannels, Pair.of(kernelSize), Pair.of(1), Pair.of(0), Pair.of(0), 1, true, Pair.of(1));
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.integer("in_channels"), args.integer("out_channels"), args.pair("kernel_size", null),
                    args.pair("stride", Pair.of(1)), args.pair("padding", Pair.of(0)),
                    args.pair("output_padding", Pair.of(0)), args.integer("groups", 1), args.bool("bias", true),
                    args.pair("dilation", Pair.of(1)));
        }

        @Override
        public long stateElements() {
            // NOTE: in double, exact below 2^53, and the cast saturates at Long.MAX_VALUE where a long would wrap.
            return (long) ((double) inChannels * (outChannels / groups) * kernelSize.h() * kernelSize.w()
                    + (bias ? outChannels : 0));
        }

        @Override
        public String type() {
            return "conv_transpose2d";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("in_channels", inChannels);
            args.put("out_channels", outChannels);
            args.put("kernel_size", kernelSize.toArg());
            args.put("stride", stride.toArg());
            args.put("padding", padding.toArg());
            args.put("output_padding", outputPadding.toArg());
            args.put("groups", groups);
            args.put("bias", bias);
            args.put("dilation", dilation.toArg());
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, inChannels, "input channels");
            int height = size(input[1], kernelSize.h(), stride.h(), padding.h(), outputPadding.h(), dilation.h());
            int width = size(input[2], kernelSize.w(), stride.w(), padding.w(), outputPadding.w(), dilation.w());
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("padding " + padding + " leaves no output of the images: " + given
                        + " " + Shape.format(input));
            }
            return new int[] {outChannels, height, width};
        }

        static int size(int in, int kernel, int stride, int padding, int outputPadding, int dilation) {
            return (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
        }

        @Override
        public ConvTranspose2d build(Generator generator) {
            return new ConvTranspose2d(this, generator);
        }
    }

    private final Spec spec;
    private final Tensor weight;
    private final Tensor bias;

    /** Stride 1, no padding, with bias, initialised from the global generator. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(new Spec(inChannels, outChannels, kernelSize), Generator.global());
    }

    public ConvTranspose2d(Spec spec, Generator generator) {
        this.spec = spec;
        Pair k = spec.kernelSize();
        this.weight = registerParameter("weight",
                Tensor.zeros(spec.inChannels(), spec.outChannels() / spec.groups(), k.h(), k.w()));
        this.bias = spec.bias() ? registerParameter("bias", Tensor.zeros(spec.outChannels())) : null;
        resetParameters(generator);
    }

    /** Draws weight and bias from {@code U(−1/√fanIn, 1/√fanIn)}, as PyTorch. Modifies both. */
    public void resetParameters(Generator generator) {
        Init.convolutionDefaults(weight, bias, generator);
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
            throw new IllegalArgumentException("ConvTranspose2d(" + extraRepr() + "): expected input [N, "
                    + spec.inChannels() + ", H, W] or [" + spec.inChannels() + ", H, W], got " + Shape.format(shape));
        }
        Tensor out = convTranspose2d(unbatched ? input.unsqueeze(0) : input, weight, bias, spec);
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * The transposed convolution of {@code spec}'s settings as a function (PyTorch's
     * {@code F.conv_transpose2d}): input {@code [N, in, H, W]}, weight {@code [in, out/groups, kh, kw]},
     * bias {@code [out]} or null. Nothing is modified.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, Spec spec) {
        Tensor x = input;
        Pair k = spec.kernelSize();
        Pair d = spec.dilation();
        int reachH = d.h() * (k.h() - 1) - spec.padding().h();
        int reachW = d.w() * (k.w() - 1) - spec.padding().w();
        x = spread(x, 2, spec.stride().h());
        x = spread(x, 3, spec.stride().w());
        x = pad(x, 2, reachH, reachH + spec.outputPadding().h());
        x = pad(x, 3, reachW, reachW + spec.outputPadding().w());
        return x.conv2d(forwardKernel(weight, spec), bias, new int[] {1, 1}, new int[] {0, 0}, d.toArray(),
                spec.groups());
    }

    /**
     * The weight as an ordinary convolution's, {@code [out, in/groups, kh, kw]}: within each group, in
     * and out exchanged, and the kernel turned by 180°.
     */
    private static Tensor forwardKernel(Tensor weight, Spec spec) {
        int groups = spec.groups();
        int in = spec.inChannels() / groups;
        int out = spec.outChannels() / groups;
        Pair k = spec.kernelSize();
        Tensor exchanged = weight.view(groups, in, out, k.h(), k.w()).transpose(1, 2)
                .reshape(spec.outChannels(), in, k.h(), k.w());
        return exchanged.indexSelect(2, Tensor.arange(k.h() - 1, -1, -1).toLong())
                .indexSelect(3, Tensor.arange(k.w() - 1, -1, -1).toLong());
    }

    /** {@code x} with {@code stride − 1} zeros between neighbours along {@code dim}. */
    private static Tensor spread(Tensor x, int dim, int stride) {
        if (stride == 1) {
            return x;
        }
        int[] shape = x.shape();
        int[] gaps = java.util.Arrays.copyOf(shape, shape.length + 1);
        System.arraycopy(shape, dim + 1, gaps, dim + 2, shape.length - dim - 1);
        gaps[dim + 1] = stride - 1;
        Tensor interleaved = Tensor.cat(List.of(x.unsqueeze(dim + 1), Tensor.zeros(gaps)), dim + 1);
        int[] merged = shape.clone();
        merged[dim] = shape[dim] * stride;
        return interleaved.reshape(merged).narrow(dim, 0, (shape[dim] - 1) * stride + 1);
    }

    /** {@code x} with {@code before} and {@code after} zeros along {@code dim}; a negative count crops. */
    private static Tensor pad(Tensor x, int dim, int before, int after) {
        int size = x.size(dim);
        x = x.narrow(dim, Math.max(0, -before), size - Math.max(0, -before) - Math.max(0, -after));
        List<Tensor> parts = new ArrayList<>(3);
        if (before > 0) {
            parts.add(zerosLike(x, dim, before));
        }
        parts.add(x);
        if (after > 0) {
            parts.add(zerosLike(x, dim, after));
        }
        return parts.size() == 1 ? x : Tensor.cat(parts, dim);
    }

    private static Tensor zerosLike(Tensor x, int dim, int size) {
        int[] shape = x.shape();
        shape[dim] = size;
        return Tensor.zeros(shape);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(spec.inChannels()).append(", ").append(spec.outChannels())
                .append(", kernel_size=").append(spec.kernelSize()).append(", stride=").append(spec.stride());
        if (!spec.padding().equals(Pair.of(0))) {
            s.append(", padding=").append(spec.padding());
        }
        if (!spec.outputPadding().equals(Pair.of(0))) {
            s.append(", output_padding=").append(spec.outputPadding());
        }
        if (!spec.dilation().equals(Pair.of(1))) {
            s.append(", dilation=").append(spec.dilation());
        }
        if (spec.groups() != 1) {
            s.append(", groups=").append(spec.groups());
        }
        return bias == null ? s.append(", bias=False").toString() : s.toString();
    }
}

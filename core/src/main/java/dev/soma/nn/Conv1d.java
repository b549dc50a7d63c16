package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 1-D convolution over a batch of sequences, as PyTorch's {@code nn.Conv1d}:
 *
 * <pre>  out[n, o, t] = b[o] + Σ_c Σ_i W[o, c, i] · in[n, c, t·s − p + i·d]</pre>
 *
 * with zero padding p (or {@code padding="same"}), stride s, dilation d and {@code groups}, as
 * {@link Conv2d}'s. Shapes: input {@code [N, in, L]} (or {@code [in, L]}) → output {@code [N, out, L']},
 * {@code L' = ⌊(L + 2p − d·(k−1) − 1)/s⌋ + 1}; weight {@code [out, in/groups, k]}, bias {@code [out]};
 * initialised as PyTorch's, {@code U(−1/√fanIn, 1/√fanIn)}, {@code fanIn = (in/groups)·k}. Computed as
 * a {@link Conv2d} of images one pixel high.
 */
public class Conv1d extends Module {

    /**
     * {@code conv1d}: PyTorch's arguments and defaults (stride 1, padding 0, dilation 1, groups 1,
     * bias true); {@code padding} may be {@code "same"} or {@code "valid"}.
     */
    public record Spec(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean samePadding,
            int dilation, int groups, boolean bias) implements LayerSpec {
        public Spec {
            asConv2d(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation, groups, bias);
        }

        public Spec(int inChannels, int outChannels, int kernelSize) {
            this(inChannels, outChannels, kernelSize, 1, 0, false, 1, 1, true);
        }

        static Spec read(LayerArgs args) {
            Conv2d.Spec flat = Conv2d.Spec.read(args);
            if (!flat.kernelSize().square() || !flat.stride().square() || !flat.padding().square()
                    || !flat.dilation().square()) {
                throw new IllegalArgumentException("a 1-D convolution's kernel_size, stride, padding and dilation are"
                        + " single integers");
            }
            return new Spec(flat.inChannels(), flat.outChannels(), flat.kernelSize().h(), flat.stride().h(),
                    flat.padding().h(), flat.samePadding(), flat.dilation().h(), flat.groups(), flat.bias());
        }

        /** The same convolution over images {@code [C, 1, L]}. */
        Conv2d.Spec asConv2d() {
            return asConv2d(inChannels, outChannels, kernelSize, stride, padding, samePadding, dilation, groups, bias);
        }

        private static Conv2d.Spec asConv2d(int in, int out, int kernel, int stride, int padding, boolean same,
                                            int dilation, int groups, boolean bias) {
            return new Conv2d.Spec(in, out, new Pair(1, kernel), new Pair(1, stride), new Pair(0, padding), same,
                    new Pair(1, dilation), groups, bias);
        }

        @Override
        public long stateElements() {
            return (long) ((double) outChannels * (inChannels / groups) * kernelSize + (bias ? outChannels : 0));
        }

        @Override
        public String type() {
            return "conv1d";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("in_channels", inChannels);
            args.put("out_channels", outChannels);
            args.put("kernel_size", kernelSize);
            args.put("stride", stride);
            args.put("padding", samePadding ? "same" : padding);
            args.put("dilation", dilation);
            args.put("groups", groups);
            args.put("bias", bias);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            if (input.length != 2 || input[0] != inChannels) {
                throw new IllegalArgumentException("expects sequences [" + inChannels + ", L], " + given + " "
                        + Shape.format(input));
            }
            int[] images = asConv2d().outputShape(new int[] {input[0], 1, input[1]}, given);
            return new int[] {images[0], images[2]};
        }

        @Override
        public Conv1d build(Generator generator) {
            return new Conv1d(this, generator);
        }
    }

    private final Spec spec;
    private final Tensor weight;
    private final Tensor bias;

    /** A convolution with stride 1, no padding and bias, initialised from the global generator. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(new Spec(inChannels, outChannels, kernelSize), Generator.global());
    }

    public Conv1d(Spec spec, Generator generator) {
        this.spec = spec;
        this.weight = registerParameter("weight",
                Tensor.zeros(spec.outChannels(), spec.inChannels() / spec.groups(), spec.kernelSize()));
        this.bias = spec.bias() ? registerParameter("bias", Tensor.zeros(spec.outChannels())) : null;
        resetParameters(generator);
    }

    /** Draws weight and bias from {@code U(−1/√fanIn, 1/√fanIn)}, as {@link Conv2d}. Modifies both. */
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
        boolean unbatched = shape.length == 2;
        if (!(shape.length == 3 || unbatched) || shape[shape.length - 2] != spec.inChannels()) {
            throw new IllegalArgumentException("Conv1d(" + extraRepr() + "): expected input [N, " + spec.inChannels()
                    + ", L] or [" + spec.inChannels() + ", L], got " + Shape.format(shape));
        }
        Tensor images = (unbatched ? input.unsqueeze(0) : input).unsqueeze(2);
        Tensor out = Conv2d.convolve(images, weight.unsqueeze(2), bias, spec.asConv2d()).squeeze(2);
        return unbatched ? out.squeeze(0) : out;
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
                .append(", kernel_size=(").append(spec.kernelSize()).append(",), stride=(").append(spec.stride())
                .append(",)");
        if (spec.samePadding()) {
            s.append(", padding=same");
        } else if (spec.padding() != 0) {
            s.append(", padding=(").append(spec.padding()).append(",)");
        }
        if (spec.dilation() != 1) {
            s.append(", dilation=(").append(spec.dilation()).append(",)");
        }
        if (spec.groups() != 1) {
            s.append(", groups=").append(spec.groups());
        }
        return bias == null ? s.append(", bias=False").toString() : s.toString();
    }
}

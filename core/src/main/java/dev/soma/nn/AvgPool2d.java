package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d} with its default
 * {@code count_include_pad = true}: each output is the mean of its {@code k×k} window over the input
 * padded with zeros, the padding counted,
 *
 * <pre>  out[n, c, y, x] = 1/k² · Σ_{i, j} in[n, c, y·s − p + i, x·s − p + j]</pre>
 *
 * <p>Shapes: input {@code [N, C, H, W]} (or {@code [C, H, W]}) → output {@code [N, C, outH, outW]},
 * {@code outH = ⌊(H + 2p − k)/s⌋ + 1}, likewise outW. No parameters.
 *
 * <p>Composed: {@link Tensor#unfold} lays each zero-padded window out along one dimension and
 * {@link Tensor#mean(int)} averages it; the gradient, {@code 1/k²} to every element of a window,
 * follows by autograd.
 */
public class AvgPool2d extends Module {

    // MaxPool2d.Spec is this record with dilation: one record per layer type, each read in one place.
    /**
     * {@code avgpool2d}: The mean (padding counted) of each {@code k×k} window, {@code [C, H, W] → [C, H', W']};
     * PyTorch's defaults: stride k, padding 0, padding at most half the kernel.
     */
    public record Spec(int kernelSize, int stride, int padding) implements LayerSpec {
        public Spec {
            SpecChecks.pooling(kernelSize, stride, padding);
        }

        /** Non-overlapping {@code k×k} windows: stride k, no padding. */
        public Spec(int kernelSize) {
            this(kernelSize, kernelSize, 0);
        }

        static Spec read(LayerArgs args) {
            int kernelSize = args.integer("kernel_size");
            return new Spec(kernelSize, args.integer("stride", kernelSize), args.integer("padding", 0));
        }

        @Override
        public String type() {
            return "avgpool2d";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("kernel_size", kernelSize);
            args.put("stride", stride);
            args.put("padding", padding);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, -1, null);
            return SpecChecks.window(input, given, input[0], kernelSize, stride, padding, 1);
        }

        @Override
        public AvgPool2d build(Generator generator) {
            return new AvgPool2d(kernelSize, stride, padding);
        }
    }

    private final int kernelSize;
    private final int stride;
    private final int padding;

    /** Pooling over non-overlapping {@code k×k} windows (stride k, no padding). */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        MaxPool2d.checkSettings("AvgPool2d", kernelSize, stride, padding, 1);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    /**
     * Average pooling as a function (PyTorch's {@code F.avg_pool2d}, padding counted) of an input
     * {@code [N, C, H, W]}. Nothing is modified.
     */
    public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
        MaxPool2d.checkSettings("avgPool2d", kernelSize, stride, padding, 1);
        int[] shape = MaxPool2d.requireImages("avgPool2d", input);
        int outH = Shape.convolutionOutputSize(shape[2], kernelSize, 1, padding, stride);
        int outW = Shape.convolutionOutputSize(shape[3], kernelSize, 1, padding, stride);
        Tensor windows = input.unfold(kernelSize, kernelSize, 1, 1, padding, padding, stride, stride)
                .view(shape[0], shape[1], kernelSize * kernelSize, outH * outW);
        return windows.mean(2).view(shape[0], shape[1], outH, outW);
    }

    @Override
    public Spec spec() {
        return new Spec(kernelSize, stride, padding);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 3) {
            return avgPool2d(input.unsqueeze(0), kernelSize, stride, padding).squeeze(0);
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException("AvgPool2d(" + extraRepr() + "): expected input [N, C, H, W] or"
                    + " [C, H, W], got " + Arrays.toString(input.shape()));
        }
        return avgPool2d(input, kernelSize, stride, padding);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }
}

package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d}: each output is the largest element of its
 * {@code k×k} window,
 *
 * <pre>  out[n, c, y, x] = max_{i, j} in[n, c, y·s − p + i·d, x·s − p + j·d]</pre>
 *
 * over the input padded with −∞ (so padding never wins). The gradient goes to the maximum of each
 * window; when several elements tie, to the first in row-major order, as PyTorch's.
 *
 * <p>Shapes: input {@code [N, C, H, W]} (or {@code [C, H, W]}) → output {@code [N, C, outH, outW]},
 * {@code outH = ⌊(H + 2p − d·(k−1) − 1)/s⌋ + 1}, likewise outW. No parameters.
 *
 * <p>Computed by the primitive {@link Tensor#maxPool2d}, which remembers where each maximum came
 * from and sends each gradient to that one element ({@code max} would share it among ties).
 */
public class MaxPool2d extends Module {

    // AvgPool2d.Spec is this record without dilation: one record per layer type, each read in one place.
    /**
     * {@code maxpool2d}: The maximum of each {@code k×k} window, {@code [C, H, W] → [C, H', W']};
     * PyTorch's defaults: stride k, padding 0, dilation 1, padding at most half the kernel.
     */
    public record Spec(int kernelSize, int stride, int padding, int dilation) implements LayerSpec {
        public Spec {
            SpecChecks.pooling(kernelSize, stride, padding);
            SpecChecks.positive("dilation", dilation);
        }

        /** Non-overlapping {@code k×k} windows: stride k, no padding. */
        public Spec(int kernelSize) {
            this(kernelSize, kernelSize, 0, 1);
        }

        static Spec read(LayerArgs args) {
            int kernelSize = args.integer("kernel_size");
            return new Spec(kernelSize, args.integer("stride", kernelSize), args.integer("padding", 0), args.integer("dilation", 1));
        }

        @Override
        public String type() {
            return "maxpool2d";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("kernel_size", kernelSize);
            args.put("stride", stride);
            args.put("padding", padding);
            args.put("dilation", dilation);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, -1, null);
            return SpecChecks.window(input, given, input[0], kernelSize, stride, padding, dilation);
        }

        @Override
        public MaxPool2d build(Generator generator) {
            return new MaxPool2d(kernelSize, stride, padding, dilation);
        }
    }

    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int dilation;

    /** Pooling over non-overlapping {@code k×k} windows (stride k, no padding). */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(kernelSize, stride, padding, 1);
    }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation) {
        checkSettings("MaxPool2d", kernelSize, stride, padding, dilation);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
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

    /** The shape of a rank-4 input, else an error naming the op. */
    static int[] requireImages(String op, Tensor input) {
        int[] shape = input.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Arrays.toString(shape));
        }
        return shape;
    }

    /** Whether this is {@code MaxPool2d(2)}: 2×2 windows, stride 2, no padding or dilation. */
    boolean isTwoByTwo() {
        return kernelSize == 2 && stride == 2 && padding == 0 && dilation == 1;
    }

    @Override
    public Spec spec() {
        return new Spec(kernelSize, stride, padding, dilation);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 3) {
            return maxPool2d(input.unsqueeze(0), kernelSize, stride, padding, dilation).squeeze(0);
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException("MaxPool2d(" + extraRepr() + "): expected input [N, C, H, W] or"
                    + " [C, H, W], got " + Arrays.toString(input.shape()));
        }
        return maxPool2d(input, kernelSize, stride, padding, dilation);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=False";
    }
}

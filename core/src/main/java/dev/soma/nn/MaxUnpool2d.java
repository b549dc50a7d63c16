package dev.soma.nn;

import dev.soma.tensor.Tensor;
import java.util.Arrays;

/**
 * The partial inverse of {@link MaxPool2d}, as PyTorch's {@code nn.MaxUnpool2d}: each pooled value is
 * written back where its maximum was, every other position is zero,
 *
 * <pre>  out[n, c].flat[indices[n, c, y, x]] = in[n, c, y, x]</pre>
 *
 * with int64 {@code indices} from {@link MaxPool2d#forwardWithIndices} (flat positions
 * {@code y·W + x} in each {@code (n, c)} plane). Where two values share an index, the later in
 * row-major order wins, as in PyTorch's CPU kernel. The gradient of each input element is the output's gradient at its index.
 *
 * <p>Shapes: input and indices {@code [N, C, H, W]} (or {@code [C, H, W]}) → output
 * {@code [N, C, outH, outW]}, by default {@code outH = (H − 1)·sh − 2ph + kh}, likewise outW; an
 * {@code output_size} (the pooling's input size, when it was not a whole number of strides) must lie
 * strictly between that minus and plus the stride, as PyTorch requires. No parameters.
 *
 * <p>It takes two inputs, so a {@link Sequential} (and so a model spec) cannot hold it: call
 * {@link #forward(Tensor, Tensor)} or {@link #maxUnpool2d}.
 */
public class MaxUnpool2d extends Module {

    private final Pair kernelSize;
    private final Pair stride;
    private final Pair padding;

    /** Unpooling of {@code k×k} windows, stride k, no padding: the inverse of {@code MaxPool2d(k)}. */
    public MaxUnpool2d(int kernelSize) {
        this(Pair.of(kernelSize), Pair.of(kernelSize), Pair.of(0));
    }

    /** PyTorch's {@code nn.MaxUnpool2d(kernel_size, stride, padding)}; stride is not optional here. */
    public MaxUnpool2d(Pair kernelSize, Pair stride, Pair padding) {
        this.kernelSize = kernelSize.positive("kernel_size");
        this.stride = stride.positive("stride");
        this.padding = padding.nonNegative("padding");
    }

    /** Modules take one input; this one needs the indices too. */
    @Override
    public Tensor forward(Tensor input) {
        throw new IllegalArgumentException("MaxUnpool2d(" + extraRepr() + ") needs the indices of the max pooling:"
                + " call forward(input, indices)");
    }

    /** The unpooled {@code input}, of the default output size. Nothing is modified. */
    public Tensor forward(Tensor input, Tensor indices) {
        return forward(input, indices, null);
    }

    /**
     * The unpooled {@code input}; {@code outputSize} is {@code [H, W]}, {@code [N, C, H, W]} (only its
     * last two count) or null for the default. Nothing is modified.
     */
    public Tensor forward(Tensor input, Tensor indices, int[] outputSize) {
        if (input.dim() == 3) {
            return maxUnpool2d(input.unsqueeze(0), indices.unsqueeze(0), kernelSize, stride, padding, outputSize)
                    .squeeze(0);
        }
        return maxUnpool2d(input, indices, kernelSize, stride, padding, outputSize);
    }

    /**
     * Max unpooling as a function, PyTorch's {@code F.max_unpool2d(input, indices, kernel_size, stride,
     * padding, output_size)}, of an input {@code [N, C, H, W]} and its indices. Nothing is modified.
     */
    public static Tensor maxUnpool2d(Tensor input, Tensor indices, Pair kernelSize, Pair stride, Pair padding,
                                     int[] outputSize) {
        int[] shape = MaxPool2d.requireImages("maxUnpool2d", input);
        int[] size = outputSize(shape, kernelSize, stride, padding, outputSize);
        return input.maxUnpool2d(indices, size[0], size[1]);
    }

    /** {@code {outH, outW}}: the default, or {@code requested} when PyTorch accepts it. */
    static int[] outputSize(int[] shape, Pair kernel, Pair stride, Pair padding, int[] requested) {
        int[] defaults = {(shape[2] - 1) * stride.h() - 2 * padding.h() + kernel.h(),
            (shape[3] - 1) * stride.w() - 2 * padding.w() + kernel.w()};
        if (requested == null) {
            return defaults;
        }
        if (requested.length != 2 && requested.length != 4) {
            throw new IllegalArgumentException("maxUnpool2d: output_size must be [H, W] or [N, C, H, W], got "
                    + Arrays.toString(requested));
        }
        int[] size = Arrays.copyOfRange(requested, requested.length - 2, requested.length);
        int[] strides = stride.toArray();
        for (int d = 0; d < 2; d++) {
            if (size[d] <= defaults[d] - strides[d] || size[d] >= defaults[d] + strides[d]) {
                throw new IllegalArgumentException("maxUnpool2d: invalid output_size " + Arrays.toString(requested)
                        + " (dim " + d + " must be between " + (defaults[d] - strides[d]) + " and "
                        + (defaults[d] + strides[d]) + ", exclusive)");
            }
        }
        return size;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }
}

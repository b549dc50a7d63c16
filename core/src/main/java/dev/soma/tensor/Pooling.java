package dev.soma.tensor;

import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.Workers;

/**
 * Max pooling as one primitive: each output is the largest element of its window, and the gradient
 * goes back to that one element; and its inverse, max unpooling.
 *
 * <p>For an input {@code [N, C, H, W]}, a {@code kh×kw} window with dilation d, padding p and stride s
 * (each per axis):
 *
 * <pre>  out[n, c, y, x] = max_{i < kh, j < kw} in[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw]</pre>
 *
 * over the positions inside the input (padding is −∞, so it never wins), with
 * {@code outH = ⌊(H + 2ph − dh·(kh−1) − 1)/sh⌋ + 1}, likewise outW, or with {@code ceilMode} the
 * division rounded up ({@link Shape#poolingOutputSize}: a last window that would start in the padding
 * after the input is dropped, as in PyTorch). Forward remembers where each maximum came from; backward
 * adds each output gradient to that input element:
 *
 * <pre>  ∂L/∂in[q] = Σ_{outputs o whose maximum is q} ∂L/∂out[o]</pre>
 *
 * Ties go to the first element in row-major order and a NaN wins over any number, as in PyTorch's
 * kernel ({@code val > max || isnan(val)}). Composing this from unfold, argmax and gather gives the
 * same values but builds the windows as a tensor kh·kw times the input's size, and costs several passes.
 *
 * <p>The positions, as PyTorch's {@code return_indices=True} gives them, are flat indices into each
 * {@code (n, c)} plane of the input, {@code y·W + x}; {@link #maxUnpool2d} writes values back there.
 */
final class Pooling {

    private static final Kernels KERNELS = Kernels.active();
    private static final Workers WORKERS = Workers.active();

    private Pooling() {
    }

    /** The same kernel, stride, padding and dilation along H and W, and no ceil mode. */
    static Tensor maxPool2d(Tensor x, int kernelSize, int stride, int padding, int dilation) {
        return maxPool2d(x, pair(kernelSize), pair(stride), pair(padding), pair(dilation), false);
    }

    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return pool(x, kernel, stride, padding, dilation, ceilMode, false).values();
    }

    /** The pooled values and, for each, the flat position of its maximum in its input plane. */
    static Tensor.ValuesAndIndices maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding,
                                                        int[] dilation, boolean ceilMode) {
        Typed.requireFloat32("maxPool2d", x);
        return pool(x, kernel, stride, padding, dilation, ceilMode, true);
    }

    private static Tensor.ValuesAndIndices pool(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                boolean ceilMode, boolean withIndices) {
        checkArguments(x, kernel, stride, padding, dilation, ceilMode);
        int planes = x.shape[0] * x.shape[1];
        int height = x.shape[2];
        int width = x.shape[3];
        int outH = Shape.poolingOutputSize(height, kernel[0], dilation[0], padding[0], stride[0], ceilMode);
        int outW = Shape.poolingOutputSize(width, kernel[1], dilation[1], padding[1], stride[1], ceilMode);
        float[] in = x.contiguousData();
        float[] out = new float[planes * outH * outW];
        int[] source = new int[out.length];
        var window = new Window(kernel, stride, padding, dilation, height, width, outH, outW,
                Window.offsets(kernel, dilation, width));
        boolean inside = window.inside();
        boolean common = inside && kernel[0] == 2 && kernel[1] == 2 && stride[0] == 2 && stride[1] == 2
                && dilation[0] == 1 && dilation[1] == 1; // the usual MaxPool2d(2)
        int parts = parts(planes, in.length);
        WORKERS.run(parts, part -> {
            for (int plane = part * planes / parts; plane < (part + 1) * planes / parts; plane++) {
                if (common) {
                    KERNELS.maxPool2x2(in, plane * height * width, width, outH, out, source, plane * outH * outW, outW);
                } else if (inside) {
                    window.interior(in, plane, out, source);
                } else {
                    window.padded(in, plane, out, source);
                }
            }
        });
        int[] inputShape = x.shape;
        int inputSize = in.length;
        Tensor result = Tensor.wrap(out, x.shape[0], x.shape[1], outH, outW);
        Tensor indices = withIndices ? indexTensor(source, height * width, outH * outW, result.shape) : null;
        result = Autograd.record("maxPool2d", result, gradient -> {
            float[] g = gradient.contiguousData();
            float[] dx = new float[inputSize];
            int perPlane = outH * outW;
            // Each maximum lies in its output's own plane, so parts of whole planes write apart.
            WORKERS.run(parts, part -> {
                if (common) { // each window's four elements written at once, where the dx array is zero
                    for (int plane = part * planes / parts; plane < (part + 1) * planes / parts; plane++) {
                        KERNELS.maxUnpool2x2(g, plane * perPlane, source, plane * perPlane, outW, outH, dx,
                                plane * height * width, width);
                    }
                    return;
                }
                for (int i = part * planes / parts * perPlane; i < (part + 1) * planes / parts * perPlane; i++) {
                    if (source[i] >= 0) {
                        dx[source[i]] += g[i];
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(dx, inputShape.clone())};
        }, x);
        return new Tensor.ValuesAndIndices(result, indices);
    }

    /**
     * The positions of the maxima within their planes ({@code source} holds them within the whole
     * input), as an int64 tensor of {@code shape}, as PyTorch's.
     */
    private static Tensor indexTensor(int[] source, int planeSize, int perPlane, int[] shape) {
        long[] indices = new long[source.length];
        for (int i = 0; i < source.length; i++) {
            indices[i] = source[i] < 0 ? -1 : source[i] - i / perPlane * planeSize;
        }
        return Tensor.wrapLongs(DType.INT64, indices, shape.clone());
    }

    /**
     * Max unpooling, as PyTorch's {@code F.max_unpool2d}: an output {@code [N, C, outH, outW]} of zeros
     * with each input value written at its index in its own plane,
     *
     * <pre>  out[n, c].flat[indices[n, c, y, x]] = x[n, c, y, x]</pre>
     *
     * the later (in row-major order) winning when two share an index, as PyTorch's CPU kernel. The
     * gradient of each input element is the output gradient at its index (shared indices each get it).
     */
    static Tensor maxUnpool2d(Tensor x, Tensor indices, int outH, int outW) {
        if (x.shape.length != 4 || !java.util.Arrays.equals(x.shape, indices.shape)) {
            throw new IllegalArgumentException("maxUnpool2d: expected input [N, C, H, W] and indices of the same"
                    + " shape, got " + Shape.format(x.shape) + " and " + Shape.format(indices.shape));
        }
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("maxUnpool2d: the output size must be > 0, got " + outH + "×" + outW);
        }
        Typed.requireFloat32("maxUnpool2d", x);
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("maxUnpool2d: expected int64 indices, got " + indices.dtype());
        }
        int planes = x.shape[0] * x.shape[1];
        int perPlane = x.shape[2] * x.shape[3];
        int outPlane = outH * outW;
        int[] target = positions(indices, perPlane, outPlane, outH, outW);
        float[] in = x.contiguousData();
        float[] out = new float[planes * outPlane];
        for (int i = 0; i < in.length; i++) {
            out[target[i]] = in[i];
        }
        int[] inputShape = x.shape;
        Tensor result = Tensor.wrap(out, x.shape[0], x.shape[1], outH, outW);
        return Autograd.record("maxUnpool2d", result, gradient -> {
            float[] g = gradient.contiguousData();
            float[] dx = new float[target.length];
            for (int i = 0; i < dx.length; i++) {
                dx[i] = g[target[i]];
            }
            return new Tensor[] {Tensor.wrap(dx, inputShape.clone())};
        }, x);
    }

    /** Each index as a position in the whole output; an index outside its plane is an error. */
    private static int[] positions(Tensor indices, int perPlane, int outPlane, int outH, int outW) {
        long[] values = Typed.longs(indices);
        int[] target = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long index = values[i];
            if (index < 0 || index >= outPlane) {
                throw new IllegalArgumentException("maxUnpool2d: index " + index + " at " + i + " is not a position"
                        + " in an output plane of " + outH + "×" + outW + " (0 to " + (outPlane - 1) + ")");
            }
            target[i] = i / perPlane * outPlane + (int) index;
        }
        return target;
    }

    /** {@code {size, size}}. */
    static int[] pair(int size) {
        return new int[] {size, size};
    }

    /** Rejects an input other than {@code [N, C, H, W]}, settings PyTorch rejects, a window past the padded input. */
    static void checkArguments(Tensor x, int kernelSize, int stride, int padding, int dilation) {
        checkArguments(x, pair(kernelSize), pair(stride), pair(padding), pair(dilation), false);
    }

    /** As {@link #checkArguments(Tensor, int, int, int, int)}, each setting {@code {along H, along W}}. */
    static void checkArguments(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (x.shape.length != 4) {
            throw new IllegalArgumentException("maxPool2d: expected input [N, C, H, W], got " + Shape.format(x.shape));
        }
        for (int axis = 0; axis < 2; axis++) {
            if (kernel[axis] <= 0 || stride[axis] <= 0 || dilation[axis] <= 0 || padding[axis] < 0
                    || padding[axis] > kernel[axis] / 2) {
                throw new IllegalArgumentException("maxPool2d: kernel size, stride and dilation must be > 0 and"
                        + " padding between 0 and half the kernel size, got kernel " + text(kernel) + ", stride "
                        + text(stride) + ", padding " + text(padding) + ", dilation " + text(dilation));
            }
        }
        int outH = Shape.poolingOutputSize(x.shape[2], kernel[0], dilation[0], padding[0], stride[0], ceilMode);
        int outW = Shape.poolingOutputSize(x.shape[3], kernel[1], dilation[1], padding[1], stride[1], ceilMode);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("maxPool2d: the dilated kernel " + text(new int[] {
                dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1})
                    + " is larger than the padded input " + Shape.format(x.shape) + " with padding " + text(padding));
        }
    }

    /** {@code 3} for {3, 3}, {@code (3, 5)} for {3, 5}. */
    private static String text(int[] pair) {
        return pair[0] == pair[1] ? String.valueOf(pair[0]) : "(" + pair[0] + ", " + pair[1] + ")";
    }

    /** Parts of whole planes for both cores, unless the input is too small for a hand-off to pay. */
    private static int parts(int planes, int inputSize) {
        return inputSize < Tuning.POOLING_PARALLEL_FLOATS ? 1 : Math.max(1, Math.min(planes, WORKERS.threads()));
    }

    /** One pooling geometry: the window, the input plane, the output grid and the window's offsets. */
    private record Window(int[] size, int[] stride, int[] padding, int[] dilation, int height, int width, int outH,
                          int outW, int[] offsets) {

        /** Whether every window lies inside the input: no padding, and no ceil-mode window hanging past it. */
        boolean inside() {
            return padding[0] == 0 && padding[1] == 0
                    && (outH - 1) * stride[0] + dilation[0] * (size[0] - 1) < height
                    && (outW - 1) * stride[1] + dilation[1] * (size[1] - 1) < width;
        }

        /**
         * Pools one plane when no window reaches into the padding. Which element is largest is random
         * from window to window, so a running {@code if (v > best)} mispredicts about once a window;
         * instead the maximum comes from {@link Math#max} and its first position from a bit mask of
         * the elements equal to it, both without branches on the data. A window holding NaN (whose
         * maximum is NaN, equal to nothing) takes the running comparison.
         */
        void interior(float[] in, int plane, float[] out, int[] source) {
            int base = plane * height * width;
            int o = plane * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int top = base + oy * stride[0] * width;
                for (int ox = 0; ox < outW; ox++, o++) {
                    int corner = top + ox * stride[1];
                    float best = in[corner];
                    for (int t = 1; t < offsets.length; t++) {
                        best = Math.max(best, in[corner + offsets[t]]);
                    }
                    int first;
                    if (best == best && offsets.length < Integer.SIZE) {
                        int equal = 0;
                        for (int t = 0; t < offsets.length; t++) {
                            equal |= (in[corner + offsets[t]] == best ? 1 : 0) << t;
                        }
                        first = Integer.numberOfTrailingZeros(equal);
                    } else {
                        first = running(in, corner, offsets);
                    }
                    out[o] = in[corner + offsets[first]];
                    source[o] = corner + offsets[first];
                }
            }
        }

        /** The element offsets of a window from its corner, in row-major order. */
        static int[] offsets(int[] size, int[] dilation, int width) {
            int[] offsets = new int[size[0] * size[1]];
            for (int i = 0; i < size[0]; i++) {
                for (int j = 0; j < size[1]; j++) {
                    offsets[i * size[1] + j] = i * dilation[0] * width + j * dilation[1];
                }
            }
            return offsets;
        }

        /** The position of the window's maximum by PyTorch's running rule, {@code v > best || isnan(v)}. */
        private static int running(float[] in, int corner, int[] offsets) {
            float best = in[corner];
            int at = 0;
            for (int t = 1; t < offsets.length; t++) {
                float v = in[corner + offsets[t]];
                if (v > best || v != v) {
                    best = v;
                    at = t;
                }
            }
            return at;
        }

        /**
         * Pools one plane, skipping the window positions that lie in the padding or past the input. A
         * window with no position in the input (a dilation stepping over the whole input) gives −∞, at
         * position −1, which takes no gradient.
         */
        void padded(float[] in, int plane, float[] out, int[] source) {
            int base = plane * height * width;
            int o = plane * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int top = oy * stride[0] - padding[0];
                for (int ox = 0; ox < outW; ox++, o++) {
                    int left = ox * stride[1] - padding[1];
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < size[0]; i++) {
                        int iy = top + i * dilation[0];
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        int row = base + iy * width;
                        for (int j = 0; j < size[1]; j++) {
                            int ix = left + j * dilation[1];
                            if (ix < 0 || ix >= width) {
                                continue;
                            }
                            float v = in[row + ix];
                            if (at < 0 || v > best || v != v) {
                                best = v;
                                at = row + ix;
                            }
                        }
                    }
                    out[o] = best;
                    source[o] = at;
                }
            }
        }
    }
}

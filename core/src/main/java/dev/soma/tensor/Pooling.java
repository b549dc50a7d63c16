package dev.soma.tensor;

import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.Workers;

/**
 * Max pooling as one primitive: each output is the largest element of its window, and the gradient
 * goes back to that one element.
 *
 * <p>For an input {@code [N, C, H, W]}, a {@code k×k} window with dilation d, padding p and stride s:
 *
 * <pre>  out[n, c, y, x] = max_{i, j < k} in[n, c, y·s − p + i·d, x·s − p + j·d]</pre>
 *
 * over the positions inside the input (padding is −∞, so it never wins), with
 * {@code outH = ⌊(H + 2p − d·(k−1) − 1)/s⌋ + 1}, likewise outW. Forward remembers where each maximum
 * came from; backward adds each output gradient to that input element:
 *
 * <pre>  ∂L/∂in[q] = Σ_{outputs o whose maximum is q} ∂L/∂out[o]</pre>
 *
 * Ties go to the first element in row-major order and a NaN wins over any number, as in PyTorch's
 * kernel ({@code val > max || isnan(val)}). Composing this from unfold, argmax and gather gives the
 * same values but builds the windows as a tensor k² times the input's size, and costs several passes.
 */
final class Pooling {

    private static final Kernels KERNELS = Kernels.active();
    private static final Workers WORKERS = Workers.active();

    private Pooling() {
    }

    static Tensor maxPool2d(Tensor x, int kernelSize, int stride, int padding, int dilation) {
        checkArguments(x, kernelSize, stride, padding, dilation);
        int planes = x.shape[0] * x.shape[1];
        int height = x.shape[2];
        int width = x.shape[3];
        int outH = Shape.convolutionOutputSize(height, kernelSize, dilation, padding, stride);
        int outW = Shape.convolutionOutputSize(width, kernelSize, dilation, padding, stride);
        float[] in = x.contiguousData();
        float[] out = new float[planes * outH * outW];
        int[] source = new int[out.length];
        var window = new Window(kernelSize, stride, padding, dilation, height, width, outH, outW,
                Window.offsets(kernelSize, dilation, width));
        boolean common = kernelSize == 2 && stride == 2 && dilation == 1 && padding == 0; // the usual MaxPool2d(2)
        int parts = parts(planes, in.length);
        WORKERS.run(parts, part -> {
            for (int plane = part * planes / parts; plane < (part + 1) * planes / parts; plane++) {
                if (common) {
                    KERNELS.maxPool2x2(in, plane * height * width, width, outH, out, source, plane * outH * outW, outW);
                } else if (padding == 0) {
                    window.interior(in, plane, out, source);
                } else {
                    window.padded(in, plane, out, source);
                }
            }
        });
        int[] inputShape = x.shape;
        int inputSize = in.length;
        Tensor result = Tensor.wrap(out, x.shape[0], x.shape[1], outH, outW);
        return Autograd.record("maxPool2d", result, gradient -> {
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
                    dx[source[i]] += g[i];
                }
            });
            return new Tensor[] {Tensor.wrap(dx, inputShape.clone())};
        }, x);
    }

    /** Rejects an input other than {@code [N, C, H, W]}, settings PyTorch rejects, a window past the padded input. */
    static void checkArguments(Tensor x, int kernelSize, int stride, int padding, int dilation) {
        if (x.shape.length != 4) {
            throw new IllegalArgumentException("maxPool2d: expected input [N, C, H, W], got " + Shape.format(x.shape));
        }
        if (kernelSize <= 0 || stride <= 0 || dilation <= 0 || padding < 0 || padding > kernelSize / 2) {
            throw new IllegalArgumentException("maxPool2d: kernel size, stride and dilation must be > 0 and padding"
                    + " between 0 and half the kernel size, got kernel " + kernelSize + ", stride " + stride
                    + ", padding " + padding + ", dilation " + dilation);
        }
        int outH = Shape.convolutionOutputSize(x.shape[2], kernelSize, dilation, padding, stride);
        int outW = Shape.convolutionOutputSize(x.shape[3], kernelSize, dilation, padding, stride);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("maxPool2d: the dilated kernel " + (dilation * (kernelSize - 1) + 1)
                    + " is larger than the padded input " + Shape.format(x.shape) + " with padding " + padding);
        }
    }

    /** Parts of whole planes for both cores, unless the input is too small for a hand-off to pay. */
    private static int parts(int planes, int inputSize) {
        return inputSize < Tuning.POOLING_PARALLEL_FLOATS ? 1 : Math.max(1, Math.min(planes, WORKERS.threads()));
    }

    /** One pooling geometry: the window, the input plane, the output grid and the window's offsets. */
    private record Window(int size, int stride, int padding, int dilation, int height, int width, int outH,
                          int outW, int[] offsets) {

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
                int top = base + oy * stride * width;
                for (int ox = 0; ox < outW; ox++, o++) {
                    int corner = top + ox * stride;
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
        static int[] offsets(int size, int dilation, int width) {
            int[] offsets = new int[size * size];
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    offsets[i * size + j] = i * dilation * width + j * dilation;
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

        /** Pools one plane, skipping the window positions that lie in the padding. */
        void padded(float[] in, int plane, float[] out, int[] source) {
            int base = plane * height * width;
            int o = plane * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int top = oy * stride - padding;
                for (int ox = 0; ox < outW; ox++, o++) {
                    int left = ox * stride - padding;
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < size; i++) {
                        int iy = top + i * dilation;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        int row = base + iy * width;
                        for (int j = 0; j < size; j++) {
                            int ix = left + j * dilation;
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

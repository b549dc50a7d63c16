package dev.soma.tensor;

import dev.soma.tensor.Convolution.Columns;
import dev.soma.tensor.Convolution.Geometry;
import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;

/**
 * The 2-D convolution as matrix products over unfolded windows (im2col), a chunk of images at a time.
 *
 * <pre>  out[n, o, y, x] = b[o] + Σ_{c,i,j} w[o, c, i, j] · in[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw]</pre>
 *
 * for an input {@code [N, C, H, W]}, a weight {@code [O, C, kh, kw]} and a bias {@code [O]} (or none),
 * zero-padded; the output is {@code [N, O, outH, outW]}, sizes as {@link Convolution}'s.
 *
 * <p>For a chunk of images, their windows are unfolded side by side into columns
 * {@code X[C·kh·kw, images·L]} ({@code L = outH·outW}); then {@code Y = W·X} is {@code [O, images·L]}, and
 * the bias is added while Y is laid out as {@code [images, O, L]}. Backward, with {@code G} the chunk's
 * output gradient laid out as {@code [O, images·L]}:
 *
 * <pre>  ∂L/∂W = Σ_chunks G·Xᵀ      ∂L/∂b[o] = Σ G[o, ·]      ∂L/∂x = fold(Wᵀ·G)</pre>
 *
 * The input's gradient is computed only when it needs one (a network's images never do).
 *
 * <p>Why chunks: a chunk's columns are sized to stay in the L2 cache from the unfold through the
 * product (and, backward, through fold), where the whole batch's columns (7 MB for the reference CNN's
 * second layer) would go through memory each time. Backward unfolds each chunk again rather than
 * keeping the columns: a copy costs less than holding them, and the memory stays small.
 */
final class Conv2dOp {

    private static final Kernels KERNELS = Kernels.active();
    /** The column floats of one chunk (1 MiB), unless one image alone needs more. */
    private static final int CHUNK_FLOATS = 1 << 18;

    private Conv2dOp() {
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw, int dh, int dw) {
        int[] kernel = w.shape;
        if (x.shape.length != 4 || kernel.length != 4 || x.shape[1] != kernel[1]
                || bias != null && (bias.shape.length != 1 || bias.shape[0] != kernel[0])) {
            String given = bias == null
                    ? "input " + Shape.format(x.shape) + " and weight " + Shape.format(kernel)
                    : "input " + Shape.format(x.shape) + ", weight " + Shape.format(kernel) + " and bias "
                    + Shape.format(bias.shape);
            throw new IllegalArgumentException("conv2d: " + given + " do not match: expected input [N, C, H, W]"
                    + (bias == null ? " and weight [out, C, kh, kw]" : ", weight [out, C, kh, kw] and bias [out]"));
        }
        Geometry g = Convolution.geometry(x, kernel[2], kernel[3], dh, dw, ph, pw, sh, sw);
        var op = new Chunks(g, kernel[0], x.contiguousData(), w.contiguousData());
        float[] out = op.forward(bias == null ? null : bias.contiguousData());
        Tensor result = Tensor.wrap(out, g.batch(), kernel[0], g.outH(), g.outW());
        return Autograd.record("conv2d", result, gradient -> {
            float[] dx = x.requiresGrad() ? new float[x.numel()] : null;
            float[] dWeight = w.requiresGrad() ? new float[w.numel()] : null;
            float[] dBias = bias != null && bias.requiresGrad() ? new float[kernel[0]] : null;
            op.backward(gradient.contiguousData(), dx, dWeight, dBias);
            return new Tensor[] {
                dx == null ? null : Tensor.wrap(dx, x.shape.clone()),
                dWeight == null ? null : Tensor.wrap(dWeight, kernel.clone()),
                dBias == null ? null : Tensor.wrap(dBias, kernel[0])};
        }, x, w, bias);
    }

    /** One convolution's operands and the chunking of its batch. */
    private record Chunks(Geometry g, int outChannels, float[] input, float[] weights) {

        int rows() {
            return g.rows();
        }

        /** Images per chunk: as many as fit {@link #CHUNK_FLOATS} column floats, at least one. */
        int images() {
            return Math.clamp(CHUNK_FLOATS / Math.max(1, (long) rows() * g.positions()), 1, Math.max(1, g.batch()));
        }

        float[] forward(float[] bias) {
            int positions = g.positions();
            float[] out = new float[g.batch() * outChannels * positions];
            float[] columns = new float[rows() * images() * positions];
            float[] product = new float[outChannels * images() * positions];
            for (int first = 0; first < g.batch(); first += images()) {
                int end = Math.min(g.batch(), first + images());
                int wide = (end - first) * positions;
                Convolution.unfoldInto(g, g.wide(end - first), input, columns, 0f, first, end);
                KERNELS.gemm(false, false, outChannels, wide, rows(), weights, 0, rows(), columns, 0, wide,
                        product, 0, wide, false);
                for (int n = first; n < end; n++) {
                    for (int o = 0; o < outChannels; o++) {
                        int from = o * wide + (n - first) * positions;
                        int to = (n * outChannels + o) * positions;
                        if (bias == null) {
                            System.arraycopy(product, from, out, to, positions);
                        } else {
                            KERNELS.zip(BinaryOp.ADD, product, from, 1, bias, o, 0, out, to, positions);
                        }
                    }
                }
            }
            return out;
        }

        /** Adds the gradients into the arrays given (null: not wanted), chunk by chunk. */
        void backward(float[] grad, float[] dx, float[] dWeight, float[] dBias) {
            int positions = g.positions();
            float[] byChannel = new float[outChannels * images() * positions];
            float[] columns = dWeight == null ? null : new float[rows() * images() * positions];
            float[] dColumns = dx == null ? null : new float[rows() * images() * positions];
            double[] biasSums = dBias == null ? null : new double[outChannels];
            for (int first = 0; first < g.batch(); first += images()) {
                int end = Math.min(g.batch(), first + images());
                int wide = (end - first) * positions;
                for (int n = first; n < end; n++) {
                    for (int o = 0; o < outChannels; o++) {
                        System.arraycopy(grad, (n * outChannels + o) * positions, byChannel,
                                o * wide + (n - first) * positions, positions);
                    }
                }
                if (dWeight != null) {
                    Convolution.unfoldInto(g, g.wide(end - first), input, columns, 0f, first, end);
                    KERNELS.gemm(false, true, outChannels, rows(), wide, byChannel, 0, wide, columns, 0, wide,
                            dWeight, 0, rows(), true);
                }
                if (biasSums != null) {
                    for (int o = 0; o < outChannels; o++) {
                        biasSums[o] += KERNELS.sum(byChannel, o * wide, wide);
                    }
                }
                if (dx != null) {
                    KERNELS.gemm(true, false, rows(), wide, outChannels, weights, 0, rows(), byChannel, 0, wide,
                            dColumns, 0, wide, false);
                    Convolution.foldInto(g, g.wide(end - first), dColumns, true, dx, first, end);
                }
            }
            for (int o = 0; biasSums != null && o < outChannels; o++) {
                dBias[o] = (float) biasSums[o];
            }
        }
    }
}

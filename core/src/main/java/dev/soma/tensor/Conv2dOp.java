package dev.soma.tensor;

import dev.soma.tensor.Convolution.Columns;
import dev.soma.tensor.Convolution.Geometry;
import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.UnaryOp;
import dev.soma.tensor.kernel.Workers;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

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
 * <pre>  ∂L/∂W = Σ_chunks (X·Gᵀ)ᵀ      ∂L/∂b[o] = Σ G[o, ·]      ∂L/∂x = fold(Wᵀ·G)</pre>
 *
 * The input's gradient is computed only when it needs one (a network's images never do).
 *
 * <p>An {@link Epilogue} may follow the product inside the op, on each chunk while it is in the cache:
 * relu, or relu and then 2×2 max pooling with stride 2 (the block of most small CNNs). The output is
 * then the activation's (or the pooled one, a quarter of the size), and the convolution's own output is
 * never stored: backward rebuilds G from the output gradient, the output and, for pooling, where each
 * maximum came from. The values and gradients are those of the separate ops, bit for bit (but for the
 * sign of a zero): relu is monotonic, so pooling first and then relu finds the same maximum wherever
 * it is positive, and where it is not, the gradient is 0 either way.
 *
 * <p>Why chunks: a chunk's columns are sized to stay in the L2 cache from the unfold through the
 * product (and, backward, through fold), where the whole batch's columns (7 MB for the reference CNN's
 * second layer) would go through memory each time. Backward unfolds each chunk again rather than
 * keeping the columns: a copy costs less than holding them, and the memory stays small.
 */
final class Conv2dOp {

    private static final Kernels KERNELS = Kernels.active();
    private static final Workers WORKERS = Workers.active();

    private Conv2dOp() {
    }

    /** What the op applies to the convolution's output before storing it. */
    enum Epilogue {
        /** Nothing: the convolution's output. */
        NONE,
        /** {@code max(y, 0)}. */
        RELU,
        /** {@code maxPool2d(max(y, 0), 2, 2, 0, 1)}: relu, then the maximum of each 2×2 block. */
        RELU_MAX_POOL_2;

        boolean pools() {
            return this == RELU_MAX_POOL_2;
        }
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw, int dh, int dw) {
        return conv2d(x, w, bias, sh, sw, ph, pw, dh, dw, Epilogue.NONE);
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw, int dh, int dw,
                         Epilogue epilogue) {
        checkShapes(x, w, bias);
        int[] kernel = w.shape;
        Geometry g = Convolution.geometry(x, kernel[2], kernel[3], dh, dw, ph, pw, sh, sw);
        int outH = epilogue.pools() ? g.outH() / 2 : g.outH();
        int outW = epilogue.pools() ? g.outW() / 2 : g.outW();
        if (epilogue.pools()) {
            checkPoolable(new int[] {g.batch(), kernel[0], g.outH(), g.outW()});
        }
        float[] out = new float[g.batch() * kernel[0] * outH * outW];
        var op = new Chunks(g, kernel[0], x.contiguousData(), w.contiguousData(), epilogue, out,
                epilogue.pools() ? new int[out.length] : null);
        op.forward(bias == null ? null : bias.contiguousData());
        Tensor result = Tensor.wrap(out, g.batch(), kernel[0], outH, outW);
        return Autograd.record(epilogue == Epilogue.NONE ? "conv2d" : "conv2d+" + epilogue, result, gradient -> {
            float[] dx = x.requiresGrad() ? new float[x.numel()] : null;
            float[] dWeight = w.requiresGrad() ? new float[w.numel()] : null;
            float[] dBias = bias != null && bias.requiresGrad() ? new float[kernel[0]] : null;
            op.backward(gradient.contiguousData(), dx, dWeight, dBias);
            return new Tensor[] {
                dx == null ? null : Tensor.handOver(dx, x.shape.clone()),
                dWeight == null ? null : Tensor.handOver(dWeight, kernel.clone()),
                dBias == null ? null : Tensor.handOver(dBias, kernel[0])};
        }, x, w, bias);
    }

    /**
     * Rejects operands other than an input {@code [N, C, H, W]}, a weight {@code [O, C, kh, kw]} and a
     * bias {@code [O]} or null.
     */
    static void checkShapes(Tensor x, Tensor w, Tensor bias) {
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
    }

    /** Rejects a convolution's output {@code [N, O, outH, outW]} too small for 2×2 max pooling. */
    static void checkPoolable(int[] output) {
        if (output[2] < 2 || output[3] < 2) {
            throw new IllegalArgumentException("conv2d: its output " + Shape.format(output)
                    + " is smaller than the 2×2 window of the max pooling after it");
        }
    }

    /**
     * One convolution's operands, its epilogue and output (with, when it pools, each maximum's index in
     * its chunk's product {@code [O, images·L]}), and the chunking of its batch.
     */
    private record Chunks(Geometry g, int outChannels, float[] input, float[] weights, Epilogue epilogue,
                          float[] out, int[] source) {

        int rows() {
            return g.rows();
        }

        /**
         * How many chunks the batch is cut into: as few as keep each chunk's columns, and its product,
         * within {@link Tuning#CONVOLUTION_CHUNK_FLOATS} (at least one image each), rounded up to an even
         * number so that two cores get the same share (the count does not depend on the threads, so neither do the sums).
         */
        int chunks() {
            long perImage = Math.max(1, (long) Math.max(rows(), outChannels) * g.positions());
            int most = (int) Math.clamp(Tuning.CONVOLUTION_CHUNK_FLOATS / perImage, 1, Math.max(1, g.batch()));
            int chunks = Math.ceilDiv(Math.max(1, g.batch()), most);
            return chunks > 1 && chunks % 2 == 1 && chunks < g.batch() ? chunks + 1 : chunks;
        }

        /** The first image of {@code chunk}; chunks differ in size by one image at most. */
        int first(int chunk) {
            return (int) ((long) chunk * g.batch() / chunks());
        }

        /** The most images in a chunk: what each part's buffers hold. */
        int images() {
            return Math.max(1, Math.ceilDiv(g.batch(), chunks()));
        }

        /**
         * The chunks are shared among up to {@link Workers#threads()} parts, each claiming the next
         * chunk nobody has taken (a part whose thread is slow to start, on a busy machine, takes fewer);
         * a part uses its thread's buffers and writes only its chunks' images.
         */
        int parts() {
            return Math.max(1, Math.min(WORKERS.threads(), chunks()));
        }

        /** The outputs per image and channel: its positions, or a quarter of them when it pools. */
        int outputsPerPlane() {
            return epilogue.pools() ? g.outH() / 2 * (g.outW() / 2) : g.positions();
        }

        /** Runs {@code work} on every chunk, each claimed by the next of the parts to be free. */
        void eachChunk(IntConsumer work) {
            var next = new AtomicInteger();
            WORKERS.run(parts(), part -> {
                for (int chunk = next.getAndIncrement(); chunk < chunks(); chunk = next.getAndIncrement()) {
                    work.accept(chunk);
                }
            });
        }

        void forward(float[] bias) {
            eachChunk(chunk -> forward(chunk, Workspace.buffer(Workspace.COLUMNS, rows() * images() * g.positions()),
                    Workspace.buffer(Workspace.PRODUCT, outChannels * images() * g.positions()), bias));
        }

        private void forward(int chunk, float[] columns, float[] product, float[] bias) {
            int positions = g.positions();
            int first = first(chunk);
            int end = first(chunk + 1);
            int wide = (end - first) * positions;
            Convolution.unfoldInto(g, g.wide(end - first), input, columns, 0f, first, end);
            KERNELS.gemm(false, false, outChannels, wide, rows(), weights, 0, rows(), columns, 0, wide,
                    product, 0, wide, false);
            if (epilogue == Epilogue.NONE) {
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
                return;
            }
            for (int o = 0; bias != null && o < outChannels; o++) {
                KERNELS.zip(BinaryOp.ADD, product, o * wide, 1, bias, o, 0, product, o * wide, wide);
            }
            if (epilogue == Epilogue.RELU) {
                for (int n = first; n < end; n++) {
                    for (int o = 0; o < outChannels; o++) {
                        KERNELS.map(UnaryOp.RELU, product, o * wide + (n - first) * positions, out,
                                (n * outChannels + o) * positions, positions);
                    }
                }
                return;
            }
            int pooledW = g.outW() / 2;
            int pooled = outputsPerPlane();
            for (int n = first; n < end; n++) {
                for (int o = 0; o < outChannels; o++) {
                    int plane = o * wide + (n - first) * positions;
                    KERNELS.maxPool2x2(product, plane, g.outW(), g.outH() / 2, out, source,
                            (n * outChannels + o) * pooled, pooledW);
                }
            }
            int from = first * outChannels * pooled;
            KERNELS.map(UnaryOp.RELU, out, from, out, from, (end - first) * outChannels * pooled);
        }

        /**
         * Fills {@code byChannel} with the gradient G of the convolution's output for the images
         * {@code [first, end)}, laid out {@code [O, images·L]}, from the gradient of the op's output.
         */
        private void outputGradient(float[] grad, int first, int end, float[] byChannel) {
            int positions = g.positions();
            int wide = (end - first) * positions;
            if (epilogue.pools()) {
                // relu's gate on the pooled gradient, then each window's four elements written at once
                int pooled = outputsPerPlane();
                int from = first * outChannels * pooled;
                int count = (end - first) * outChannels * pooled;
                float[] gated = Workspace.buffer(Workspace.GATED, count);
                KERNELS.zip(BinaryOp.PASS_IF_POSITIVE, grad, from, 1, out, from, 1, gated, 0, count);
                if (g.outH() % 2 == 1 || g.outW() % 2 == 1) {
                    Arrays.fill(byChannel, 0, outChannels * wide, 0f); // a last row or column no window covers
                }
                for (int n = first; n < end; n++) {
                    for (int o = 0; o < outChannels; o++) {
                        int at = ((n - first) * outChannels + o) * pooled;
                        KERNELS.maxUnpool2x2(gated, at, source, from + at, g.outW() / 2, g.outH() / 2, byChannel,
                                o * wide + (n - first) * positions, g.outW());
                    }
                }
                return;
            }
            for (int n = first; n < end; n++) {
                for (int o = 0; o < outChannels; o++) {
                    int from = (n * outChannels + o) * positions;
                    int to = o * wide + (n - first) * positions;
                    if (epilogue == Epilogue.RELU) {
                        KERNELS.zip(BinaryOp.PASS_IF_POSITIVE, grad, from, 1, out, from, 1, byChannel, to, positions);
                    } else {
                        System.arraycopy(grad, from, byChannel, to, positions);
                    }
                }
            }
        }

        /**
         * Sets the gradients in the arrays given (null: not wanted). Each chunk's share of ∂W and ∂b is
         * kept apart and the shares are added in chunk order at the end, so the sums do not depend on
         * how many threads ran the chunks.
         */
        void backward(float[] grad, float[] dx, float[] dWeight, float[] dBias) {
            float[][] weightShares = dWeight == null ? null : new float[chunks()][];
            double[][] biasShares = dBias == null ? null : new double[chunks()][];
            eachChunk(chunk -> {
                if (weightShares != null) {
                    weightShares[chunk] = new float[dWeight.length];
                }
                if (biasShares != null) {
                    biasShares[chunk] = new double[outChannels];
                }
                backward(chunk, grad, new Scratch(this, dx != null, dWeight != null), dx,
                        weightShares == null ? null : weightShares[chunk], biasShares == null ? null : biasShares[chunk]);
            });
            for (int chunk = 0; weightShares != null && chunk < chunks(); chunk++) {
                KERNELS.zip(BinaryOp.ADD, dWeight, 0, 1, weightShares[chunk], 0, 1, dWeight, 0, dWeight.length);
            }
            for (int o = 0; biasShares != null && o < outChannels; o++) {
                double sum = 0;
                for (double[] share : biasShares) {
                    sum += share[o];
                }
                dBias[o] = (float) sum;
            }
        }

        private void backward(int chunk, float[] grad, Scratch scratch, float[] dx, float[] dWeight, double[] dBias) {
            int positions = g.positions();
            int first = first(chunk);
            int end = first(chunk + 1);
            int wide = (end - first) * positions;
            float[] byChannel = scratch.byChannel();
            outputGradient(grad, first, end, byChannel);
            if (dWeight != null) {
                // ∂Wᵀ = X·Gᵀ then transposed: this packs only G, where G·Xᵀ packed X (98 vs 60 GFLOP/s here)
                Convolution.unfoldInto(g, g.wide(end - first), input, scratch.columns(), 0f, first, end);
                float[] transposed = scratch.weightGradient();
                KERNELS.gemm(false, true, rows(), outChannels, wide, scratch.columns(), 0, wide, byChannel, 0, wide,
                        transposed, 0, outChannels, false);
                for (int r = 0; r < rows(); r++) {
                    for (int o = 0; o < outChannels; o++) {
                        dWeight[o * rows() + r] = transposed[r * outChannels + o];
                    }
                }
            }
            for (int o = 0; dBias != null && o < outChannels; o++) {
                dBias[o] = KERNELS.sum(byChannel, o * wide, wide);
            }
            if (dx != null) {
                KERNELS.gemm(true, false, rows(), wide, outChannels, weights, 0, rows(), byChannel, 0, wide,
                        scratch.dColumns(), 0, wide, false);
                Convolution.foldInto(g, g.wide(end - first), scratch.dColumns(), true, dx, first, end);
            }
        }
    }

    /** A chunk's buffers for backward, from its thread's {@link Workspace}: G by channel, X, ∂X, ∂Wᵀ. */
    private record Scratch(float[] byChannel, float[] columns, float[] dColumns, float[] weightGradient) {

        Scratch(Chunks op, boolean inputGradient, boolean weightGradient) {
            this(Workspace.buffer(Workspace.PRODUCT, op.outChannels() * op.images() * op.g().positions()),
                    weightGradient ? Workspace.buffer(Workspace.COLUMNS, op.rows() * op.images() * op.g().positions())
                            : null,
                    inputGradient ? Workspace.buffer(Workspace.D_COLUMNS, op.rows() * op.images() * op.g().positions())
                            : null,
                    weightGradient ? Workspace.buffer(Workspace.WEIGHT_GRADIENT, op.rows() * op.outChannels()) : null);
        }
    }

    /**
     * A thread's chunk buffers, grown to the largest convolution seen and kept, so that a training step
     * allocates none (they were half of all the bytes a CNN step allocated, each zeroed for nothing).
     * Every use writes the part of a buffer it reads; a thread runs one chunk at a time.
     */
    private static final class Workspace {
        static final int COLUMNS = 0;
        static final int PRODUCT = 1;
        static final int D_COLUMNS = 2;
        static final int WEIGHT_GRADIENT = 3;
        static final int GATED = 4;
        private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[5][0]);

        static float[] buffer(int slot, int size) {
            float[][] buffers = BUFFERS.get();
            if (buffers[slot].length < size) {
                buffers[slot] = new float[size];
            }
            return buffers[slot];
        }
    }
}

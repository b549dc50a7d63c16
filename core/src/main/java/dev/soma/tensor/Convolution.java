package dev.soma.tensor;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;
import java.util.Arrays;

/**
 * Sliding windows over a batch of images: unfold (im2col), the one primitive under convolution and
 * pooling, and its adjoint fold (col2im), which is unfold's backward.
 *
 * <p>For an input {@code [N, C, H, W]}, kernel {@code (kh, kw)}, dilation {@code (dh, dw)}, padding
 * {@code (ph, pw)} and stride {@code (sh, sw)}, unfold copies every window into a column (PyTorch's
 * {@code F.unfold}):
 *
 * <pre>  out[n, (c·kh + i)·kw + j, oh·outW + ow] = x[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]</pre>
 *
 * with {@code padValue} where that position lies outside the input, and
 * {@code outH = ⌊(H + 2·ph − dh·(kh−1) − 1) / sh⌋ + 1} (likewise outW), so the output is
 * {@code [N, C·kh·kw, outH·outW]}. A convolution is then one matrix product of the weight with these
 * columns; a pooling is a reduction over each window.
 *
 * <p>Backward is fold: each column element's gradient is added to the input element it was copied
 * from. An input element that lies in several windows receives the sum; padding receives nothing.
 */
final class Convolution {

    private static final Kernels KERNELS = Kernels.active();

    private Convolution() {
    }

    /** The sizes of one unfold: the input, the window and the output grid. */
    record Geometry(int batch, int channels, int height, int width,
                            int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw,
                            int outH, int outW) {

        int rows() {
            return channels * kh * kw;
        }

        int positions() {
            return outH * outW;
        }

        /**
         * Whether each column row is its input plane shifted as a whole: stride 1 and an output as
         * wide as the input (a "same" convolution, such as 3×3 with padding 1).
         */
        boolean shiftsWholePlanes() {
            return sw == 1 && sh == 1 && outW == width;
        }

        /** PyTorch's {@code F.unfold} layout {@code [N, rows, positions]}: one block of rows per image. */
        Columns perImage() {
            return new Columns(rows() * positions(), positions());
        }

        /**
         * The layout {@code [rows, images, positions]} of a run of images: row r holds each image's
         * positions side by side, so that one matrix product {@code W[out, rows] · columns[rows,
         * images·positions]} convolves them all.
         */
        Columns wide(int images) {
            return new Columns(positions(), images * positions());
        }
    }

    /**
     * Window element (i, j) of a {@link Geometry#shiftsWholePlanes()} geometry. Its column row, position
     * {@code m = oh·W + ow}, reads the plane at {@code m + source}, {@code source = di·W + dj} (di, dj the
     * element's offsets from the window's centre of padding): for the output rows whose input row exists,
     * one contiguous run {@code [start, end)}, except {@code |dj|} elements per row that wrap around an
     * edge into the neighbouring row and are padding instead. One copy (or one add) and a few fills
     * replace a call per output row, whose runs are only a dozen elements long in a CNN's later layers.
     */
    private record PlaneShift(int width, int dj, int source, int rowFirst, int rowEnd, int start, int end) {

        static PlaneShift of(Geometry g, int i, int j) {
            int di = i * g.dh() - g.ph();
            int dj = j * g.dw() - g.pw();
            int width = g.width();
            int rowFirst = Math.clamp(-di, 0, g.outH());
            int rowEnd = Math.clamp(g.height() - di, rowFirst, g.outH());
            int start = Math.min(g.positions(), rowFirst * width + Math.max(0, -dj));
            int end = Math.max(start, Math.min(g.positions(), rowEnd * width - Math.max(0, dj)));
            return new PlaneShift(width, dj, di * width + dj, rowFirst, rowEnd, start, end);
        }

        /** Sets the wrapped elements of the rows inside the run to {@code value}. */
        void padWrapped(float[] columns, int row, float value) {
            int wrapped = Math.min(Math.abs(dj), width);
            for (int oh = rowFirst; oh < rowEnd && wrapped > 0; oh++) {
                int from = row + oh * width + (dj < 0 ? 0 : width - wrapped);
                for (int t = 0; t < wrapped; t++) { // usually one element: a call to Arrays.fill costs more
                    columns[from + t] = value;
                }
            }
        }
    }

    /** Where the column of image n (counted from the first unfolded) and row r starts: {@code n·imageStride + r·rowStride}. */
    record Columns(int imageStride, int rowStride) {
    }

    /** The columns of every {@code kh×kw} window of {@code x}, padded with {@code padValue}. */
    static Tensor unfold(Tensor x, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw, float padValue) {
        Typed.requireFloat32("unfold", x);
        Geometry g = geometry(x, kh, kw, dh, dw, ph, pw, sh, sw);
        float[] columns = new float[g.batch() * g.rows() * g.positions()];
        unfoldInto(g, g.perImage(), x.contiguousData(), columns, padValue, 0, g.batch());
        int[] inputShape = x.shape;
        Tensor out = Tensor.wrap(columns, g.batch(), g.rows(), g.positions());
        return Autograd.record("unfold", out, gradient -> new Tensor[] {
            Tensor.wrap(fold(g, gradient.contiguousData()), inputShape.clone())}, x);
    }

    static Geometry geometry(Tensor x, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw) {
        String settings = "kernel (" + kh + ", " + kw + "), dilation (" + dh + ", " + dw + "), padding ("
                + ph + ", " + pw + "), stride (" + sh + ", " + sw + ")";
        if (x.shape.length != 4) {
            throw new IllegalArgumentException("unfold: input must have rank 4 [N, C, H, W], got shape "
                    + Shape.format(x.shape));
        }
        if (kh <= 0 || kw <= 0 || dh <= 0 || dw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("unfold: kernel, dilation and stride must be > 0 and padding ≥ 0, got "
                    + settings);
        }
        int height = x.shape[2];
        int width = x.shape[3];
        int outH = Shape.convolutionOutputSize(height, kh, dh, ph, sh);
        int outW = Shape.convolutionOutputSize(width, kw, dw, pw, sw);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("unfold: the dilated kernel (" + (dh * (kh - 1) + 1) + ", "
                    + (dw * (kw - 1) + 1) + ") is larger than the padded input (" + (height + 2 * ph) + ", "
                    + (width + 2 * pw) + ") of input " + Shape.format(x.shape) + " with " + settings);
        }
        Shape.numel(new int[] {x.shape[0], x.shape[1] * kh * kw, outH * outW}); // rejects an overflowing size
        return new Geometry(x.shape[0], x.shape[1], height, width, kh, kw, dh, dw, ph, pw, sh, sw, outH, outW);
    }

    /**
     * im2col. One output row per (n, c, i, j); along it, the output positions in row-major order, so the
     * writes are sequential and each input row is read left to right. Within an output row oh, the
     * positions {@code [first, last)} read the input (see {@link #firstInside}); the others are padding.
     */
    static void unfoldInto(Geometry g, Columns layout, float[] in, float[] columns, float padValue,
                           int firstImage, int endImage) {
        for (int n = firstImage; n < endImage; n++) {
            for (int c = 0; c < g.channels(); c++) {
                int plane = (n * g.channels() + c) * g.height() * g.width();
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        int row = (n - firstImage) * layout.imageStride()
                                + ((c * g.kh() + i) * g.kw() + j) * layout.rowStride();
                        int shift = j * g.dw() - g.pw(); // iw = ow·sw + shift
                        if (g.shiftsWholePlanes()) {
                            var run = PlaneShift.of(g, i, j);
                            Arrays.fill(columns, row, row + run.start(), padValue);
                            if (run.end() > run.start()) {
                                System.arraycopy(in, plane + run.source() + run.start(), columns, row + run.start(),
                                        run.end() - run.start());
                            }
                            Arrays.fill(columns, row + run.end(), row + g.positions(), padValue);
                            run.padWrapped(columns, row, padValue);
                            continue;
                        }
                        int first = firstInside(shift, g.sw(), g.outW());
                        int last = Math.max(first, firstInside(shift - g.width(), g.sw(), g.outW()));
                        for (int oh = 0; oh < g.outH(); oh++) {
                            int at = row + oh * g.outW();
                            int ih = oh * g.sh() - g.ph() + i * g.dh();
                            if (ih < 0 || ih >= g.height()) {
                                Arrays.fill(columns, at, at + g.outW(), padValue);
                                continue;
                            }
                            int from = plane + ih * g.width() + shift;
                            Arrays.fill(columns, at, at + first, padValue);
                            if (g.sw() == 1) { // the common case: the run is contiguous in the input too
                                System.arraycopy(in, from + first, columns, at + first, last - first);
                            } else {
                                for (int ow = first; ow < last; ow++) {
                                    columns[at + ow] = in[from + ow * g.sw()];
                                }
                            }
                            Arrays.fill(columns, at + last, at + g.outW(), padValue);
                        }
                    }
                }
            }
        }
    }

    /**
     * col2im: the same walk as {@link #unfoldInto}, adding each column element back to its input element.
     * The runs are one output row long (a few dozen elements), too short for a kernel call to pay.
     */
    private static float[] fold(Geometry g, float[] columns) {
        float[] out = new float[g.batch() * g.channels() * g.height() * g.width()];
        foldInto(g, g.perImage(), columns, false, out, 0, g.batch());
        return out;
    }

    /**
     * {@link #fold} of the columns of images {@code [firstImage, endImage)}, added into {@code out}. With
     * {@code scratch} the caller lets the columns be overwritten, which allows the whole-plane path.
     */
    static void foldInto(Geometry g, Columns layout, float[] columns, boolean scratch, float[] out, int firstImage,
                         int endImage) {
        for (int n = firstImage; n < endImage; n++) {
            for (int c = 0; c < g.channels(); c++) {
                int plane = (n * g.channels() + c) * g.height() * g.width();
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        int row = (n - firstImage) * layout.imageStride()
                                + ((c * g.kh() + i) * g.kw() + j) * layout.rowStride();
                        int shift = j * g.dw() - g.pw();
                        if (scratch && g.shiftsWholePlanes()) {
                            var run = PlaneShift.of(g, i, j);
                            run.padWrapped(columns, row, 0f); // gradients of padding go nowhere
                            int to = plane + run.source() + run.start();
                            if (run.end() > run.start()) {
                                KERNELS.zip(BinaryOp.ADD, out, to, 1, columns, row + run.start(), 1, out, to,
                                        run.end() - run.start());
                            }
                            continue;
                        }
                        int first = firstInside(shift, g.sw(), g.outW());
                        int last = Math.max(first, firstInside(shift - g.width(), g.sw(), g.outW()));
                        for (int oh = 0; oh < g.outH(); oh++) {
                            int at = row + oh * g.outW();
                            int ih = oh * g.sh() - g.ph() + i * g.dh();
                            if (ih < 0 || ih >= g.height()) {
                                continue; // a padding row: no input element to receive the gradient
                            }
                            int to = plane + ih * g.width() + shift;
                            for (int ow = first; ow < last; ow++) {
                                out[to + ow * g.sw()] += columns[at + ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The first output position {@code ow} in {@code [0, outW]} with {@code ow·stride + shift ≥ 0}: with
     * {@code shift} the window's offset it is the first position inside the input's left edge, and
     * with {@code shift − width} the first one past its right edge.
     */
    private static int firstInside(int shift, int stride, int outW) {
        return Math.clamp(Math.ceilDiv(-shift, stride), 0, outW);
    }
}

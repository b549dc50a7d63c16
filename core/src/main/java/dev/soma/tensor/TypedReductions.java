package dev.soma.tensor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The reductions and the matrix product of tensors that are not float32 ({@link Typed} holds their
 * elementwise loops): plain scalar loops over row-major copies, the specification only, no kernels.
 */
final class TypedReductions {

    private TypedReductions() {
    }

    // ---------------------------------------------------------------- reductions

    /**
     * The sum over the masked dimensions of a tensor that is not float32, as PyTorch: integers and
     * bool sum to int64, float64 to float64.
     */
    static Tensor sum(Tensor x, boolean[] mask, boolean keepDim) {
        int[] outShape = Shape.reduced(x.shape, mask, keepDim);
        if (x.dtype == DType.FLOAT64) {
            return Tensor.wrapDoubles(foldDoubles(x, mask, outShape, 0, Double::sum), outShape);
        }
        return Tensor.wrapLongs(DType.INT64, foldLongs(x, mask, outShape, 0, Long::sum), outShape);
    }

    /** The largest element over the masked dimensions, keeping the type (NaN propagates). */
    static Tensor max(Tensor x, boolean[] mask, boolean keepDim) {
        int[] outShape = Shape.reduced(x.shape, mask, keepDim);
        if (x.dtype == DType.FLOAT64) {
            return Tensor.wrapDoubles(foldDoubles(x, mask, outShape, Double.NEGATIVE_INFINITY,
                    (m, v) -> Double.isNaN(v) || Double.isNaN(m) ? Double.NaN : Math.max(m, v)), outShape);
        }
        return Tensor.wrapLongs(x.dtype, foldLongs(x, mask, outShape, Long.MIN_VALUE, Math::max), outShape);
    }

    /** Each output's row of float64 {@code x} over the masked dimensions, folded left from {@code start}. */
    private static double[] foldDoubles(Tensor x, boolean[] mask, int[] outShape, double start, DoubleBinaryOperator op) {
        int outputs = Shape.numel(outShape);
        int rowLength = outputs == 0 ? 0 : x.numel() / outputs;
        double[] in = Typed.doubles(Reductions.reductionRows(x, mask));
        double[] out = new double[outputs];
        for (int i = 0; i < outputs; i++) {
            double acc = start;
            for (int j = 0; j < rowLength; j++) {
                acc = op.applyAsDouble(acc, in[i * rowLength + j]);
            }
            out[i] = acc;
        }
        return out;
    }

    /** Each output's row of integer or bool {@code x} over the masked dimensions, folded left from {@code start}. */
    private static long[] foldLongs(Tensor x, boolean[] mask, int[] outShape, long start, LongBinaryOperator op) {
        int outputs = Shape.numel(outShape);
        int rowLength = outputs == 0 ? 0 : x.numel() / outputs;
        long[] in = Typed.longs(Reductions.reductionRows(x, mask));
        long[] out = new long[outputs];
        for (int i = 0; i < outputs; i++) {
            long acc = start;
            for (int j = 0; j < rowLength; j++) {
                acc = op.applyAsLong(acc, in[i * rowLength + j]);
            }
            out[i] = acc;
        }
        return out;
    }

    /**
     * The position of the largest (or smallest) element of each row of {@code rows} (the first on
     * ties, NaN counting as the extreme), as int64 indices of {@code outShape}.
     */
    static Tensor argExtreme(Tensor rows, int rowLength, int[] outShape, boolean largest) {
        int outputs = Shape.numel(outShape);
        long[] out = new long[outputs];
        if (rows.dtype == DType.FLOAT32) {
            float[] data = rows.contiguousData();
            for (int r = 0; r < outputs; r++) {
                int offset = r * rowLength;
                int best = 0;
                for (int i = 1; i < rowLength; i++) {
                    float v = data[offset + i];
                    float b = data[offset + best];
                    if (Float.isNaN(b)) {
                        break;
                    }
                    if (Float.isNaN(v) || (largest ? v > b : v < b)) {
                        best = i;
                    }
                }
                out[r] = best;
            }
        } else if (rows.dtype == DType.FLOAT64) {
            double[] data = Typed.doubles(rows);
            for (int r = 0; r < outputs; r++) {
                int offset = r * rowLength;
                int best = 0;
                for (int i = 1; i < rowLength && !Double.isNaN(data[offset + best]); i++) {
                    double v = data[offset + i];
                    if (Double.isNaN(v) || (largest ? v > data[offset + best] : v < data[offset + best])) {
                        best = i;
                    }
                }
                out[r] = best;
            }
        } else {
            long[] data = Typed.longs(rows);
            for (int r = 0; r < outputs; r++) {
                int offset = r * rowLength;
                int best = 0;
                for (int i = 1; i < rowLength; i++) {
                    long v = data[offset + i];
                    if (largest ? v > data[offset + best] : v < data[offset + best]) {
                        best = i;
                    }
                }
                out[r] = best;
            }
        }
        return Tensor.wrapLongs(DType.INT64, out, outShape);
    }

    // ---------------------------------------------------------------- matrix product

    /** {@code a · b} for float64 matrices {@code [M, K]·[K, N]} (views of any strides): the plain triple loop. */
    static Tensor matmul2d(Tensor a, Tensor b) {
        int m = a.shape[0];
        int k = a.shape[1];
        int n = b.shape[1];
        double[] x = Typed.doubles(a);
        double[] y = Typed.doubles(b);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double xv = x[i * k + p];
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += xv * y[p * n + j];
                }
            }
        }
        return Tensor.wrapDoubles(out, m, n);
    }
}

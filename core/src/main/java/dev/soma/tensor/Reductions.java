package dev.soma.tensor;

import dev.soma.tensor.kernel.Kernels;
import java.util.Arrays;

/**
 * Reductions over any set of dimensions: the primitives sum and max, and what composes from them
 * (mean, min, var, logsumexp, softmax, logSoftmax). No dimensions means all of them.
 */
final class Reductions {

    private static final Kernels KERNELS = Kernels.active();

    private Reductions() {
    }

    /** A row reduction: the value of {@code n} consecutive elements from {@code offset}. */
    @FunctionalInterface
    private interface RowReduction {
        float reduce(float[] data, int offset, int n);
    }

    /**
     * Reduces the masked dimensions of {@code x} with {@code reduction}: moves them last, so that each
     * output element reduces one contiguous row.
     */
    private static Tensor reduce(Tensor x, boolean[] mask, boolean keepDim, RowReduction reduction) {
        int[] outShape = Shape.reduced(x.shape, mask, keepDim);
        float[] out = new float[Shape.numel(outShape)];
        int rowLength = out.length == 0 ? 0 : x.numel() / out.length;
        float[] rows = reductionRows(x, mask).contiguousData();
        for (int i = 0; i < out.length; i++) {
            out[i] = reduction.reduce(rows, i * rowLength, rowLength);
        }
        return Tensor.wrap(out, outShape);
    }

    /**
     * {@code x}'s masked dimensions moved last, read as rows of {@code rowLength}: the row-major
     * elements of the permuted view.
     */
    static Tensor reductionRows(Tensor x, boolean[] mask) {
        int rank = x.shape.length;
        int[] order = new int[rank];
        int o = 0;
        for (int d = 0; d < rank; d++) {
            if (!mask[d]) {
                order[o++] = d;
            }
        }
        for (int d = 0; d < rank; d++) {
            if (mask[d]) {
                order[o++] = d;
            }
        }
        return Views.permuteRaw(x, order);
    }

    /** {@code Σ x} over {@code dims}; ∂/∂x = 1, so the gradient is broadcast back to x's shape. */
    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        boolean[] mask = Shape.dimMask("sum", dims, x.shape.length);
        Tensor out = x.dtype == DType.FLOAT32 ? leadingSum(x, mask, keepDim) : TypedReductions.sum(x, mask, keepDim);
        if (out == null) {
            out = reduce(x, mask, keepDim, KERNELS::sum);
        }
        int[] keptShape = Shape.reduced(x.shape, mask, true);
        int[] inputShape = x.shape;
        return Autograd.record("sum", out, g -> new Tensor[] {
            g.reshape(keptShape).expand(inputShape)}, x);
    }

    /**
     * The fast path for summing over leading dimensions of a contiguous tensor (a batch, say): rows
     * are added elementwise, with no transposed copy. Null when the case does not apply.
     */
    private static Tensor leadingSum(Tensor x, boolean[] mask, boolean keepDim) {
        int lead = 0;
        while (lead < mask.length && mask[lead]) {
            lead++;
        }
        for (int d = lead; d < mask.length; d++) {
            if (mask[d]) {
                return null;
            }
        }
        if (lead == 0 || lead == mask.length || !x.isContiguous()) {
            return null;
        }
        int[] outShape = Shape.reduced(x.shape, mask, keepDim);
        int inner = Shape.numel(outShape);
        int rows = inner == 0 ? 0 : x.numel() / inner;
        // Accumulated in double, as the scalar sum kernel does: a float running sum over a long batch
        // drifts (200,000 rows of 0.1 would sum to 19959 instead of 20000).
        double[] sums = new double[inner];
        for (int r = 0; r < rows; r++) {
            int start = x.offset + r * inner;
            for (int i = 0; i < inner; i++) {
                sums[i] += x.data[start + i];
            }
        }
        float[] out = new float[inner];
        for (int i = 0; i < inner; i++) {
            out[i] = (float) sums[i];
        }
        return Tensor.wrap(out, outShape);
    }

    /**
     * {@code max x} over {@code dims} (PyTorch's {@code amax}); the gradient is shared evenly among the
     * elements equal to the maximum.
     */
    static Tensor max(Tensor x, int[] dims, boolean keepDim) {
        boolean[] mask = Shape.dimMask("max", dims, x.shape.length);
        requireNonEmpty("max", x, mask);
        Tensor out = x.dtype == DType.FLOAT32 ? reduce(x, mask, keepDim, KERNELS::max) : TypedReductions.max(x, mask, keepDim);
        int[] keptShape = Shape.reduced(x.shape, mask, true);
        int[] reducedDims = maskedDims(mask);
        return Autograd.record("max", out, g -> {
            Tensor isMax = x.eq(out.reshape(keptShape));
            Tensor share = isMax.div(sum(isMax, reducedDims, true));
            return new Tensor[] {share.mul(g.reshape(keptShape))};
        }, x);
    }

    /** {@code min x = -max(-x)} over {@code dims}. */
    static Tensor min(Tensor x, int[] dims, boolean keepDim) {
        boolean[] mask = Shape.dimMask("min", dims, x.shape.length);
        requireNonEmpty("min", x, mask);
        return max(x.neg(), dims, keepDim).neg();
    }

    /** {@code mean x = Σ x / N} over {@code dims}, N the number of elements reduced. */
    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        boolean[] mask = Shape.dimMask("mean", dims, x.shape.length);
        requireFloating("mean", x);
        return sum(x, dims, keepDim).div(count(x, mask));
    }

    /**
     * {@code var x = Σ (x - mean x)² / (N - correction)} over {@code dims}; correction 1 is Bessel's
     * (unbiased), 0 the population variance.
     */
    static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        boolean[] mask = Shape.dimMask("var", dims, x.shape.length);
        requireFloating("var", x);
        Tensor centered = x.sub(mean(x, dims, true));
        int divisor = Math.max(count(x, mask) - correction, 0);
        return sum(centered.mul(centered), dims, keepDim).div(divisor);
    }

    /**
     * {@code ln Σ eˣ} over {@code dims}, as {@code m + ln Σ e^(x - m)} with m the (detached) maximum,
     * so that no exponent exceeds 0 (see {@link #shiftByMax}).
     */
    static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
        boolean[] mask = Shape.dimMask("logsumexp", dims, x.shape.length);
        requireFloating("logsumexp", x);
        Tensor m = shiftByMax(x, dims);
        Tensor lse = sum(x.sub(m).exp(), dims, true).log().add(m);
        return keepDim ? lse : lse.reshape(Shape.reduced(x.shape, mask, false));
    }

    /**
     * {@code softmax(x)ᵢ = e^(xᵢ - m) / Σⱼ e^(xⱼ - m)} along {@code dim}, m the detached maximum.
     */
    static Tensor softmax(Tensor x, int dim) {
        // NOTE: not exp(logSoftmax(x)): at |x| ~ 1000, logsumexp rounds to float's spacing there (6e-5),
        // and softmax([1000, 1000]) would come out as 0.49998, not 0.5.
        requireFloating("softmax", x);
        int[] dims = {Shape.dim("softmax", dim, x.shape.length)};
        Tensor e = x.sub(shiftByMax(x, dims)).exp();
        return e.div(sum(e, dims, true));
    }

    /** {@code logSoftmax(x)ᵢ = (xᵢ - m) - ln Σⱼ e^(xⱼ - m)} along {@code dim}, m the detached maximum. */
    static Tensor logSoftmax(Tensor x, int dim) {
        requireFloating("logSoftmax", x);
        int[] dims = {Shape.dim("logSoftmax", dim, x.shape.length)};
        Tensor shifted = x.sub(shiftByMax(x, dims));
        return shifted.sub(sum(shifted.exp(), dims, true).log());
    }

    /**
     * The maximum of x over {@code dims} (kept), detached, for shifting exponents to at most 0. The
     * gradient through it cancels exactly in logsumexp and softmax, so it needs none; an infinite
     * maximum (all -∞, or a +∞) is replaced by 0 so that {@code x - m} is never ∞ - ∞.
     */
    private static Tensor shiftByMax(Tensor x, int[] dims) {
        if (x.numel() == 0) {
            return Tensor.zeros(Shape.reduced(x.shape, Shape.dimMask("max", dims, x.shape.length), true));
        }
        Tensor m = max(x.detach(), dims, true);
        return Tensor.where(m.abs().eq(Float.POSITIVE_INFINITY), Tensor.scalar(0), m);
    }

    /**
     * The index of the largest (or smallest) element along {@code dim}, or of the flattened tensor when
     * {@code dim} is null; the first index wins ties and NaN counts as the extreme (as PyTorch).
     */
    static Tensor argExtreme(Tensor x, Integer dim, boolean keepDim, boolean largest) {
        String op = largest ? "argmax" : "argmin";
        Tensor source = dim == null ? x.reshape(-1) : x;
        int d = dim == null ? 0 : Shape.dim(op, dim, x.shape.length);
        if (source.shape.length == 0) {
            return Tensor.zeros(DType.INT64);
        }
        boolean[] mask = new boolean[source.shape.length];
        mask[d] = true;
        requireNonEmpty(op, source, mask);
        int[] outShape = Shape.reduced(source.shape, mask, keepDim && dim != null);
        Tensor rows = reductionRows(source, mask);
        return TypedReductions.argExtreme(rows, source.shape[d], outShape, largest);
    }

    private static void requireFloating(String op, Tensor x) {
        if (x.dtype.isIntegral()) {
            throw new IllegalArgumentException(op + ": expected a floating-point tensor, got " + x.dtype
                    + " (convert with toFloat())");
        }
    }

    private static int count(Tensor x, boolean[] mask) {
        int n = 1;
        for (int d = 0; d < mask.length; d++) {
            if (mask[d]) {
                n *= x.shape[d];
            }
        }
        return n;
    }

    private static int[] maskedDims(boolean[] mask) {
        int[] dims = new int[Shape.count(mask)];
        for (int d = 0, i = 0; d < mask.length; d++) {
            if (mask[d]) {
                dims[i++] = d;
            }
        }
        return dims;
    }

    private static void requireNonEmpty(String op, Tensor x, boolean[] mask) {
        for (int d = 0; d < mask.length; d++) {
            if (mask[d] && x.shape[d] == 0) {
                throw new IllegalArgumentException(op + ": cannot reduce dim " + d + " of size 0 in shape "
                        + Shape.format(x.shape) + " (the result has no identity)");
            }
        }
        if (mask.length == 0 && x.numel() == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce an empty tensor " + Arrays.toString(x.shape));
        }
    }
}

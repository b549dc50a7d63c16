package dev.soma.tensor;

import dev.soma.tensor.kernel.Kernels;
import java.util.Arrays;

/**
 * Primitives that do in one graph node what would otherwise take several, as PyTorch's
 * {@code F.linear} and {@code F.binary_cross_entropy} are native ops rather than compositions. Each
 * computes exactly the composition it replaces, which {@link Composed} spells out (up to the order of
 * float additions), and has its own backward rule, tested against that composition's. For a small
 * network the per-op overhead (a tensor, a node, a rule, a shape check per op, forward and backward)
 * costs more than the arithmetic, so fewer, larger ops make every training step faster; {@link Ops}
 * runs these unless asked for the compositions.
 */
public final class Fused {

    private static final Kernels KERNELS = Kernels.active();

    private Fused() {
    }

    /**
     * {@code input·weightᵀ + bias}: input {@code [*, in]}, weight {@code [out, in]}, bias {@code [out]}
     * or null → {@code [*, out]}. The bias initialises the output and the product is accumulated onto
     * it by one gemm; backward is {@code ∂x = G·W}, {@code ∂W = Gᵀ·x}, {@code ∂b = Σ_rows G}.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        checkLinear(input, weight, bias);
        int in = weight.shape[1];
        int outFeatures = weight.shape[0];
        int m = 1;
        for (int d = 0; d < input.shape.length - 1; d++) {
            m *= input.shape[d];
        }
        int[] outShape = input.shape.clone();
        outShape[outShape.length - 1] = outFeatures;
        float[] x = input.contiguousData();
        float[] w = weight.contiguousData();
        float[] out = new float[m * outFeatures];
        if (bias != null) {
            float[] b = bias.contiguousData();
            for (int r = 0; r < m; r++) {
                System.arraycopy(b, 0, out, r * outFeatures, outFeatures);
            }
        }
        if (m > 0 && outFeatures > 0 && in > 0) {
            KERNELS.gemm(false, true, m, outFeatures, in, x, 0, in, w, 0, in, out, 0, outFeatures, bias != null);
        }
        int rows = m;
        return Autograd.record("linear", Tensor.wrap(out, outShape), g -> {
            float[] gd = g.contiguousData();
            Tensor gx = null;
            Tensor gw = null;
            Tensor gb = null;
            if (input.requiresGrad()) {
                float[] dx = new float[rows * in];
                if (rows > 0 && in > 0 && outFeatures > 0) {
                    KERNELS.gemm(false, false, rows, in, outFeatures, gd, 0, outFeatures, w, 0, in, dx, 0, in, false);
                }
                gx = Tensor.handOver(dx, input.shape.clone());
            }
            if (weight.requiresGrad()) {
                float[] dw = new float[outFeatures * in];
                if (rows > 0 && in > 0 && outFeatures > 0) {
                    KERNELS.gemm(true, false, outFeatures, in, rows, gd, 0, outFeatures, x, 0, in, dw, 0, in, false);
                }
                gw = Tensor.handOver(dw, weight.shape.clone());
            }
            if (bias != null && bias.requiresGrad()) {
                gb = Tensor.handOver(columnSums(gd, rows, outFeatures), bias.shape.clone());
            }
            return new Tensor[] {gx, gw, gb};
        }, input, weight, bias);
    }

    /** Rejects operands of {@link #linear} other than {@code [*, in]}, {@code [out, in]}, {@code [out]}/null. */
    static void checkLinear(Tensor input, Tensor weight, Tensor bias) {
        int in = weight.shape.length == 2 ? weight.shape[1] : -1;
        int outFeatures = weight.shape.length == 2 ? weight.shape[0] : -1;
        if (in < 0 || input.shape.length == 0 || input.shape[input.shape.length - 1] != in
                || bias != null && (bias.shape.length != 1 || bias.shape[0] != outFeatures)) {
            throw new IllegalArgumentException("linear: input " + Shape.format(input.shape) + ", weight "
                    + Shape.format(weight.shape) + ", bias " + (bias == null ? "none" : Shape.format(bias.shape))
                    + ": expected [*, in], [out, in] and [out]");
        }
    }

    /** The sums of the columns of a row-major {@code [rows, columns]} matrix, accumulated in double. */
    private static float[] columnSums(float[] g, int rows, int columns) {
        double[] sums = new double[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                sums[c] += g[r * columns + c];
            }
        }
        float[] out = new float[columns];
        for (int c = 0; c < columns; c++) {
            out[c] = (float) sums[c];
        }
        return out;
    }

    /**
     * Binary cross-entropy per element, {@code ℓ = −(y·ln x + (1 − y)·ln(1 − x))}, each logarithm taken
     * of its argument raised to the smallest float and clamped at −100 (PyTorch's rule: a probability of
     * exactly 0 or 1 gives a finite loss). Input and target have the same shape. Gradients, as PyTorch's:
     * {@code ∂ℓ/∂x = (x − y) / max(x·(1 − x), 1e-12)}, which is {@code −y/x + (1 − y)/(1 − x)} away from 0
     * and 1 and finite at them, and {@code ∂ℓ/∂y = ln(1 − x) − ln x} (clamped logs).
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        checkSameShape(input, target);
        float[] x = input.contiguousData();
        float[] y = target.contiguousData();
        float[] losses = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float notX = -x[i] + 1;
            losses[i] = -(y[i] * clampedLog(x[i]) + (-y[i] + 1) * clampedLog(notX));
        }
        return Autograd.record("binaryCrossEntropy", Tensor.wrap(losses, input.shape.clone()), g -> {
            float[] gd = g.contiguousData();
            float[] dx = input.requiresGrad() ? new float[x.length] : null;
            float[] dy = target.requiresGrad() ? new float[x.length] : null;
            for (int i = 0; i < x.length; i++) {
                float notX = -x[i] + 1;
                if (dx != null) { // NOTE: PyTorch's rule, finite at x = 0 and 1, not the clamped logs' slope
                    dx[i] = gd[i] * (x[i] - y[i]) / Math.max(notX * x[i], BCE_EPSILON);
                }
                if (dy != null) {
                    dy[i] = -gd[i] * (clampedLog(x[i]) - clampedLog(notX));
                }
            }
            return new Tensor[] {
                dx == null ? null : Tensor.wrap(dx, input.shape.clone()),
                dy == null ? null : Tensor.wrap(dy, target.shape.clone())};
        }, input, target);
    }

    /** The least denominator of binary cross-entropy's gradient, PyTorch's {@code EPSILON}. */
    private static final float BCE_EPSILON = 1e-12f;

    /** Rejects an input and a target of {@link #binaryCrossEntropy} that differ in shape. */
    static void checkSameShape(Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape, target.shape)) {
            throw new IllegalArgumentException("binaryCrossEntropy: input " + Shape.format(input.shape)
                    + " and target " + Shape.format(target.shape) + " differ in shape");
        }
    }

    /** {@code max(ln max(v, MIN_VALUE), −100)}. */
    private static float clampedLog(float v) {
        return Math.max((float) Math.log(Math.max(v, Float.MIN_VALUE)), -100f);
    }
}

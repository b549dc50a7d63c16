package dev.soma.tensor.kernel.simd;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.ScalarKernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.UnaryOp;
import dev.soma.tensor.kernel.Workers;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels of {@link ScalarKernels}, computed {@code SPECIES.length()} floats at a time with the
 * Vector API (the only class of Soma that imports {@code jdk.incubator.vector}).
 *
 * <p>Every loop has the same shape: {@code species.loopBound(n)} lanes in the vector body, then a
 * {@code // scalar tail} that calls {@link ScalarKernels#apply}. Results are bit-for-bit those of the
 * scalar kernels (NaN for NaN, -0 for -0) except:
 * <ul>
 *   <li>{@link #sum} adds in float lanes, so its error grows with n (the scalar sum adds in double);</li>
 *   <li>{@link #gemm} accumulates in float with fused multiply-adds, its error growing with k.</li>
 * </ul>
 * {@code EXP}, {@code LOG}, {@code TANH}, {@code SIGMOID} and {@code ERF} are {@link SimdExponential}'s,
 * in double lanes; {@code POW} has no vector form here: every element goes through the scalar kernel.
 * Every result is the same whether a loop runs interpreted or compiled, so a seed always gives the
 * same run.
 * In-place work ({@code y == x}) is allowed when the offsets are equal.
 */
public final class SimdKernels implements Kernels {

    /**
     * The species, in a holder initialized on the first vector loop: initializing the Vector API
     * (its species, shapes and operator tables) costs about 25 ms in a fresh JVM, which a program
     * of tiny tensors (XOR: every run shorter than {@link Tuning#SHORT_RUN}, every product under
     * {@link Tuning#TINY_PRODUCT}) never needs to pay.
     */
    private static final class Lanes {
        static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    }
    /**
     * Elements summed in float lanes before they are flushed into the double total: it fixes the sum's
     * rounding, so it is part of this kernel's definition, not a speed setting in {@link Tuning}.
     */
    private static final int SUM_BLOCK = 2048;
    /** The threads that share large matrix products with their caller. */
    private final Workers workers;

    /** Kernels whose large matrix products are split over {@code workers}. */
    public SimdKernels(Workers workers) {
        this.workers = workers;
    }

    @Override
    public String name() {
        return "simd (" + Lanes.SPECIES.vectorBitSize() + "-bit, " + Lanes.SPECIES.length() + " float lanes)";
    }

    // ---------------------------------------------------------------------------------------------
    // Elementwise

    @Override
    public void map(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n) {
        if (n < Tuning.SHORT_RUN) {
            Kernels.scalar().map(op, x, xOffset, y, yOffset, n);
            return;
        }
        // EXP, LOG, TANH, SIGMOID, ERF: SimdExponential's arithmetic, the same bits in every JIT tier. The
        // Vector API's own EXP, LOG and TANH are not: SVML once C2 compiles a loop, Math lane by lane
        // before, one bit apart, so a run's results would depend on when the compiler got to the loop.
        if (SimdExponential.computes(op)) {
            SimdExponential.map(op, x, xOffset, y, yOffset, n);
            return;
        }
        int bound = Lanes.SPECIES.loopBound(n);
        int i = 0;
        // NOTE: the vector ops stay in this method, each case storing its own result: C2 boxes vectors
        // that cross a call it does not inline, which makes them ten times slower than scalar code.
        for (; i < bound; i += Lanes.SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(Lanes.SPECIES, x, xOffset + i);
            int at = yOffset + i;
            switch (op) {
                case NEG -> v.neg().intoArray(y, at);
                case ABS -> v.abs().intoArray(y, at);
                case SQRT -> v.sqrt().intoArray(y, at);
                // x < 0 ? 0 : x, so NaN (for which x < 0 is false) stays NaN.
                case RELU -> v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(y, at);
                // ±0 and NaN stay as they are, like Math.signum.
                case SIGN -> v.blend(1f, v.compare(VectorOperators.GT, 0f))
                        .blend(-1f, v.compare(VectorOperators.LT, 0f)).intoArray(y, at);
                case EXP, LOG, TANH, SIGMOID, ERF ->
                        throw new IllegalStateException(op + " is not evaluated in this loop");
            }
        }
        // scalar tail
        for (; i < n; i++) {
            y[yOffset + i] = ScalarKernels.apply(op, x[xOffset + i]);
        }
    }

    @Override
    public void zip(BinaryOp op, float[] a, int aOffset, int aStride, float[] b, int bOffset, int bStride,
                    float[] out, int outOffset, int n) {
        checkStride("aStride", aStride);
        checkStride("bStride", bStride);
        if (n < Tuning.SHORT_RUN) {
            Kernels.scalar().zip(op, a, aOffset, aStride, b, bOffset, bStride, out, outOffset, n);
            return;
        }
        if (aStride == 0 && bStride == 0) {
            // Every output is the same value.
            if (n > 0) {
                Arrays.fill(out, outOffset, outOffset + n, ScalarKernels.apply(op, a[aOffset], b[bOffset]));
            }
            return;
        }
        // NOTE: POW is evaluated per element by the scalar kernel, so that it is exactly Math.pow.
        int bound = op == BinaryOp.POW ? 0 : Lanes.SPECIES.loopBound(n);
        // A stride-0 operand is broadcast once, before the loop.
        FloatVector aRepeated = FloatVector.broadcast(Lanes.SPECIES, aStride == 0 && bound > 0 ? a[aOffset] : 0f);
        FloatVector bRepeated = FloatVector.broadcast(Lanes.SPECIES, bStride == 0 && bound > 0 ? b[bOffset] : 0f);
        FloatVector zero = FloatVector.zero(Lanes.SPECIES); // comparisons give 1 where they hold (IEEE: NaN fails all but NE)
        int i = 0;
        for (; i < bound; i += Lanes.SPECIES.length()) {
            FloatVector va = aStride == 0 ? aRepeated : FloatVector.fromArray(Lanes.SPECIES, a, aOffset + i);
            FloatVector vb = bStride == 0 ? bRepeated : FloatVector.fromArray(Lanes.SPECIES, b, bOffset + i);
            int at = outOffset + i;
            switch (op) { // each case stores its own result, as in map
                case ADD -> va.add(vb).intoArray(out, at);
                case SUB -> va.sub(vb).intoArray(out, at);
                case MUL -> va.mul(vb).intoArray(out, at);
                case DIV -> va.div(vb).intoArray(out, at);
                // Lanewise MAX and MIN are Math.max and Math.min: NaN wins, and -0 < +0.
                case MAX -> va.max(vb).intoArray(out, at);
                case MIN -> va.min(vb).intoArray(out, at);
                case EQ -> zero.blend(1f, va.compare(VectorOperators.EQ, vb)).intoArray(out, at);
                case NE -> zero.blend(1f, va.compare(VectorOperators.NE, vb)).intoArray(out, at);
                case LT -> zero.blend(1f, va.compare(VectorOperators.LT, vb)).intoArray(out, at);
                case LE -> zero.blend(1f, va.compare(VectorOperators.LE, vb)).intoArray(out, at);
                case GT -> zero.blend(1f, va.compare(VectorOperators.GT, vb)).intoArray(out, at);
                case GE -> zero.blend(1f, va.compare(VectorOperators.GE, vb)).intoArray(out, at);
                case PASS_IF_POSITIVE -> zero.blend(va, vb.compare(VectorOperators.GT, zero)).intoArray(out, at);
                case POW -> throw new IllegalStateException("pow is evaluated by the scalar tail");
            }
        }
        // scalar tail
        for (; i < n; i++) {
            out[outOffset + i] = ScalarKernels.apply(op, a[aOffset + i * aStride], b[bOffset + i * bStride]);
        }
    }

    private static void checkStride(String name, int stride) {
        if (stride != 0 && stride != 1) {
            throw new IllegalArgumentException(name + " must be 0 or 1, got " + stride);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reductions

    /** Four vector accumulators, added lane by lane at the end; the tail in double. */
    @Override
    public float sum(float[] x, int offset, int n) {
        if (n < Tuning.SHORT_RUN) {
            return Kernels.scalar().sum(x, offset, n);
        }
        int lanes = Lanes.SPECIES.length();
        int step = 4 * lanes;
        float[] lanesOut = new float[lanes]; // one per call, not one per block
        double sum = 0;
        int i = 0;
        int unrolledBound = n - n % step;
        // Float lanes are flushed into a double every SUM_BLOCK elements: each lane then adds only a
        // few dozen values, so the float error stays near the scalar kernel's double sum even for
        // millions of elements (10⁶ copies of 0.1 would otherwise drift by 1.5e-4 relative).
        while (i < unrolledBound) {
            int blockEnd = Math.min(unrolledBound, i + SUM_BLOCK);
            FloatVector s0 = FloatVector.zero(Lanes.SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (; i < blockEnd; i += step) {
                s0 = s0.add(FloatVector.fromArray(Lanes.SPECIES, x, offset + i));
                s1 = s1.add(FloatVector.fromArray(Lanes.SPECIES, x, offset + i + lanes));
                s2 = s2.add(FloatVector.fromArray(Lanes.SPECIES, x, offset + i + 2 * lanes));
                s3 = s3.add(FloatVector.fromArray(Lanes.SPECIES, x, offset + i + 3 * lanes));
            }
            sum += laneSum(s0.add(s1).add(s2.add(s3)), lanesOut);
        }
        FloatVector rest = FloatVector.zero(Lanes.SPECIES);
        for (int bound = Lanes.SPECIES.loopBound(n); i < bound; i += lanes) {
            rest = rest.add(FloatVector.fromArray(Lanes.SPECIES, x, offset + i));
        }
        sum += laneSum(rest, lanesOut);
        // scalar tail
        for (; i < n; i++) {
            sum += x[offset + i];
        }
        return (float) sum;
    }

    /**
     * The lanes of {@code v} (stored through {@code lanes}, a scratch array of one vector) added in
     * lane order, in double. Not {@code reduceLanes(ADD)}: its order is
     * unspecified and differs between the compiled and the interpreted form, so results would depend on
     * when C2 compiled the caller (as with the Vector API's own EXP, LOG and TANH; see {@link #map}).
     */
    private static double laneSum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        double sum = 0;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
    }

    /** Lanewise Math.max, then across lanes; NaN anywhere gives NaN, as in the scalar kernel. */
    @Override
    public float max(float[] x, int offset, int n) {
        checkNotEmpty("max", n);
        if (n < Tuning.SHORT_RUN) {
            return Kernels.scalar().max(x, offset, n);
        }
        FloatVector best = FloatVector.broadcast(Lanes.SPECIES, x[offset]);
        int i = 0;
        for (int bound = Lanes.SPECIES.loopBound(n); i < bound; i += Lanes.SPECIES.length()) {
            best = best.max(FloatVector.fromArray(Lanes.SPECIES, x, offset + i));
        }
        float max = best.reduceLanes(VectorOperators.MAX);
        // scalar tail
        for (; i < n; i++) {
            max = Math.max(max, x[offset + i]);
        }
        return max;
    }

    /** Lanewise Math.min, then across lanes; NaN anywhere gives NaN, as in the scalar kernel. */
    @Override
    public float min(float[] x, int offset, int n) {
        checkNotEmpty("min", n);
        if (n < Tuning.SHORT_RUN) {
            return Kernels.scalar().min(x, offset, n);
        }
        FloatVector best = FloatVector.broadcast(Lanes.SPECIES, x[offset]);
        int i = 0;
        for (int bound = Lanes.SPECIES.loopBound(n); i < bound; i += Lanes.SPECIES.length()) {
            best = best.min(FloatVector.fromArray(Lanes.SPECIES, x, offset + i));
        }
        float min = best.reduceLanes(VectorOperators.MIN);
        // scalar tail
        for (; i < n; i++) {
            min = Math.min(min, x[offset + i]);
        }
        return min;
    }

    @Override
    public void maxPool2x2(float[] x, int top, int width, int rows, float[] out, int[] source, int outOffset, int n) {
        SimdPooling.maxPool2x2(x, top, width, rows, out, source, outOffset, n);
    }

    @Override
    public void maxUnpool2x2(float[] grad, int gradOffset, int[] source, int sourceOffset, int n, int rows, float[] x,
                             int top, int width) {
        SimdPooling.maxUnpool2x2(grad, gradOffset, source, sourceOffset, n, rows, x, top, width);
    }

    private static void checkNotEmpty(String what, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " needs at least one element, got n = " + n);
        }
    }

    @Override
    public int vectorBits() {
        return Lanes.SPECIES.vectorBitSize();
    }

    // ---------------------------------------------------------------------------------------------
    // Matrix product

    /**
     * {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)}, blocked for the caches, with op(A) and op(B)
     * packed into panels and an 8-row by 2-vector register tile (see {@link SimdGemm}). Products with
     * {@code m·n·k ≥} {@link Tuning#PARALLEL_PRODUCT} are split over the caller and
     * {@link #workers}. C must not overlap A or B. Modified: C only.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if ((long) m * n * k < Tuning.TINY_PRODUCT) {
            Kernels.scalar().gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            return;
        }
        SimdGemm.multiply(new SimdGemm.Product(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
                c, cOffset, ldc, accumulate), workers);
    }
}

package dev.soma.tensor.kernel.simd;

import dev.soma.tensor.kernel.Workers;
import dev.soma.tensor.kernel.simd.SimdGemm.Product;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products with few rows ({@code m ≤} {@link dev.soma.tensor.kernel.Tuning#SKINNY_ROWS}) or little work,
 * without packing B: each row of C is a vector-matrix product read straight from A and B. Packing costs a pass over B;
 * with one row of A (batch-1 inference: {@code x[1, 784]·Wᵀ}) that pass is the whole product.
 * <ul>
 *   <li>B not transposed: {@code C[i, j..j+8L) = Σₚ A[i, p]·B[p, j..j+8L)}, 8 vector accumulators
 *       fed by 8 consecutive vectors of B's row p and one broadcast: B is streamed row by row.</li>
 *   <li>B transposed (B stored {@code [n, k]}, PyTorch's Linear layout): {@code C[i, j]} is the dot
 *       product of two contiguous rows, {@code A[i, :]·B[j, :]}. Eight are computed at once, sharing
 *       the loads of A's row; each accumulates lane-wise and is summed across lanes at the end. The
 *       8 rows of B stay in L1 while every row of A meets them.</li>
 * </ul>
 * When B is not transposed, k is cut into the blocks of {@link SimdGemm#depth} and each element's sum
 * is formed in the same order as in the packed product: a row computed alone is bit for bit the same
 * row computed in a batch. (Dot products, B transposed, sum lane-wise and may differ in the last bits.)
 * With {@code transA} the rows of op(A) are strided; they are gathered first into a buffer of
 * {@code m·k} floats (small: m is small, or the whole product is). Products large enough for threads
 * split C's columns, so each thread streams its share of B once.
 */
final class GemmRows {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Columns of C per chunk when B is not transposed: 8 accumulators. */
    private static final int WIDE = 8 * LANES;
    /** Rows of B per group of dot products when B is transposed. */
    private static final int DOTS = 4;
    private static final ThreadLocal<float[][]> BUFFER = ThreadLocal.withInitial(() -> new float[1][0]);

    private GemmRows() {
    }

    /** The product on the calling thread and, when {@code threads > 1}, on {@code workers}. */
    static void multiply(Product x, int threads, Workers workers) {
        int n = x.n();
        int unit = x.transB() ? DOTS : WIDE; // whole groups of columns per part
        int groups = (n + unit - 1) / unit;
        int parts = Math.min(threads, groups);
        if (parts <= 1) {
            columns(x, 0, n);
            return;
        }
        workers.run(parts, part -> columns(x, part * groups / parts * unit,
                Math.min(n, (part + 1) * groups / parts * unit)));
    }

    /** Columns {@code [j0, j1)} of C. */
    static void columns(Product x, int j0, int j1) {
        int m = x.m();
        int k = x.k();
        float[] a = x.a();
        int aOffset = x.aOffset();
        int lda = x.lda();
        if (x.transA()) { // op(A)[i, p] = A[p, i]: gathered into rows of k floats
            float[][] holder = BUFFER.get();
            if (holder[0].length < m * k) {
                holder[0] = new float[m * k];
            }
            float[] rows = holder[0];
            for (int p = 0; p < k; p++) {
                int from = x.aOffset() + p * lda;
                for (int i = 0; i < m; i++) {
                    rows[i * k + p] = a[from + i];
                }
            }
            a = rows;
            aOffset = 0;
            lda = k;
        }
        if (x.transB()) {
            int j = j0;
            for (; j + DOTS <= j1; j += DOTS) {
                for (int i = 0; i < m; i++) {
                    dots(k, a, aOffset + i * lda, x.b(), x.bOffset() + j * x.ldb(), x.ldb(),
                            x.c(), x.cOffset() + i * x.ldc() + j, x.accumulate());
                }
            }
            for (; j < j1; j++) {
                for (int i = 0; i < m; i++) {
                    int cIndex = x.cOffset() + i * x.ldc() + j;
                    float sum = dot(k, a, aOffset + i * lda, x.b(), x.bOffset() + j * x.ldb());
                    x.c()[cIndex] = x.accumulate() ? x.c()[cIndex] + sum : sum;
                }
            }
        } else { // k in SimdGemm's blocks, each a chain added into C: the same sums as packed rows
            int depth = SimdGemm.depth(k);
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                boolean load = x.accumulate() || pc > 0;
                int bBlock = x.bOffset() + pc * x.ldb();
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    axpy4(kc, a, aOffset + i * lda + pc, lda, x.b(), bBlock, x.ldb(),
                            x.c(), x.cOffset() + i * x.ldc(), x.ldc(), j0, j1, load);
                }
                for (; i < m; i++) {
                    axpy(kc, a, aOffset + i * lda + pc, x.b(), bBlock, x.ldb(),
                            x.c(), x.cOffset() + i * x.ldc(), j0, j1, load);
                }
            }
        }
    }

    /** {@code c[cRow + j] (+)= Σₚ a[aRow + p]·b[bOffset + p·ldb + j]} for j in {@code [j0, j1)}. */
    private static void axpy(int k, float[] a, int aRow, float[] b, int bOffset, int ldb,
                             float[] c, int cRow, int j0, int j1, boolean accumulate) {
        int j = j0;
        for (; j + WIDE <= j1; j += WIDE) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int p = 0; p < k; p++) {
                FloatVector x = FloatVector.broadcast(SPECIES, a[aRow + p]);
                int row = bOffset + p * ldb + j;
                s0 = x.fma(FloatVector.fromArray(SPECIES, b, row), s0);
                s1 = x.fma(FloatVector.fromArray(SPECIES, b, row + LANES), s1);
                s2 = x.fma(FloatVector.fromArray(SPECIES, b, row + 2 * LANES), s2);
                s3 = x.fma(FloatVector.fromArray(SPECIES, b, row + 3 * LANES), s3);
                s4 = x.fma(FloatVector.fromArray(SPECIES, b, row + 4 * LANES), s4);
                s5 = x.fma(FloatVector.fromArray(SPECIES, b, row + 5 * LANES), s5);
                s6 = x.fma(FloatVector.fromArray(SPECIES, b, row + 6 * LANES), s6);
                s7 = x.fma(FloatVector.fromArray(SPECIES, b, row + 7 * LANES), s7);
            }
            int to = cRow + j;
            store(s0, c, to, accumulate);
            store(s1, c, to + LANES, accumulate);
            store(s2, c, to + 2 * LANES, accumulate);
            store(s3, c, to + 3 * LANES, accumulate);
            store(s4, c, to + 4 * LANES, accumulate);
            store(s5, c, to + 5 * LANES, accumulate);
            store(s6, c, to + 6 * LANES, accumulate);
            store(s7, c, to + 7 * LANES, accumulate);
        }
        for (; j < j1; j += LANES) { // the rest, a vector at a time
            VectorMask<Float> inside = SPECIES.indexInRange(j, j1);
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int p = 0; p < k; p++) {
                sum = FloatVector.broadcast(SPECIES, a[aRow + p])
                        .fma(FloatVector.fromArray(SPECIES, b, bOffset + p * ldb + j, inside), sum);
            }
            if (accumulate) {
                sum = sum.add(FloatVector.fromArray(SPECIES, c, cRow + j, inside));
            }
            sum.intoArray(c, cRow + j, inside);
        }
    }

    /**
     * As {@link #axpy} for four rows of A and C at once (row strides lda and ldc), in 4 × 4 vector
     * accumulators: each vector of B loaded feeds four multiply-adds, and B is streamed once for the
     * four rows. Columns past the last whole 4 vectors go row by row through {@link #axpy}.
     */
    private static void axpy4(int k, float[] a, int aRow, int lda, float[] b, int bOffset, int ldb,
                              float[] c, int cRow, int ldc, int j0, int j1, boolean accumulate) {
        int a1 = aRow + lda, a2 = a1 + lda, a3 = a2 + lda;
        int j = j0;
        for (; j + 4 * LANES <= j1; j += 4 * LANES) {
            FloatVector s00 = FloatVector.zero(SPECIES);
            FloatVector s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
            FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
            for (int p = 0; p < k; p++) {
                int row = bOffset + p * ldb + j;
                FloatVector b0 = FloatVector.fromArray(SPECIES, b, row);
                FloatVector b1 = FloatVector.fromArray(SPECIES, b, row + LANES);
                FloatVector b2 = FloatVector.fromArray(SPECIES, b, row + 2 * LANES);
                FloatVector b3 = FloatVector.fromArray(SPECIES, b, row + 3 * LANES);
                FloatVector x = FloatVector.broadcast(SPECIES, a[aRow + p]);
                s00 = x.fma(b0, s00);
                s01 = x.fma(b1, s01);
                s02 = x.fma(b2, s02);
                s03 = x.fma(b3, s03);
                x = FloatVector.broadcast(SPECIES, a[a1 + p]);
                s10 = x.fma(b0, s10);
                s11 = x.fma(b1, s11);
                s12 = x.fma(b2, s12);
                s13 = x.fma(b3, s13);
                x = FloatVector.broadcast(SPECIES, a[a2 + p]);
                s20 = x.fma(b0, s20);
                s21 = x.fma(b1, s21);
                s22 = x.fma(b2, s22);
                s23 = x.fma(b3, s23);
                x = FloatVector.broadcast(SPECIES, a[a3 + p]);
                s30 = x.fma(b0, s30);
                s31 = x.fma(b1, s31);
                s32 = x.fma(b2, s32);
                s33 = x.fma(b3, s33);
            }
            int to = cRow + j;
            store(s00, c, to, accumulate);
            store(s01, c, to + LANES, accumulate);
            store(s02, c, to + 2 * LANES, accumulate);
            store(s03, c, to + 3 * LANES, accumulate);
            store(s10, c, to += ldc, accumulate);
            store(s11, c, to + LANES, accumulate);
            store(s12, c, to + 2 * LANES, accumulate);
            store(s13, c, to + 3 * LANES, accumulate);
            store(s20, c, to += ldc, accumulate);
            store(s21, c, to + LANES, accumulate);
            store(s22, c, to + 2 * LANES, accumulate);
            store(s23, c, to + 3 * LANES, accumulate);
            store(s30, c, to += ldc, accumulate);
            store(s31, c, to + LANES, accumulate);
            store(s32, c, to + 2 * LANES, accumulate);
            store(s33, c, to + 3 * LANES, accumulate);
        }
        for (int r = 0; r < 4 && j < j1; r++) {
            axpy(k, a, aRow + r * lda, b, bOffset, ldb, c, cRow + r * ldc, j, j1, accumulate);
        }
    }

    private static void store(FloatVector sum, float[] c, int at, boolean accumulate) {
        (accumulate ? sum.add(FloatVector.fromArray(SPECIES, c, at)) : sum).intoArray(c, at);
    }

    /**
     * {@code c[cIndex + t] (+)= a[aRow ..+k)·b[bRow + t·ldb ..+k)} for t in {@code [0, 4)}: four dot
     * products, lanes of the last partial vector masked. Four, not eight: with eight accumulators C1
     * runs out of registers compiling the method ("out of virtual registers in LIR generator"), and the
     * method can then stay in unprofiled C1 code, with boxed vectors, for the rest of the run (batch-1
     * inference at 650 µs instead of 23).
     */
    private static void dots(int k, float[] a, int aRow, float[] b, int bRow, int ldb,
                             float[] c, int cIndex, boolean accumulate) {
        int b1 = bRow + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int whole = k - k % LANES;
        for (int p = 0; p < whole; p += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aRow + p);
            s0 = x.fma(FloatVector.fromArray(SPECIES, b, bRow + p), s0);
            s1 = x.fma(FloatVector.fromArray(SPECIES, b, b1 + p), s1);
            s2 = x.fma(FloatVector.fromArray(SPECIES, b, b2 + p), s2);
            s3 = x.fma(FloatVector.fromArray(SPECIES, b, b3 + p), s3);
        }
        if (whole < k) {
            VectorMask<Float> inside = SPECIES.indexInRange(whole, k);
            FloatVector x = FloatVector.fromArray(SPECIES, a, aRow + whole, inside);
            s0 = x.fma(FloatVector.fromArray(SPECIES, b, bRow + whole, inside), s0);
            s1 = x.fma(FloatVector.fromArray(SPECIES, b, b1 + whole, inside), s1);
            s2 = x.fma(FloatVector.fromArray(SPECIES, b, b2 + whole, inside), s2);
            s3 = x.fma(FloatVector.fromArray(SPECIES, b, b3 + whole, inside), s3);
        }
        c[cIndex] = (accumulate ? c[cIndex] : 0f) + LaneSums.sum(s0);
        c[cIndex + 1] = (accumulate ? c[cIndex + 1] : 0f) + LaneSums.sum(s1);
        c[cIndex + 2] = (accumulate ? c[cIndex + 2] : 0f) + LaneSums.sum(s2);
        c[cIndex + 3] = (accumulate ? c[cIndex + 3] : 0f) + LaneSums.sum(s3);
    }

    /** {@code a[aRow ..+k)·b[bRow ..+k)}, a vector at a time, the last one masked. */
    private static float dot(int k, float[] a, int aRow, float[] b, int bRow) {
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p += LANES) {
            VectorMask<Float> inside = SPECIES.indexInRange(p, k);
            sum = FloatVector.fromArray(SPECIES, a, aRow + p, inside)
                    .fma(FloatVector.fromArray(SPECIES, b, bRow + p, inside), sum);
        }
        return LaneSums.sum(sum);
    }
}

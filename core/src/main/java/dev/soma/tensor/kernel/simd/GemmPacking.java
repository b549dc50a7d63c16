package dev.soma.tensor.kernel.simd;

import dev.soma.tensor.kernel.simd.SimdGemm.Product;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the p-major panels {@link SimdGemm}'s micro-kernel reads.
 *
 * <ul>
 *   <li>B: a panel's row p is {@code NR} consecutive floats of B's row p, copied as two vectors.</li>
 *   <li>Bᵀ: a panel is the transpose of NR rows of B, moved in {@code L × L} blocks ({@code L} = 16
 *       lanes): L rows loaded as vectors, transposed in registers by four rounds of interleaving
 *       (each output vector one two-table permute, {@code vpermt2ps}), stored as L vectors.</li>
 *   <li>A: a panel interleaves MR = 8 rows of A; 16 columns at a time, 8 vectors are interleaved by
 *       three such rounds into 8 consecutive vectors.</li>
 *   <li>Aᵀ: a panel's row p is MR consecutive floats of A's row p, copied as one 256-bit vector.</li>
 * </ul>
 * Edges that do not fill a block, and lane counts other than 16, are copied element by element.
 * The register transpositions take about a quarter of the instructions of element-by-element
 * copying; packing is then bounded by reading A and B from memory.
 */
final class GemmPacking {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int NR = SimdGemm.NR;
    private static final int MR = SimdGemm.MR;
    /** Whether {@link #transposeBlock} and {@link #interleaveRows} apply: written out for 16 lanes, MR = 8. */
    private static final boolean BLOCKS = LANES == 16 && MR == 8;
    /** MR floats, the part of one p in an A panel. */
    private static final VectorSpecies<Float> PANEL_ROW =
            VectorSpecies.of(float.class, VectorShape.forBitSize(MR * Float.SIZE));
    /** Whether A panels are copied from a transposed A as vectors of MR floats (natively supported). */
    private static final boolean ROWS_AS_VECTORS = SPECIES.vectorBitSize() >= PANEL_ROW.vectorBitSize();
    /**
     * Permute indices that interleave two vectors a and b (indices L and up select from b):
     * {@code a₀ b₀ a₁ b₁ …} from their low halves, and the same from their high halves.
     */
    private static final float[] LOW = interleave(0);
    private static final float[] HIGH = interleave(LANES / 2);

    private GemmPacking() {
    }

    private static float[] interleave(int start) {
        float[] indices = new float[LANES];
        for (int t = 0; t < LANES; t++) {
            indices[t] = (t % 2) * LANES + start + t / 2;
        }
        return indices;
    }

    /**
     * {@code op(B)[pc .. pc+kc, jc .. jc+nc)} into panels of NR columns: panel q holds
     * {@code op(B)[pc+p, jc + q·NR + j]} at {@code packed[at + q·kc·NR + p·NR + j]}, zeros past nc.
     */
    static void packB(Product x, int pc, int kc, int jc, int nc, float[] packed, int at) {
        float[] b = x.b();
        int ldb = x.ldb();
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int panel = at + jr * kc;
            if (!x.transB()) {
                int from = x.bOffset() + pc * ldb + jc + jr;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++) {
                        int source = from + p * ldb;
                        FloatVector.fromArray(SPECIES, b, source).intoArray(packed, panel + p * NR);
                        FloatVector.fromArray(SPECIES, b, source + LANES).intoArray(packed, panel + p * NR + LANES);
                    }
                } else {
                    VectorMask<Float> first = SPECIES.indexInRange(0, cols);
                    VectorMask<Float> second = SPECIES.indexInRange(LANES, cols);
                    for (int p = 0; p < kc; p++) {
                        int source = from + p * ldb;
                        FloatVector.fromArray(SPECIES, b, source, first).intoArray(packed, panel + p * NR);
                        FloatVector.fromArray(SPECIES, b, source + LANES, second)
                                .intoArray(packed, panel + p * NR + LANES);
                    }
                }
            } else {
                // op(B)[p, j] = B[j, p]: the panel is the transpose of B's rows jc+jr .. jc+jr+cols.
                int from = x.bOffset() + (jc + jr) * ldb + pc;
                int blockCols = BLOCKS ? cols - cols % LANES : 0;
                int blockRows = BLOCKS ? kc - kc % LANES : 0;
                for (int j = 0; j < blockCols; j += LANES) {
                    for (int p = 0; p < blockRows; p += LANES) {
                        transposeBlock(b, from + j * ldb + p, ldb, packed, panel + p * NR + j, NR);
                    }
                }
                // the edges, element by element
                transpose(b, from, ldb, 0, blockCols, blockRows, kc, packed, panel, NR);
                transpose(b, from, ldb, blockCols, cols, 0, kc, packed, panel, NR);
                for (int p = 0; p < kc && cols < NR; p++) {
                    Arrays.fill(packed, panel + p * NR + cols, panel + (p + 1) * NR, 0f);
                }
            }
        }
    }

    /**
     * {@code op(A)[ic .. ic+mc, pc .. pc+kc)} into panels of MR rows, each p-major: panel q holds
     * {@code op(A)[ic + q·MR + r, pc + p]} at {@code packed[q·kc·MR + p·MR + r]}, zeros for rows past mc.
     */
    static void packA(Product x, int ic, int mc, int pc, int kc, float[] packed) {
        float[] a = x.a();
        int lda = x.lda();
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int panel = ir * kc;
            if (x.transA()) {
                // op(A)[i, p] = A[p, i]: a panel's p-th MR floats are MR consecutive floats of A's row p.
                int from = x.aOffset() + pc * lda + ic + ir;
                if (rows == MR && ROWS_AS_VECTORS) {
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(PANEL_ROW, a, from + p * lda).intoArray(packed, panel + p * MR);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        for (int r = 0; r < MR; r++) {
                            packed[panel + p * MR + r] = r < rows ? a[from + p * lda + r] : 0f;
                        }
                    }
                }
            } else {
                // op(A)[i, p] = A[i, p]: MR rows of A, interleaved p by p.
                int from = x.aOffset() + (ic + ir) * lda + pc;
                int blocked = rows == MR && BLOCKS ? kc - kc % LANES : 0;
                for (int p = 0; p < blocked; p += LANES) {
                    interleaveRows(a, from + p, lda, packed, panel + p * MR);
                }
                for (int p = blocked; p < kc; p++) {
                    for (int r = 0; r < MR; r++) {
                        packed[panel + p * MR + r] = r < rows ? a[from + r * lda + p] : 0f;
                    }
                }
            }
        }
    }

    /**
     * The 8 rows of 16 floats at {@code src[from]} (row stride srcStride), interleaved column by column
     * into 128 consecutive floats at {@code dst[to]}: {@code dst[to + q·8 + r] = src[from + r·srcStride + q]}.
     * Three rounds of {@code y[2i] = low(x[i], x[i+4])}, {@code y[2i+1] = high(x[i], x[i+4])} rotate
     * an element's 7-bit (row, column) address by three, which is that interleaving.
     */
    private static void interleaveRows(float[] src, int from, int srcStride, float[] dst, int to) {
        FloatVector low = FloatVector.fromArray(SPECIES, LOW, 0);
        FloatVector high = FloatVector.fromArray(SPECIES, HIGH, 0);
        FloatVector x0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector x1 = FloatVector.fromArray(SPECIES, src, from + srcStride);
        FloatVector x2 = FloatVector.fromArray(SPECIES, src, from + 2 * srcStride);
        FloatVector x3 = FloatVector.fromArray(SPECIES, src, from + 3 * srcStride);
        FloatVector x4 = FloatVector.fromArray(SPECIES, src, from + 4 * srcStride);
        FloatVector x5 = FloatVector.fromArray(SPECIES, src, from + 5 * srcStride);
        FloatVector x6 = FloatVector.fromArray(SPECIES, src, from + 6 * srcStride);
        FloatVector x7 = FloatVector.fromArray(SPECIES, src, from + 7 * srcStride);
        FloatVector y0 = low.selectFrom(x0, x4);
        FloatVector y1 = high.selectFrom(x0, x4);
        FloatVector y2 = low.selectFrom(x1, x5);
        FloatVector y3 = high.selectFrom(x1, x5);
        FloatVector y4 = low.selectFrom(x2, x6);
        FloatVector y5 = high.selectFrom(x2, x6);
        FloatVector y6 = low.selectFrom(x3, x7);
        FloatVector y7 = high.selectFrom(x3, x7);
        x0 = low.selectFrom(y0, y4);
        x1 = high.selectFrom(y0, y4);
        x2 = low.selectFrom(y1, y5);
        x3 = high.selectFrom(y1, y5);
        x4 = low.selectFrom(y2, y6);
        x5 = high.selectFrom(y2, y6);
        x6 = low.selectFrom(y3, y7);
        x7 = high.selectFrom(y3, y7);
        y0 = low.selectFrom(x0, x4);
        y1 = high.selectFrom(x0, x4);
        y2 = low.selectFrom(x1, x5);
        y3 = high.selectFrom(x1, x5);
        y4 = low.selectFrom(x2, x6);
        y5 = high.selectFrom(x2, x6);
        y6 = low.selectFrom(x3, x7);
        y7 = high.selectFrom(x3, x7);
        y0.intoArray(dst, to);
        y1.intoArray(dst, to + 16);
        y2.intoArray(dst, to + 32);
        y3.intoArray(dst, to + 48);
        y4.intoArray(dst, to + 64);
        y5.intoArray(dst, to + 80);
        y6.intoArray(dst, to + 96);
        y7.intoArray(dst, to + 112);
    }

    /**
     * {@code dst[to + q·dstStride + s] = src[from + s·srcStride + q]} for s in {@code [s0, s1)} and q in
     * {@code [q0, q1)}: part of a transposition, element by element.
     */
    private static void transpose(float[] src, int from, int srcStride, int s0, int s1, int q0, int q1,
                                  float[] dst, int to, int dstStride) {
        for (int s = s0; s < s1; s++) {
            for (int q = q0; q < q1; q++) {
                dst[to + q * dstStride + s] = src[from + s * srcStride + q];
            }
        }
    }

    /**
     * The transpose of the 16 × 16 block at {@code src[from]} (row stride srcStride) into
     * {@code dst[to]} (row stride dstStride). Round by round, {@code y[2i] = low(x[i], x[i+8])} and
     * {@code y[2i+1] = high(x[i], x[i+8])}: each round rotates the 8 bits of an element's (row, column)
     * address by one, so four rounds swap row and column.
     */
    private static void transposeBlock(float[] src, int from, int srcStride, float[] dst, int to, int dstStride) {
        FloatVector low = FloatVector.fromArray(SPECIES, LOW, 0);
        FloatVector high = FloatVector.fromArray(SPECIES, HIGH, 0);
        FloatVector x0 = FloatVector.fromArray(SPECIES, src, from);
        FloatVector x1 = FloatVector.fromArray(SPECIES, src, from + srcStride);
        FloatVector x2 = FloatVector.fromArray(SPECIES, src, from + 2 * srcStride);
        FloatVector x3 = FloatVector.fromArray(SPECIES, src, from + 3 * srcStride);
        FloatVector x4 = FloatVector.fromArray(SPECIES, src, from + 4 * srcStride);
        FloatVector x5 = FloatVector.fromArray(SPECIES, src, from + 5 * srcStride);
        FloatVector x6 = FloatVector.fromArray(SPECIES, src, from + 6 * srcStride);
        FloatVector x7 = FloatVector.fromArray(SPECIES, src, from + 7 * srcStride);
        FloatVector x8 = FloatVector.fromArray(SPECIES, src, from + 8 * srcStride);
        FloatVector x9 = FloatVector.fromArray(SPECIES, src, from + 9 * srcStride);
        FloatVector x10 = FloatVector.fromArray(SPECIES, src, from + 10 * srcStride);
        FloatVector x11 = FloatVector.fromArray(SPECIES, src, from + 11 * srcStride);
        FloatVector x12 = FloatVector.fromArray(SPECIES, src, from + 12 * srcStride);
        FloatVector x13 = FloatVector.fromArray(SPECIES, src, from + 13 * srcStride);
        FloatVector x14 = FloatVector.fromArray(SPECIES, src, from + 14 * srcStride);
        FloatVector x15 = FloatVector.fromArray(SPECIES, src, from + 15 * srcStride);
        FloatVector y0 = low.selectFrom(x0, x8);
        FloatVector y1 = high.selectFrom(x0, x8);
        FloatVector y2 = low.selectFrom(x1, x9);
        FloatVector y3 = high.selectFrom(x1, x9);
        FloatVector y4 = low.selectFrom(x2, x10);
        FloatVector y5 = high.selectFrom(x2, x10);
        FloatVector y6 = low.selectFrom(x3, x11);
        FloatVector y7 = high.selectFrom(x3, x11);
        FloatVector y8 = low.selectFrom(x4, x12);
        FloatVector y9 = high.selectFrom(x4, x12);
        FloatVector y10 = low.selectFrom(x5, x13);
        FloatVector y11 = high.selectFrom(x5, x13);
        FloatVector y12 = low.selectFrom(x6, x14);
        FloatVector y13 = high.selectFrom(x6, x14);
        FloatVector y14 = low.selectFrom(x7, x15);
        FloatVector y15 = high.selectFrom(x7, x15);
        x0 = low.selectFrom(y0, y8);
        x1 = high.selectFrom(y0, y8);
        x2 = low.selectFrom(y1, y9);
        x3 = high.selectFrom(y1, y9);
        x4 = low.selectFrom(y2, y10);
        x5 = high.selectFrom(y2, y10);
        x6 = low.selectFrom(y3, y11);
        x7 = high.selectFrom(y3, y11);
        x8 = low.selectFrom(y4, y12);
        x9 = high.selectFrom(y4, y12);
        x10 = low.selectFrom(y5, y13);
        x11 = high.selectFrom(y5, y13);
        x12 = low.selectFrom(y6, y14);
        x13 = high.selectFrom(y6, y14);
        x14 = low.selectFrom(y7, y15);
        x15 = high.selectFrom(y7, y15);
        y0 = low.selectFrom(x0, x8);
        y1 = high.selectFrom(x0, x8);
        y2 = low.selectFrom(x1, x9);
        y3 = high.selectFrom(x1, x9);
        y4 = low.selectFrom(x2, x10);
        y5 = high.selectFrom(x2, x10);
        y6 = low.selectFrom(x3, x11);
        y7 = high.selectFrom(x3, x11);
        y8 = low.selectFrom(x4, x12);
        y9 = high.selectFrom(x4, x12);
        y10 = low.selectFrom(x5, x13);
        y11 = high.selectFrom(x5, x13);
        y12 = low.selectFrom(x6, x14);
        y13 = high.selectFrom(x6, x14);
        y14 = low.selectFrom(x7, x15);
        y15 = high.selectFrom(x7, x15);
        x0 = low.selectFrom(y0, y8);
        x1 = high.selectFrom(y0, y8);
        x2 = low.selectFrom(y1, y9);
        x3 = high.selectFrom(y1, y9);
        x4 = low.selectFrom(y2, y10);
        x5 = high.selectFrom(y2, y10);
        x6 = low.selectFrom(y3, y11);
        x7 = high.selectFrom(y3, y11);
        x8 = low.selectFrom(y4, y12);
        x9 = high.selectFrom(y4, y12);
        x10 = low.selectFrom(y5, y13);
        x11 = high.selectFrom(y5, y13);
        x12 = low.selectFrom(y6, y14);
        x13 = high.selectFrom(y6, y14);
        x14 = low.selectFrom(y7, y15);
        x15 = high.selectFrom(y7, y15);
        x0.intoArray(dst, to);
        x1.intoArray(dst, to + dstStride);
        x2.intoArray(dst, to + 2 * dstStride);
        x3.intoArray(dst, to + 3 * dstStride);
        x4.intoArray(dst, to + 4 * dstStride);
        x5.intoArray(dst, to + 5 * dstStride);
        x6.intoArray(dst, to + 6 * dstStride);
        x7.intoArray(dst, to + 7 * dstStride);
        x8.intoArray(dst, to + 8 * dstStride);
        x9.intoArray(dst, to + 9 * dstStride);
        x10.intoArray(dst, to + 10 * dstStride);
        x11.intoArray(dst, to + 11 * dstStride);
        x12.intoArray(dst, to + 12 * dstStride);
        x13.intoArray(dst, to + 13 * dstStride);
        x14.intoArray(dst, to + 14 * dstStride);
        x15.intoArray(dst, to + 15 * dstStride);
    }
}

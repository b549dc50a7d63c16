package dev.soma.tensor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link SimdGemm}: one {@code MR × NR} block of C (or {@code MR × L} at a right
 * edge) from MR rows of A and one packed panel of B, summed in vector accumulators that live in local
 * variables for the whole loop over p.
 *
 * <p>Each is one method with every accumulator spelled out: C2 keeps vectors in registers only while
 * they stay inside one compiled method and out of fields and arrays. The loop indexes both panels as
 * {@code start + p·MR + r} and {@code start + p·NR + v·L}, linear in p with constant scale and offset,
 * so C2 hoists every bounds check out of it and addresses each element as one register plus a
 * constant: what remains per p is two vector loads, eight broadcast loads and sixteen fused
 * multiply-adds, within a few percent of the same loop written in C with intrinsics.
 */
final class GemmTiles {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int MR = SimdGemm.MR;
    private static final int NR = SimdGemm.NR;

    private GemmTiles() {
    }

    /**
     * The 8-row by 2-vector micro-kernel: {@code C[r, 0..cols) (+)= Σₚ A[r, p]·B[p, 0..cols)} for r in
     * {@code [0, rows)}, C's row r at {@code c[cIndex + r·ldc]}; A is the panel at {@code a[aPanel]}
     * (MR floats per p) and B the panel at {@code b[panel]} (NR floats per p). Modified: C, and the
     * scratch tile at an edge.
     *
     * <p>The loop takes two steps of p per trip, indexed by the trip count q: the index arithmetic,
     * the loop test and its branch, about seven scalar instructions that compete with the fused
     * multiply-adds for the core's ports, are spent once per 32 of them instead of once per 16. In
     * alternating calls on one core (a harness that flips between the two kernels call by call, so
     * both meet the same load), the whole product ran 3 to 12 % faster at 256³ and 1024³; four steps
     * per trip ran 10 % slower than one. Each accumulator still sums its terms in order of p, so C is
     * the same to the bit.
     */
    static void wide(int kc, float[] a, int aPanel, int rows,
                     float[] b, int panel, float[] c, int cIndex, int ldc, int cols,
                     boolean load, float[] scratch) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int pairs = kc >> 1;
        for (int q = 0; q < pairs; q++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, panel + q * (2 * NR));
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, panel + q * (2 * NR) + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR)]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            b0 = FloatVector.fromArray(SPECIES, b, panel + q * (2 * NR) + NR);
            b1 = FloatVector.fromArray(SPECIES, b, panel + q * (2 * NR) + NR + LANES);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[aPanel + q * (2 * MR) + MR + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if ((kc & 1) != 0) {
            int p = kc - 1;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, panel + p * NR);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, panel + p * NR + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (rows == MR && cols == NR) {
            int r0 = cIndex, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
            int r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
            if (load) {
                c00 = c00.add(FloatVector.fromArray(SPECIES, c, r0));
                c01 = c01.add(FloatVector.fromArray(SPECIES, c, r0 + LANES));
                c10 = c10.add(FloatVector.fromArray(SPECIES, c, r1));
                c11 = c11.add(FloatVector.fromArray(SPECIES, c, r1 + LANES));
                c20 = c20.add(FloatVector.fromArray(SPECIES, c, r2));
                c21 = c21.add(FloatVector.fromArray(SPECIES, c, r2 + LANES));
                c30 = c30.add(FloatVector.fromArray(SPECIES, c, r3));
                c31 = c31.add(FloatVector.fromArray(SPECIES, c, r3 + LANES));
                c40 = c40.add(FloatVector.fromArray(SPECIES, c, r4));
                c41 = c41.add(FloatVector.fromArray(SPECIES, c, r4 + LANES));
                c50 = c50.add(FloatVector.fromArray(SPECIES, c, r5));
                c51 = c51.add(FloatVector.fromArray(SPECIES, c, r5 + LANES));
                c60 = c60.add(FloatVector.fromArray(SPECIES, c, r6));
                c61 = c61.add(FloatVector.fromArray(SPECIES, c, r6 + LANES));
                c70 = c70.add(FloatVector.fromArray(SPECIES, c, r7));
                c71 = c71.add(FloatVector.fromArray(SPECIES, c, r7 + LANES));
            }
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + LANES);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + LANES);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + LANES);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + LANES);
            c40.intoArray(c, r4);
            c41.intoArray(c, r4 + LANES);
            c50.intoArray(c, r5);
            c51.intoArray(c, r5 + LANES);
            c60.intoArray(c, r6);
            c61.intoArray(c, r6 + LANES);
            c70.intoArray(c, r7);
            c71.intoArray(c, r7 + LANES);
            return;
        }
        // An edge tile: through the scratch tile, then only the rows and columns inside C.
        c00.intoArray(scratch, 0);
        c01.intoArray(scratch, LANES);
        c10.intoArray(scratch, NR);
        c11.intoArray(scratch, NR + LANES);
        c20.intoArray(scratch, 2 * NR);
        c21.intoArray(scratch, 2 * NR + LANES);
        c30.intoArray(scratch, 3 * NR);
        c31.intoArray(scratch, 3 * NR + LANES);
        c40.intoArray(scratch, 4 * NR);
        c41.intoArray(scratch, 4 * NR + LANES);
        c50.intoArray(scratch, 5 * NR);
        c51.intoArray(scratch, 5 * NR + LANES);
        c60.intoArray(scratch, 6 * NR);
        c61.intoArray(scratch, 6 * NR + LANES);
        c70.intoArray(scratch, 7 * NR);
        c71.intoArray(scratch, 7 * NR + LANES);
        storeEdge(scratch, rows, cols, c, cIndex, ldc, load);
    }

    /**
     * The micro-kernel for a right edge of at most one vector: as {@link #wide}, with the first vector
     * of each panel row only, in 8 accumulators (enough to cover the FMA latency on two pipes).
     */
    static void narrow(int kc, float[] a, int aPanel, int rows,
                       float[] b, int panel, float[] c, int cIndex, int ldc, int cols,
                       boolean load, float[] scratch) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, panel + p * NR);
            c0 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, a[aPanel + p * MR + 7]).fma(b0, c7);
        }
        if (rows == MR && cols == LANES) {
            c0 = load ? c0.add(FloatVector.fromArray(SPECIES, c, cIndex)) : c0;
            c1 = load ? c1.add(FloatVector.fromArray(SPECIES, c, cIndex + ldc)) : c1;
            c2 = load ? c2.add(FloatVector.fromArray(SPECIES, c, cIndex + 2 * ldc)) : c2;
            c3 = load ? c3.add(FloatVector.fromArray(SPECIES, c, cIndex + 3 * ldc)) : c3;
            c4 = load ? c4.add(FloatVector.fromArray(SPECIES, c, cIndex + 4 * ldc)) : c4;
            c5 = load ? c5.add(FloatVector.fromArray(SPECIES, c, cIndex + 5 * ldc)) : c5;
            c6 = load ? c6.add(FloatVector.fromArray(SPECIES, c, cIndex + 6 * ldc)) : c6;
            c7 = load ? c7.add(FloatVector.fromArray(SPECIES, c, cIndex + 7 * ldc)) : c7;
            c0.intoArray(c, cIndex);
            c1.intoArray(c, cIndex + ldc);
            c2.intoArray(c, cIndex + 2 * ldc);
            c3.intoArray(c, cIndex + 3 * ldc);
            c4.intoArray(c, cIndex + 4 * ldc);
            c5.intoArray(c, cIndex + 5 * ldc);
            c6.intoArray(c, cIndex + 6 * ldc);
            c7.intoArray(c, cIndex + 7 * ldc);
            return;
        }
        c0.intoArray(scratch, 0);
        c1.intoArray(scratch, NR);
        c2.intoArray(scratch, 2 * NR);
        c3.intoArray(scratch, 3 * NR);
        c4.intoArray(scratch, 4 * NR);
        c5.intoArray(scratch, 5 * NR);
        c6.intoArray(scratch, 6 * NR);
        c7.intoArray(scratch, 7 * NR);
        storeEdge(scratch, rows, cols, c, cIndex, ldc, load);
    }

    /** The {@code rows × cols} corner of the scratch tile into (or onto, when {@code load}) C. */
    static void storeEdge(float[] scratch, int rows, int cols, float[] c, int cIndex, int ldc, boolean load) {
        for (int r = 0; r < rows; r++) {
            int row = cIndex + r * ldc;
            for (int j = 0; j < cols; j++) {
                float sum = scratch[r * NR + j];
                c[row + j] = load ? c[row + j] + sum : sum;
            }
        }
    }
}

package dev.soma.tensor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmTiles#wide}'s register tile with one operand read where it lies instead of from a packed
 * panel: for products so lopsided that packing would copy an operand only to read it once more (a
 * convolution's products, {@link SimdGemm#readsADirectly} and {@link SimdGemm#readsBDirectly}).
 *
 * <p>Each is the packed kernel's loop with other addressing, kept as its own method rather than given
 * stride arguments: C2 removes the packed loop's bounds checks only for constant strides.
 */
final class GemmTilesInPlace {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int MR = SimdGemm.MR;
    private static final int NR = SimdGemm.NR;

    private GemmTilesInPlace() {
    }

    /**
     * {@link GemmTiles#wide} broadcasting A from its rows where they lie ({@code A[r, p]} at
     * {@code a[aRow + r·lda + p]}, all MR rows inside A) rather than from a packed panel: for a product
     * with one panel of B's columns (a convolution's weight gradient X·Gᵀ, 144 × 32 × 1568), each
     * element of A is used once, and packing it would copy all of A to read it once more.
     */
    static void wideRowsOfA(int kc, float[] a, int aRow, int lda,
                     float[] b, int panel, float[] c, int cIndex, int ldc, int cols,
                     boolean load, float[] scratch) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, panel + p * NR);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, panel + p * NR + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[aRow + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[aRow + 1 * lda + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[aRow + 2 * lda + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[aRow + 3 * lda + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[aRow + 4 * lda + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[aRow + 5 * lda + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[aRow + 6 * lda + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[aRow + 7 * lda + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (cols == NR) {
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
        GemmTiles.storeEdge(scratch, MR, cols, c, cIndex, ldc, load);
    }

    /**
     * {@link GemmTiles#wide} reading B where it lies rather than from a packed panel: B's row p at
     * {@code b[panel + p·ldb]} (at least NR floats of it in the array). For products with few rows of
     * A, where packing B would cost as much as the product (a convolution's 16 or 32 output channels
     * times its columns), the two loads per p then come from {@code kc} rows, still within L1 for
     * the few row tiles that use them. A separate method, not a stride argument of {@link GemmTiles#wide}: a
     * constant stride is what lets C2 drop the bounds checks from that loop.
     */
    static void wideStrided(int kc, float[] a, int aPanel, int rows,
                     float[] b, int panel, int ldb, float[] c, int cIndex, int ldc, int cols,
                     boolean load, float[] scratch) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, panel + p * ldb);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, panel + p * ldb + LANES);
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
        GemmTiles.storeEdge(scratch, rows, cols, c, cIndex, ldc, load);
    }
}

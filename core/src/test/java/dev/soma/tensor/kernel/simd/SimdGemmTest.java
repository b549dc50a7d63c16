package dev.soma.tensor.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.tensor.kernel.GemmCheck;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.Workers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SimdGemm} (through {@link SimdKernels#gemm}) against the scalar specification: awkward sizes,
 * sizes on each side of the tile, block and threading boundaries, every transposition, offsets and
 * padded leading dimensions.
 */
class SimdGemmTest {

    private static final Kernels SIMD = new SimdKernels(Workers.active());
    private static final Kernels SCALAR = Kernels.scalar();
    private static final int[] AWKWARD = {15, 16, 17, 31, 33, 63, 65, 127, 129, 200, 257, 513};

    /** Every transposition and accumulate flag, as (transA, transB, accumulate). */
    private static Stream<boolean[]> flags() {
        return IntStream.range(0, 8).mapToObj(t -> new boolean[] {(t & 4) != 0, (t & 2) != 0, (t & 1) != 0});
    }

    private static Stream<Arguments> withFlags(int[][] shapes) {
        return Arrays.stream(shapes).flatMap(s -> flags().map(f -> Arguments.of(s[0], s[1], s[2], f[0], f[1], f[2])));
    }

    /** Each awkward size in each of m, n, k, mixed with the others so that the products stay quick. */
    static Stream<Arguments> awkwardSizes() {
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < AWKWARD.length; i++) {
            int small = AWKWARD[(i + 3) % 6];
            int other = AWKWARD[(i + 7) % AWKWARD.length];
            shapes.add(new int[] {AWKWARD[i], small, other});
            shapes.add(new int[] {other, AWKWARD[i], small});
            shapes.add(new int[] {small, other, AWKWARD[i]});
        }
        shapes.add(new int[] {200, 200, 200});
        shapes.add(new int[] {129, 257, 65});
        return withFlags(shapes.toArray(int[][]::new));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("awkwardSizes")
    void matchesScalarOnAwkwardSizes(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 3, accumulate);
    }

    /** The register tile (MR rows by NR columns) and one more or less, with 1 to 4 in the other sizes. */
    static Stream<Arguments> aroundTheTile() {
        int mr = SimdGemm.MR;
        int nr = SimdGemm.NR;
        List<int[]> shapes = new ArrayList<>();
        for (int m : new int[] {1, mr - 1, mr, mr + 1, 2 * mr + 3}) {
            for (int n : new int[] {1, nr - 1, nr, nr + 1, 2 * nr + 5}) {
                shapes.add(new int[] {m, n, 1 + (m + n) % 4});
                shapes.add(new int[] {m, n, 300}); // large enough to be blocked, not small
            }
        }
        return withFlags(shapes.toArray(int[][]::new));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("aroundTheTile")
    void matchesScalarAroundTheTile(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 1, accumulate);
    }

    /** k across KC (several accumulator chains), m across MC, and both at once. */
    static Stream<Arguments> acrossBlocks() {
        int kc = Tuning.KC;
        int mc = Tuning.MC;
        return withFlags(new int[][] {
            {9, 40, kc - 1}, {9, 40, kc}, {9, 40, kc + 1}, {17, 33, 2 * kc + 1},
            {mc - 1, 20, 30}, {mc, 20, 30}, {mc + 1, 20, 30}, {2 * mc + SimdGemm.MR + 1, 17, 40},
            {mc + 1, 40, kc + 1}, {2 * mc + 9, 33, 2 * kc + 7}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("acrossBlocks")
    void matchesScalarAcrossBlocks(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 2, accumulate);
    }

    /** A wide n: many packed panels of B's columns, split over the threads. */
    @Test
    void matchesScalarAcrossColumnBlocks() {
        int n = 2048 + SimdGemm.NR + 3;
        flags().forEach(f -> checkGemm(f[0], f[1], 5, n, 7, 1, f[2]));
    }

    /**
     * Products just below and above the threshold for threads, split over n (n ≥ m) or over m, and
     * ones with fewer tiles than threads.
     */
    static Stream<Arguments> aroundTheParallelThreshold() {
        long threshold = Tuning.PARALLEL_PRODUCT;
        int side = (int) Math.cbrt(threshold);
        int nr = SimdGemm.NR;
        return withFlags(new int[][] {
            {side, side, side - 1}, {side, side, side + 1}, {side + 1, side + 1, side + 1},
            {40, 200, (int) (threshold / 8000) + 1}, {300, 33, 50}, {1000, 2, 70}, {2, 1000, 70},
            {3, nr + 1, 5000}, {SimdGemm.MR + 1, 5, 5000}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("aroundTheParallelThreshold")
    void matchesScalarAroundTheParallelThreshold(int m, int n, int k, boolean transA, boolean transB,
                                                 boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 1, accumulate);
    }

    /**
     * The unpacked rows of {@link GemmRows} (m ≤ SKINNY): n around its groups of 8 dot products and
     * 8 or 4 vectors, k around the lane count and across SimdGemm's blocks of k.
     */
    static Stream<Arguments> fewRows() {
        List<int[]> shapes = new ArrayList<>();
        for (int m = 1; m <= Tuning.SKINNY_ROWS + 1; m++) {
            for (int n : new int[] {1, 8, 9, 65, 129, 300}) {
                for (int k : new int[] {1, 17, 784, Tuning.KC + 77}) {
                    shapes.add(new int[] {m, n, k});
                }
            }
        }
        return withFlags(shapes.toArray(int[][]::new));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("fewRows")
    void matchesScalarWithFewRows(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 2, accumulate);
    }

    /** A·Bᵀ with few outputs and long rows (a weight gradient): dot products of rows, not packed. */
    static Stream<Arguments> fewOutputs() {
        return withFlags(new int[][] {{16, 9, 29008}, {9, 16, 5000}, {Tuning.SKINNY_ROWS + 1, 64, 3001},
            {16, 16, 700}, {17, 15, 33}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("fewOutputs")
    void matchesScalarWithFewOutputs(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 1, accumulate);
    }

    /**
     * A·B with at most DIRECT_B_ROWS rows, or k at most DIRECT_B_DEPTH, reads B's full panels where
     * they lie and packs only a last, partial one (a convolution's W·X: 32 × 1568 × 144 and
     * 16 × 12544 × 9 for the reference CNN; an MLP's weight gradient Gᵀ·x, 256 × 784 × 64).
     */
    static Stream<Arguments> directB() {
        int rows = Tuning.DIRECT_B_ROWS;
        int nr = SimdGemm.NR;
        return withFlags(new int[][] {{rows, 3 * nr, 144}, {rows + 1, 3 * nr, 144}, {32, 49 * nr, 144},
            {16, 12 * nr + 7, 9}, {rows - 1, nr - 1, 300}, {SimdGemm.MR + 3, 2 * nr + 1, Tuning.KC + 5},
            {256, 784, Tuning.DIRECT_B_DEPTH}, {3 * rows + 5, 5 * nr + 3, Tuning.DIRECT_B_DEPTH - 1},
            {Tuning.MC + 9, 2 * nr, Tuning.DIRECT_B_DEPTH + 1}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("directB")
    void matchesScalarReadingBInPlace(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 2, accumulate);
    }

    /**
     * One panel of B's columns, wider than a vector: A's rows are read in place (a convolution's weight
     * gradient X·Gᵀ, 144 × 32 × 1568), except in a block of rows that ends in a partial tile.
     */
    static Stream<Arguments> rowsOfA() {
        int nr = SimdGemm.NR;
        return withFlags(new int[][] {{144, nr, 1568}, {Tuning.MC + SimdGemm.MR, nr - 1, 300},
            {3 * SimdGemm.MR + 5, nr / 2 + 1, Tuning.KC + 9}, {2 * SimdGemm.MR, nr, 40}, {17, nr, 9}});
    }

    /**
     * A·Bᵀ with at most two panels of rows, computed as B·Aᵀ with B's rows read in place (a linear
     * layer's forward x·Wᵀ, 64 × 256 × 784), and its neighbours: a partial last tile of C's columns,
     * an edge of a vector or less (not taken), k past one block (not taken).
     */
    static Stream<Arguments> weightRows() {
        int nr = SimdGemm.NR;
        return withFlags(new int[][] {{64, 256, 784}, {2 * nr, 2 * nr + 1, 40}, {nr + SimdGemm.MR, 3 * nr + 5, 99},
            {nr + 17, 100, 33}, {nr + 3, 100, 33}, {2 * nr, 100, Tuning.KC + 1}, {2 * nr + 1, 100, 64}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("weightRows")
    void matchesScalarComputingTheTranspose(int m, int n, int k, boolean transA, boolean transB,
                                            boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 2, accumulate);
    }

    /** x·Wᵀ computed as its transpose has the bits of x·B with B = Wᵀ written out (the packed path). */
    @Test
    void theTransposeGivesTheDirectProductsBits() {
        int m = 64, n = 256, k = 784;
        var random = new java.util.SplittableRandom(7);
        float[] x = new float[m * k];
        float[] w = new float[n * k];
        float[] wt = new float[k * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                w[j * k + p] = (float) random.nextDouble(-1, 1);
                wt[p * n + j] = w[j * k + p];
            }
        }
        float[] bias = new float[m * n];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextDouble(-1, 1);
        }
        float[] viaTranspose = bias.clone();
        float[] direct = bias.clone();
        SIMD.gemm(false, true, m, n, k, x, 0, k, w, 0, k, viaTranspose, 0, n, true);
        SIMD.gemm(false, false, m, n, k, x, 0, k, wt, 0, n, direct, 0, n, true);
        assertArrayEquals(direct, viaTranspose);
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("rowsOfA")
    void matchesScalarReadingAInPlace(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 3, accumulate);
    }

    /**
     * C's columns split so that each part computes at most two panels: A's rows are read in place
     * instead of packed ({@link SimdGemm#readsRowsOfA}), except where a right edge is a vector or
     * narrower (the last case), or a block of rows ends in a partial tile.
     */
    static Stream<Arguments> fewPanelsPerPart() {
        int nr = SimdGemm.NR;
        int mr = SimdGemm.MR;
        return withFlags(new int[][] {{128, 4 * nr, 128}, {64, 2 * nr, 300}, {5 * mr + 3, 2 * nr - 5, 1100},
            {16, 2 * nr, 40}, {Tuning.MC + mr, 3 * nr + nr / 2 + 1, 90}, {100, 2 * nr - 20, 200}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("fewPanelsPerPart")
    void matchesScalarReadingAInPlaceForFewPanelsPerPart(int m, int n, int k, boolean transA, boolean transB,
                                                         boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 4, accumulate);
    }

    /** B of at least SHARED_B elements: one packed B shared by the threads, row blocks claimed. */
    static Stream<Arguments> sharedB() {
        return withFlags(new int[][] {{40, 1030, 520}, {129, 600, 900}, {SimdGemm.MR * 4 + 1, 2100, 260}});
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("sharedB")
    void matchesScalarWithASharedPackedB(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 1, accumulate);
    }

    /** A row computed alone (unpacked) is bit for bit the row computed in a batch (packed), B not transposed. */
    @Test
    void oneRowAloneEqualsTheSameRowInABatch() {
        int m = 64;
        int n = 300;
        int k = Tuning.KC + 300; // two blocks of k
        Random random = new Random(23);
        float[] a = GemmCheck.randomMatrix(random, m * k);
        float[] b = GemmCheck.randomMatrix(random, k * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] batch = GemmCheck.randomMatrix(new Random(29), m * n);
            float[] alone = batch.clone();
            SIMD.gemm(false, false, m, n, k, a, 0, k, b, 0, n, batch, 0, n, accumulate);
            for (int i = 0; i < m; i += 9) {
                SIMD.gemm(false, false, 1, n, k, a, i * k, k, b, 0, n, alone, i * n, n, accumulate);
                assertArrayEquals(Arrays.copyOfRange(batch, i * n, (i + 1) * n),
                        Arrays.copyOfRange(alone, i * n, (i + 1) * n), "row " + i + ", accumulate=" + accumulate);
            }
        }
    }

    /** Sizes 0 to 4 with unpadded leading dimensions (lda = k or m, ...), zero offsets and exact arrays. */
    @Test
    void matchesScalarOnTightArrays() {
        flags().forEach(f -> {
            for (int m = 0; m <= 4; m++) {
                for (int n = 0; n <= 4; n++) {
                    for (int k = 0; k <= 4; k++) {
                        checkGemm(f[0], f[1], m, n, k, 0, f[2]);
                    }
                }
            }
        });
        checkGemm(false, false, 64, 256, 784, 0, false); // the MLP's first layer, batch 64
        checkGemm(false, true, 64, 256, 784, 0, true);
        checkGemm(true, false, 784, 256, 64, 0, true);
    }

    /** k = 0: C becomes 0, or stays as it was when accumulating; nothing else is touched. */
    @Test
    void emptyInnerDimensionZeroesOrKeepsC() {
        for (int[] mn : new int[][] {{3, 5}, {40, 70}, {300, 300}}) {
            checkGemm(false, false, mn[0], mn[1], 0, 2, false);
            checkGemm(true, true, mn[0], mn[1], 0, 2, true);
        }
    }

    @Test
    void rowsTouchingTheEndOfTheArraysNeedNoSlack() {
        // C, A and B end exactly where their last row does, with ld > row length: no read or write past.
        int m = 37;
        int n = 45;
        int k = 300;
        Random random = new Random(11);
        float[] a = GemmCheck.randomMatrix(random, (m - 1) * (k + 5) + k);
        float[] b = GemmCheck.randomMatrix(random, (k - 1) * (n + 3) + n);
        float[] expected = new float[(m - 1) * (n + 7) + n];
        float[] actual = expected.clone();
        SCALAR.gemm(false, false, m, n, k, a, 0, k + 5, b, 0, n + 3, expected, 0, n + 7, false);
        SIMD.gemm(false, false, m, n, k, a, 0, k + 5, b, 0, n + 3, actual, 0, n + 7, false);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-3f * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }

    /** NaN and ±∞ reach the same elements as in the scalar kernel: padding never leaks into C. */
    @Test
    void nanAndInfinityPropagateThroughTheBlockedPath() {
        int m = 20;
        int n = 70; // two wide panels and a narrow edge of 6 columns
        int k = 300;
        for (boolean transB : new boolean[] {false, true}) {
            Random random = new Random(17);
            float[] a = GemmCheck.randomMatrix(random, m * k);
            float[] b = GemmCheck.randomMatrix(random, k * n);
            a[k + 2] = Float.NaN; // A[1, 2]: row 1 of C is NaN
            int ldb = transB ? k : n;
            for (int j : new int[] {5, 40, 66}) { // B[3, j]: column j is ±∞ (NaN in row 1)
                b[transB ? j * ldb + 3 : 3 * ldb + j] = Float.POSITIVE_INFINITY;
            }
            float[] expected = new float[m * n];
            float[] actual = new float[m * n];
            SCALAR.gemm(false, transB, m, n, k, a, 0, k, b, 0, ldb, expected, 0, n, false);
            SIMD.gemm(false, transB, m, n, k, a, 0, k, b, 0, ldb, actual, 0, n, false);
            for (int i = 0; i < expected.length; i++) {
                String where = "C[" + i / n + ", " + i % n + "] transB=" + transB;
                assertEquals(Float.isNaN(expected[i]), Float.isNaN(actual[i]), where);
                assertEquals(Float.isInfinite(expected[i]), Float.isInfinite(actual[i]), where);
            }
            assertEquals(Float.NaN, actual[n + 7]);
            assertEquals(Float.POSITIVE_INFINITY, Math.abs(actual[66]));
        }
    }

    /** Repeated products give bit-identical results: the split over threads does not change the sums. */
    @Test
    void resultsDoNotDependOnTheSplitOrRepetition() {
        int m = 150;
        int n = 170;
        int k = 600;
        Random random = new Random(13);
        float[] a = GemmCheck.randomMatrix(random, m * k);
        float[] b = GemmCheck.randomMatrix(random, k * n);
        float[] first = new float[m * n];
        SIMD.gemm(false, false, m, n, k, a, 0, k, b, 0, n, first, 0, n, false);
        for (int round = 0; round < 20; round++) {
            float[] again = new float[m * n];
            SIMD.gemm(false, false, m, n, k, a, 0, k, b, 0, n, again, 0, n, false);
            assertArrayEquals(first, again, "round " + round);
        }
        float[] byColumns = new float[m * n];
        for (int j = 0; j < n; j += 50) { // column blocks of C, each a product of its own
            SIMD.gemm(false, false, m, Math.min(50, n - j), k, a, 0, k, b, j, n, byColumns, j, n, false);
        }
        assertArrayEquals(first, byColumns);
    }

    @Test
    void concurrentCallersEachGetTheirOwnProduct() throws InterruptedException {
        int callers = 4;
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        checkGemm(seed % 2 == 1, round % 2 == 1, 90 + seed, 110 + round, 70, 1, round % 3 == 0);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " callers failed", failures.peek());
        }
    }

    @Test
    void anIndexOutOfBoundsInAnyPartReachesTheCaller() {
        int m = 100;
        int n = 100;
        int k = 100;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] tooShort = new float[m * n - 1]; // the last element of C, in the last thread's part
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> SIMD.gemm(false, false, m, n, k, a, 0, k, b, 0, n, tooShort, 0, n, false));
        checkGemm(false, false, m, n, k, 0, false); // and the workers still work
    }

    // ---------------------------------------------------------------------------------------------
    // The comparison

    /** {@link GemmCheck#check} on the SIMD kernels. */
    static void checkGemm(boolean transA, boolean transB, int m, int n, int k, int pad, boolean accumulate) {
        GemmCheck.check(SIMD, transA, transB, m, n, k, pad, accumulate);
    }
}

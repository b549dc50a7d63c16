package dev.soma.tensor.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.GemmCheck;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.UnaryOp;
import dev.soma.tensor.kernel.Workers;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SimdKernels} against the scalar specification, around the lane count and at edge values. */
class SimdKernelsTest {

    private static final Kernels SIMD = new SimdKernels(Workers.active());
    private static final Kernels SCALAR = Kernels.scalar();

    private static final int[] SIZES = {0, 1, 15, 16, 17, 31, 32, 33, 207, 4098};
    private static final float[] EDGES = {0f, -0f, 1000f, -1000f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 1f, -1f, 0.5f, 20f, -20f, 88.5f, -103f, 1e-30f, -1e-30f, Float.MIN_VALUE,
        Float.MAX_VALUE, -Float.MAX_VALUE};
    /** Inputs and outputs sit at these offsets, between runs of SENTINEL that must survive. */
    private static final int IN_OFFSET = 3;
    private static final int OUT_OFFSET = 5;
    private static final int PAD = 4;
    private static final float SENTINEL = 12345.678f;

    /**
     * Allowed error in ulps of the scalar result: 0 for every op, bit for bit (NaN equal to NaN, -0
     * distinct from +0). The transcendental ops go through the scalar kernel so that results do not
     * depend on when C2 compiles a loop (see SimdKernels#isTranscendental).
     */
    private static double ulps(UnaryOp op) {
        return 0;
    }

    // ---------------------------------------------------------------------------------------------
    // map and zip

    static Stream<Arguments> unaryCases() {
        return Arrays.stream(UnaryOp.values()).flatMap(op -> IntStream.of(SIZES).boxed()
                .flatMap(n -> Stream.of(Arguments.of(op, n, false), Arguments.of(op, n, true))));
    }

    @ParameterizedTest(name = "{0} n={1} edges={2}")
    @MethodSource("unaryCases")
    void mapMatchesScalar(UnaryOp op, int n, boolean edges) {
        float[] input = edges ? edgeValues(n, 1) : randomValues(n, 31L * op.ordinal() + n);
        float[] x = padded(input, IN_OFFSET);
        float[] expected = padded(new float[n], OUT_OFFSET);
        float[] actual = expected.clone();
        SCALAR.map(op, x, IN_OFFSET, expected, OUT_OFFSET, n);
        SIMD.map(op, x, IN_OFFSET, actual, OUT_OFFSET, n);
        assertClose(expected, actual, ulps(op),
                i -> outside(i, n) ? "padding" : op + "(" + input[i - OUT_OFFSET] + ")");
    }

    static Stream<Arguments> binaryCases() {
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}, {0, 0}};
        return Arrays.stream(BinaryOp.values()).flatMap(op -> IntStream.of(SIZES).boxed()
                .flatMap(n -> Arrays.stream(strides).flatMap(s -> Stream.of(
                        Arguments.of(op, n, s[0], s[1], false), Arguments.of(op, n, s[0], s[1], true)))));
    }

    /** Exact agreement: every binary op is one IEEE operation, or evaluated by the scalar kernel. */
    @ParameterizedTest(name = "{0} n={1} strides=({2},{3}) edges={4}")
    @MethodSource("binaryCases")
    void zipMatchesScalar(BinaryOp op, int n, int aStride, int bStride, boolean edges) {
        long seed = 1000L * op.ordinal() + 10L * n + 2 * aStride + bStride;
        // a and b walk the edge values at different rates, so that every pair meets once n ≥ 361.
        float[] aValues = edges ? edgeValues(n, 1) : randomValues(n, seed);
        float[] bValues = edges ? edgeValues(n, EDGES.length) : randomValues(n, seed + 1);
        // A stride-0 operand is one value; try several, edge values among them (one pass if none is 0).
        float[] repeated = aStride == 1 && bStride == 1 ? new float[1]
                : edges ? EDGES : randomValues(4, seed + 2);
        for (int r = 0; r < repeated.length; r++) {
            float[] a = padded(aStride == 0 ? new float[] {repeated[r]} : aValues, IN_OFFSET);
            float bRepeated = repeated[(r + 3) % repeated.length];
            float[] b = padded(bStride == 0 ? new float[] {bRepeated} : bValues, IN_OFFSET + 2);
            float[] expected = padded(new float[n], OUT_OFFSET);
            float[] actual = expected.clone();
            SCALAR.zip(op, a, IN_OFFSET, aStride, b, IN_OFFSET + 2, bStride, expected, OUT_OFFSET, n);
            SIMD.zip(op, a, IN_OFFSET, aStride, b, IN_OFFSET + 2, bStride, actual, OUT_OFFSET, n);
            assertClose(expected, actual, 0, i -> outside(i, n) ? "padding" : op + "("
                    + a[IN_OFFSET + (i - OUT_OFFSET) * aStride] + ", "
                    + b[IN_OFFSET + 2 + (i - OUT_OFFSET) * bStride] + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 31, 33, 207})
    void inPlaceMatchesScalar(int n) {
        for (UnaryOp op : UnaryOp.values()) {
            float[] expected = padded(randomValues(n, n), IN_OFFSET);
            float[] actual = expected.clone();
            SCALAR.map(op, expected, IN_OFFSET, expected, IN_OFFSET, n);
            SIMD.map(op, actual, IN_OFFSET, actual, IN_OFFSET, n);
            assertClose(expected, actual, ulps(op), i -> op + " in place");
        }
        for (BinaryOp op : BinaryOp.values()) {
            float[] b = randomValues(n, op.ordinal());
            float[] expected = randomValues(n, n);
            float[] actual = expected.clone();
            SCALAR.zip(op, expected, 0, 1, b, 0, 1, expected, 0, n);
            SIMD.zip(op, actual, 0, 1, b, 0, 1, actual, 0, n);
            assertClose(expected, actual, 0, i -> op + " into its first operand");
        }
    }

    @Test
    void rejectsArgumentsOutsideTheContract() {
        float[] x = new float[8];
        assertThrows(IllegalArgumentException.class, () -> SIMD.zip(BinaryOp.ADD, x, 0, 2, x, 0, 1, x, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> SIMD.zip(BinaryOp.ADD, x, 0, 1, x, 0, -1, x, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> SIMD.max(x, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SIMD.min(x, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SIMD.gemm(false, false, -1, 1, 1, x, 0, 1, x, 0, 1, x, 0, 1, false));
    }

    /**
     * The Vector API runs plain Java until C2 compiles the loops into SIMD instructions (with their own
     * EXP, LOG, MAX, ... ), so the loops are run hot here and checked on every round.
     */
    @Test
    void compiledLoopsStillMatchScalar() {
        int n = 1024;
        float[] x = randomValues(n, 7);
        float[] y = randomValues(n, 8);
        for (int i = 0; i < n; i += 3) {
            y[i] = EDGES[(i / 3) % EDGES.length];
        }
        float[] actual = new float[n];
        float[][] expectedMaps = new float[UnaryOp.values().length][n];
        float[][] expectedZips = new float[BinaryOp.values().length][n];
        for (UnaryOp op : UnaryOp.values()) {
            SCALAR.map(op, y, 0, expectedMaps[op.ordinal()], 0, n);
        }
        for (BinaryOp op : BinaryOp.values()) {
            SCALAR.zip(op, x, 0, 1, y, 0, 1, expectedZips[op.ordinal()], 0, n);
        }
        float[] withNan = x.clone();
        withNan[n / 2] = Float.NaN;
        for (int round = 0; round < 300; round++) {
            for (UnaryOp op : UnaryOp.values()) {
                SIMD.map(op, y, 0, actual, 0, n);
                assertClose(expectedMaps[op.ordinal()], actual, ulps(op), i -> op + "(" + y[i] + ")");
            }
            for (BinaryOp op : BinaryOp.values()) {
                SIMD.zip(op, x, 0, 1, y, 0, 1, actual, 0, n);
                assertClose(expectedZips[op.ordinal()], actual, 0, i -> op + "(" + x[i] + ", " + y[i] + ")");
            }
            assertEquals(SCALAR.max(x, 0, n), SIMD.max(x, 0, n));
            assertEquals(SCALAR.min(x, 0, n), SIMD.min(x, 0, n));
            assertEquals(Float.NaN, SIMD.max(withNan, 0, n));
            assertEquals(Float.NaN, SIMD.min(withNan, 0, n));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reductions

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 207, 4098, 100_003})
    void sumMatchesScalarWithinErrorGrowingWithLength(int n) {
        for (boolean positive : new boolean[] {false, true}) {
            float[] values = randomValues(n, n);
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                values[i] = positive ? Math.abs(values[i]) : values[i];
                magnitude += Math.abs(values[i]);
            }
            float[] x = padded(values, IN_OFFSET);
            float expected = SCALAR.sum(x, IN_OFFSET, n);
            // Float lanes: each adds about n/lanes values; √n·Σ|x| ulps bounds that with room to spare.
            double tolerance = Math.ulp(1f) * Math.sqrt(n) * magnitude;
            assertEquals(expected, SIMD.sum(x, IN_OFFSET, n), tolerance, "n=" + n + " positive=" + positive);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 31, 32, 33, 207, 4098})
    void sumMaxAndMinMatchScalarWithSpecialValuesInBodyAndTail(int n) {
        float[][] specials = {{Float.NaN}, {Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY},
            {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, {-0f}, {0f}};
        for (int at : new int[] {0, n / 2, n - 1}) {
            for (float[] special : specials) {
                float[] values = randomValues(n, at);
                for (int s = 0; s < special.length; s++) {
                    values[(at + s) % n] = special[s];
                }
                float[] x = padded(values, IN_OFFSET);
                String where = Arrays.toString(special) + " at " + at + " of " + n;
                boolean finite = special.length == 1 && Float.isFinite(special[0]);
                if (!finite) {
                    assertEquals(SCALAR.sum(x, IN_OFFSET, n), SIMD.sum(x, IN_OFFSET, n), "sum, " + where);
                }
                assertEquals(SCALAR.max(x, IN_OFFSET, n), SIMD.max(x, IN_OFFSET, n), "max, " + where);
                assertEquals(SCALAR.min(x, IN_OFFSET, n), SIMD.min(x, IN_OFFSET, n), "min, " + where);
            }
        }
    }

    /** All negative (for max) or all positive (for min): a kernel that starts from 0 would be caught. */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 31, 32, 33, 207, 4098})
    void maxAndMinMatchScalarOnRunsOfOneSign(int n) {
        float[] negative = padded(randomValues(n, n), IN_OFFSET);
        float[] positive = negative.clone();
        for (int i = IN_OFFSET; i < IN_OFFSET + n; i++) {
            positive[i] = Math.abs(positive[i]) + 1;
            negative[i] = -positive[i];
        }
        assertEquals(SCALAR.max(negative, IN_OFFSET, n), SIMD.max(negative, IN_OFFSET, n), "max of negatives");
        assertEquals(SCALAR.min(positive, IN_OFFSET, n), SIMD.min(positive, IN_OFFSET, n), "min of positives");
        assertEquals(SCALAR.max(positive, IN_OFFSET, n), SIMD.max(positive, IN_OFFSET, n), "max of positives");
        assertEquals(SCALAR.min(negative, IN_OFFSET, n), SIMD.min(negative, IN_OFFSET, n), "min of negatives");
    }

    @Test
    void maxAndMinOrderSignedZerosAsMathMaxAndMin() {
        float[] zeros = new float[37];
        for (int i = 0; i < zeros.length; i++) {
            zeros[i] = i % 3 == 0 ? 0f : -0f;
        }
        assertEquals(0f, SIMD.max(zeros, 1, 35)); // assertEquals on floats tells -0 from +0
        assertEquals(-0f, SIMD.min(zeros, 0, 35));
        assertEquals(-0f, SIMD.max(zeros, 1, 2));
    }

    // ---------------------------------------------------------------------------------------------
    // gemm

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void gemmMatchesScalarOnEverySmallShape(boolean transA, boolean transB) {
        for (int m = 0; m <= 4; m++) {
            for (int n = 0; n <= 4; n++) {
                for (int k = 0; k <= 4; k++) {
                    checkGemm(transA, transB, m, n, k, (m + n + k) % 3, false);
                    checkGemm(transA, transB, m, n, k, (m + n + k) % 3, true);
                }
            }
        }
    }

    static Stream<Arguments> awkwardShapes() {
        int[][] shapes = {{15, 16, 17}, {16, 17, 15}, {17, 15, 16}, {33, 65, 200}, {200, 33, 65}, {65, 200, 33},
            {64, 64, 64}, {1, 65, 200}, {200, 1, 17}, {5, 100, 0}, {300, 200, 257}};
        return Arrays.stream(shapes).flatMap(s -> IntStream.range(0, 8).mapToObj(
                t -> Arguments.of(s[0], s[1], s[2], (t & 4) != 0, (t & 2) != 0, (t & 1) != 0)));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("awkwardShapes")
    void gemmMatchesScalarOnAwkwardShapes(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, 3, accumulate);
    }

    /**
     * {@code op(A)·op(B)} on both kernels, A, B and C at nonzero offsets with leading dimensions padded by
     * {@code pad}; C starts as NaN unless accumulating (so every element must be written) and everything
     * outside C's block must stay as it was. Per element, the float-accumulation error is bounded by
     * {@code (k+2)·2⁻²⁴·(Σₚ|A[i,p]·B[p,j]| + |C₀[i,j]|)}.
     */
    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k, int pad, boolean accumulate) {
        Random random = new Random(m * 1_000_003L + n * 1009L + k * 7L + pad + (transA ? 2 : 0) + (transB ? 1 : 0));
        int lda = Math.max(1, (transA ? m : k) + pad);
        int ldb = Math.max(1, (transB ? k : n) + pad);
        int ldc = Math.max(1, n + pad);
        int aOffset = 3;
        int bOffset = 7;
        int cOffset = 5;
        float[] a = GemmCheck.randomMatrix(random, aOffset + (transA ? k : m) * lda);
        float[] b = GemmCheck.randomMatrix(random, bOffset + (transB ? n : k) * ldb);
        float[] c0 = GemmCheck.randomMatrix(random, cOffset + m * ldc + 2);
        for (int i = 0; i < m && !accumulate; i++) {
            Arrays.fill(c0, cOffset + i * ldc, cOffset + i * ldc + n, Float.NaN);
        }
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        SCALAR.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, expected, cOffset, ldc, accumulate);
        SIMD.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, actual, cOffset, ldc, accumulate);

        float[] bound = accumulate ? GemmCheck.abs(c0) : new float[c0.length];
        SCALAR.gemm(transA, transB, m, n, k, GemmCheck.abs(a), aOffset, lda, GemmCheck.abs(b), bOffset, ldb, bound,
                cOffset, ldc, true);
        String shape = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                + " accumulate=" + accumulate + " pad=" + pad;
        for (int i = 0; i < c0.length; i++) {
            int row = (i - cOffset) / ldc;
            int col = (i - cOffset) % ldc;
            boolean inC = i >= cOffset && row < m && col < n;
            double tolerance = inC ? (k + 2) * 0x1p-24 * bound[i] : 0;
            if (Float.compare(expected[i], actual[i]) != 0 && !(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                fail(shape + ": at C[" + row + ", " + col + "] (index " + i + ", inside C: " + inC
                        + ") expected " + expected[i] + " but was " + actual[i] + ", tolerance " + tolerance);
            }
        }
    }

    @Test
    void gemmSplitOverThreadsEqualsRowByRowProducts() {
        int m = 300;
        int n = 200;
        int k = 257; // m·n·k ≥ 2^18: the product is split over the pool
        Random random = new Random(5);
        float[] a = GemmCheck.randomMatrix(random, m * k);
        float[] b = GemmCheck.randomMatrix(random, k * n);
        float[] whole = new float[m * n];
        float[] rowByRow = new float[m * n];
        SIMD.gemm(false, false, m, n, k, a, 0, k, b, 0, n, whole, 0, n, false);
        for (int i = 0; i < m; i++) { // one row at a time stays on this thread
            SIMD.gemm(false, false, 1, n, k, a, i * k, k, b, 0, n, rowByRow, i * n, n, false);
        }
        assertClose(rowByRow, whole, 0, i -> "C[" + i / n + ", " + i % n + "]");
    }

    @Test
    void gemmPropagatesNanAndInfinityAsScalar() {
        int m = 3;
        int n = 40;
        int k = 5;
        float[] a = GemmCheck.randomMatrix(new Random(3), m * k);
        float[] b = GemmCheck.randomMatrix(new Random(4), k * n);
        a[k + 2] = Float.NaN; // A[1, 2]: row 1 of C is NaN
        b[3 * n + 5] = Float.POSITIVE_INFINITY; // B[3, 5] and B[3, 33], in the vector body and the scalar
        b[3 * n + 33] = Float.POSITIVE_INFINITY; // tail: columns 5 and 33 are ±∞ (NaN in row 1)
        float[] expected = new float[m * n];
        float[] actual = new float[m * n];
        SCALAR.gemm(false, false, m, n, k, a, 0, k, b, 0, n, expected, 0, n, false);
        SIMD.gemm(false, false, m, n, k, a, 0, k, b, 0, n, actual, 0, n, false);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.isFinite(expected[i]), Float.isFinite(actual[i]), "C[" + i / n + ", " + i % n + "]");
            assertEquals(Float.isNaN(expected[i]), Float.isNaN(actual[i]), "C[" + i / n + ", " + i % n + "]");
        }
        assertEquals(Float.NaN, actual[n + 5]);
        assertEquals(Float.POSITIVE_INFINITY, Math.abs(actual[5]));
        assertEquals(Float.POSITIVE_INFINITY, Math.abs(actual[2 * n + 33]));
    }

    // ---------------------------------------------------------------------------------------------
    // Test data

    /** Values of magnitude 0.1 to 100, a quarter of them small integers so that comparisons meet ties. */
    private static float[] randomValues(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(4) == 0 ? random.nextInt(5) - 2
                    : (random.nextFloat() * 2 - 1) * (float) Math.pow(10, random.nextInt(4) - 1);
        }
        return values;
    }

    /** {@code EDGES[(i / rate) % EDGES.length]}: rate 1 cycles through them, rate EDGES.length lingers. */
    private static float[] edgeValues(int n, int rate) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = EDGES[(i / rate) % EDGES.length];
        }
        return values;
    }

    /** Whether output index i lies in the padding around a run of n at OUT_OFFSET. */
    private static boolean outside(int i, int n) {
        return i < OUT_OFFSET || i >= OUT_OFFSET + n;
    }

    /** {@code values} at {@code offset}, with SENTINEL before and PAD SENTINELs after. */
    private static float[] padded(float[] values, int offset) {
        float[] array = new float[offset + values.length + PAD];
        Arrays.fill(array, SENTINEL);
        System.arraycopy(values, 0, array, offset, values.length);
        return array;
    }

    /**
     * Equal element by element: bit-for-bit (NaN matching NaN, -0 not matching +0), or for finite values
     * within {@code ulps} ulps of the expected value (ulps of the smallest normal float below it).
     */
    private static void assertClose(float[] expected, float[] actual, double ulps, IntFunction<String> what) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean close = Float.compare(e, a) == 0 || ulps > 0 && Float.isFinite(e) && Float.isFinite(a)
                    && Math.abs((double) a - e) <= ulps * Math.ulp(Math.max(Math.abs(e), Float.MIN_NORMAL));
            if (!close) {
                fail("at index " + i + ", " + what.apply(i) + ": expected " + e + " but was " + a
                        + (ulps > 0 ? " (allowed " + ulps + " ulps)" : ""));
            }
        }
    }
}

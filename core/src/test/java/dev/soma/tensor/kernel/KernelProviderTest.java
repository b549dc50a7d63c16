package dev.soma.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.soma.tensor.kernel.simd.SimdKernels;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link KernelProvider} chooses, and the scalar definitions every kernel is held to. */
class KernelProviderTest {

    /** Surefire starts the test JVM with {@code --add-modules jdk.incubator.vector}. */
    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Test
    void scalarChoiceGivesTheScalarKernels() {
        KernelChoice choice = KernelProvider.choose("scalar");
        assertSame(Kernels.scalar(), choice.kernels());
        assertEquals("scalar", choice.kernels().name());
        assertEquals(1, choice.workers().threads(), "the specification runs every part on the caller");
    }

    @ParameterizedTest
    @ValueSource(strings = {"simd", "auto", "", "fastest"})
    void otherChoicesGiveSimdKernelsWhenTheModuleIsPresent(String choice) {
        assumeTrue(vectorModulePresent(), "jdk.incubator.vector not in the boot layer");
        assertInstanceOf(SimdKernels.class, KernelProvider.choose(choice).kernels());
    }

    @Test
    void activeKernelsAreSimdByDefault() {
        assumeTrue(KernelProvider.requested().equals("auto"), "soma.kernels or SOMA_KERNELS is set");
        assertTrue(vectorModulePresent(), "tests must run with --add-modules jdk.incubator.vector");
        assertInstanceOf(SimdKernels.class, Kernels.active());
        assertTrue(Kernels.active().name().matches("simd \\(\\d+-bit, \\d+ float lanes\\)"), Kernels.active().name());
    }

    @Test
    void theBlasRequestReachesBlasKernelsByName() {
        KernelChoice java = KernelProvider.choose("scalar");
        KernelChoice unknown = KernelProvider.withBlas(java, "mkl");
        assertSame(java.kernels(), unknown.kernels());
        assertSame(java.workers(), unknown.workers());
        assertTrue(unknown.refused());
        assertEquals("java (SOMA_BLAS=mkl is not one of java, openblas, auto)", unknown.gemm());
        assertEquals("java", KernelProvider.withBlas(java, null).gemm());
    }

    @Test
    void propertyIsTrimmedAndCaseInsensitive() {
        Kernels.active(); // the choice is made once, at first use: make it before the property changes
        String before = System.getProperty(KernelProvider.PROPERTY);
        try {
            System.setProperty(KernelProvider.PROPERTY, " Scalar ");
            assertEquals("scalar", KernelProvider.requested());
        } finally {
            if (before == null) {
                System.clearProperty(KernelProvider.PROPERTY);
            } else {
                System.setProperty(KernelProvider.PROPERTY, before);
            }
        }
    }

    /** {@link ScalarKernels} against closed forms and reference values. */
    @Nested
    class ScalarDefinitions {

        private final Kernels scalar = Kernels.scalar();

        private static float unary(UnaryOp op, float x) {
            return ScalarKernels.apply(op, x);
        }

        @Test
        void sigmoidSaturatesWithoutNaN() {
            assertEquals(1f, unary(UnaryOp.SIGMOID, 1000f));
            assertEquals(0f, unary(UnaryOp.SIGMOID, -1000f));
            assertEquals(0.5f, unary(UnaryOp.SIGMOID, 0f));
            assertEquals(1 / (1 + Math.exp(-2)), unary(UnaryOp.SIGMOID, 2f), 1e-7);
            assertEquals(Math.exp(-2) / (1 + Math.exp(-2)), unary(UnaryOp.SIGMOID, -2f), 1e-8);
            assertTrue(unary(UnaryOp.SIGMOID, -100f) > 0, "σ(-100) ≈ 3.7e-44 is a subnormal float, not 0");
            assertEquals(Float.NaN, unary(UnaryOp.SIGMOID, Float.NaN));
        }

        @Test
        void erfMatchesReferenceValues() {
            // Abramowitz & Stegun table 7.1; the fit above 0.5 is good to 1.2e-7, plus float rounding.
            assertEquals(0.5204998778, unary(UnaryOp.ERF, 0.5f), 3e-7);
            assertEquals(0.8427007929, unary(UnaryOp.ERF, 1f), 3e-7);
            assertEquals(-0.9953222650, unary(UnaryOp.ERF, -2f), 3e-7);
            assertEquals(0.9999779095, unary(UnaryOp.ERF, 3f), 3e-7);
            assertEquals(1.1283791671e-4, unary(UnaryOp.ERF, 1e-4f), 1.1283791671e-4 * 1e-6);
            assertEquals(0f, unary(UnaryOp.ERF, 0f));
            assertEquals(1f, unary(UnaryOp.ERF, Float.POSITIVE_INFINITY));
            assertEquals(-1f, unary(UnaryOp.ERF, Float.NEGATIVE_INFINITY));
            assertEquals(Float.NaN, unary(UnaryOp.ERF, Float.NaN));
        }

        @Test
        void erfIsOddAndContinuousWhereItsTwoFormsMeet() {
            for (float x : new float[] {0.1f, 0.49f, 0.5f, 0.7f, 1.5f, 2.5f}) {
                assertEquals(-unary(UnaryOp.ERF, x), unary(UnaryOp.ERF, -x), "erf(-" + x + ")");
            }
            float below = Math.nextDown(0.5f);
            assertEquals(unary(UnaryOp.ERF, 0.5f), unary(UnaryOp.ERF, below), 3e-7, "series meets fit at 0.5");
        }

        @Test
        void reluAndSignKeepNaNAndSignedZero() {
            assertEquals(Float.NaN, unary(UnaryOp.RELU, Float.NaN));
            assertEquals(0f, unary(UnaryOp.RELU, -3f));
            assertEquals(2.5f, unary(UnaryOp.RELU, 2.5f));
            assertEquals(-0f, unary(UnaryOp.RELU, -0f));
            assertEquals(Float.NaN, unary(UnaryOp.SIGN, Float.NaN));
            assertEquals(-1f, unary(UnaryOp.SIGN, -5f));
            assertEquals(1f, unary(UnaryOp.SIGN, 7f));
            assertEquals(-0f, unary(UnaryOp.SIGN, -0f));
            assertEquals(Float.NEGATIVE_INFINITY, unary(UnaryOp.LOG, 0f));
            assertEquals(Float.NaN, unary(UnaryOp.LOG, -1f));
        }

        @Test
        void comparisonsAreFloatMasksWithIeeeNaN() {
            float nan = Float.NaN;
            assertEquals(0f, ScalarKernels.apply(BinaryOp.EQ, nan, nan));
            assertEquals(1f, ScalarKernels.apply(BinaryOp.NE, nan, nan));
            assertEquals(0f, ScalarKernels.apply(BinaryOp.LT, nan, 1f));
            assertEquals(0f, ScalarKernels.apply(BinaryOp.GE, nan, 1f));
            assertEquals(1f, ScalarKernels.apply(BinaryOp.EQ, 0f, -0f));
            assertEquals(1f, ScalarKernels.apply(BinaryOp.LE, 1f, 1f));
            assertEquals(0f, ScalarKernels.apply(BinaryOp.LT, 1f, 1f));
            assertEquals(1f, ScalarKernels.apply(BinaryOp.GT, 2f, 1f));
            assertEquals(0f, ScalarKernels.apply(BinaryOp.GE, 1f, 2f));
            assertEquals(nan, ScalarKernels.apply(BinaryOp.MAX, nan, 1f));
            assertEquals(nan, ScalarKernels.apply(BinaryOp.MIN, 1f, nan));
            assertEquals(0f, ScalarKernels.apply(BinaryOp.MAX, -0f, 0f));
            assertEquals(-0f, ScalarKernels.apply(BinaryOp.MIN, 0f, -0f));
            assertEquals(1024f, ScalarKernels.apply(BinaryOp.POW, 2f, 10f));
            assertEquals(nan, ScalarKernels.apply(BinaryOp.POW, -8f, 1f / 3));
        }

        @Test
        void reductionsSumInDoubleAndPropagateNaN() {
            assertEquals(0f, scalar.sum(new float[0], 0, 0));
            assertEquals(1f, scalar.sum(new float[] {1e8f, 1f, -1e8f}, 0, 3), "float addition would give 0");
            assertEquals(Float.NaN, scalar.max(new float[] {1f, Float.NaN, 3f}, 0, 3));
            assertEquals(Float.NaN, scalar.min(new float[] {1f, Float.NaN, 3f}, 0, 3));
            assertEquals(3f, scalar.max(new float[] {9f, 1f, 3f, -2f}, 1, 2));
            assertEquals(-0f, scalar.min(new float[] {0f, -0f}, 0, 2));
        }

        @Test
        void gemmMatchesHandComputedProducts() {
            float[] a = {1, 2, 3, 4};
            float[] b = {5, 6, 7, 8};
            assertArrayEquals(new float[] {19, 22, 43, 50}, product(false, false, a, b, null));
            assertArrayEquals(new float[] {26, 30, 38, 44}, product(true, false, a, b, null));
            assertArrayEquals(new float[] {17, 23, 39, 53}, product(false, true, a, b, null));
            assertArrayEquals(new float[] {23, 31, 34, 46}, product(true, true, a, b, null));
            assertArrayEquals(new float[] {20, 22, 43, 60}, product(false, false, a, b, new float[] {1, 0, 0, 10}));
        }

        @Test
        void gemmWithEmptyInnerDimensionGivesZerosOrLeavesC() {
            float[] c = {7, 8};
            scalar.gemm(false, false, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, true);
            assertArrayEquals(new float[] {7, 8}, c);
            scalar.gemm(false, false, 1, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, false);
            assertArrayEquals(new float[] {0, 0}, c);
        }

        /** The 2×2 product op(A)·op(B), added to {@code c0} when given; A and B at offset 1, ld 3. */
        private float[] product(boolean transA, boolean transB, float[] a, float[] b, float[] c0) {
            float[] paddedA = {-1, a[0], a[1], -1, a[2], a[3]};
            float[] paddedB = {-1, b[0], b[1], -1, b[2], b[3]};
            float[] c = c0 == null ? new float[] {-9, -9, -9, -9} : c0.clone();
            scalar.gemm(transA, transB, 2, 2, 2, paddedA, 1, 3, paddedB, 1, 3, c, 0, 2, c0 != null);
            return c;
        }
    }
}

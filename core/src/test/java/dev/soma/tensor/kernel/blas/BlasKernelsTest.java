package dev.soma.tensor.kernel.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.soma.tensor.kernel.GemmCheck;
import dev.soma.tensor.kernel.KernelChoice;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.Workers;
import dev.soma.testing.Installed;
import dev.soma.tensor.kernel.simd.SimdKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optional OpenBLAS matrix product: how {@code SOMA_BLAS} is read, and OpenBLAS's results held to
 * the scalar specification as the Java kernels are. Without an OpenBLAS library the tests that call it
 * are skipped, unless {@link Installed} requires {@code libopenblas0-pthread} (as {@code .ci/run}
 * does, which installs it); then its absence is a failure.
 */
class BlasKernelsTest {

    private static final Kernels JAVA = new SimdKernels(Workers.active());
    private static final KernelChoice JAVA_CHOICE = new KernelChoice(JAVA, Workers.active(), "java", false);
    private static String loadFailure;
    private static final OpenBlas BLAS = loadIfPresent();

    private static OpenBlas loadIfPresent() {
        try {
            return OpenBlas.load();
        } catch (UnsatisfiedLinkError e) {
            loadFailure = e.getMessage();
            return null;
        }
    }

    /** Skips the calling test without OpenBLAS, or fails it where {@link Installed} requires OpenBLAS. */
    private static void assumeOpenBlas() {
        Installed.assume("libopenblas0-pthread", BLAS != null, "OpenBLAS did not load (" + loadFailure + ")");
    }

    private static BlasKernels blasKernels() {
        assumeOpenBlas();
        return new BlasKernels(JAVA, BLAS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", " Java ", ""})
    void javaIsTheDefaultAndChangesNothing(String request) {
        for (String r : new String[] {request, null}) {
            KernelChoice choice = BlasKernels.choose(JAVA_CHOICE, r);
            assertSame(JAVA, choice.kernels());
            assertSame(JAVA_CHOICE.workers(), choice.workers());
            assertEquals("java", choice.gemm());
            assertFalse(choice.refused());
        }
    }

    @Test
    void anUnknownRequestKeepsJavaAndSaysWhy() {
        KernelChoice choice = BlasKernels.choose(JAVA_CHOICE, "mkl");
        assertSame(JAVA, choice.kernels());
        assertTrue(choice.refused());
        assertEquals("java (SOMA_BLAS=mkl is not one of java, openblas, auto)", choice.gemm());
    }

    @Test
    void aMissingLibraryKeepsJavaAndSaysHowToInstallIt() {
        var missing = assertThrows(UnsatisfiedLinkError.class, () -> OpenBlas.load("libsoma-no-such-blas.so.0"));
        assertTrue(missing.getMessage().startsWith("no OpenBLAS library: libsoma-no-such-blas.so.0 did not load ("),
                missing.getMessage());
        assertTrue(missing.getMessage().endsWith("; install Debian's libopenblas0-pthread"), missing.getMessage());
        for (String request : new String[] {"openblas", "auto"}) {
            KernelChoice choice = BlasKernels.choose(JAVA_CHOICE, request,
                    () -> OpenBlas.load("libsoma-no-such-blas.so.0"));
            assertSame(JAVA, choice.kernels());
            assertEquals("java (SOMA_BLAS=" + request + ", but " + missing.getMessage() + ")", choice.gemm());
            assertEquals(request.equals("openblas"), choice.refused(), "only an explicit request is refused");
        }
    }

    @Test
    void openblasIsUsedWhenAskedFor() {
        assumeOpenBlas();
        KernelChoice choice = BlasKernels.choose(JAVA_CHOICE, "OpenBLAS");
        assertInstanceOf(BlasKernels.class, choice.kernels());
        assertFalse(choice.refused());
        assertEquals(1L << 16, Tuning.OPENBLAS_PRODUCT);
        assertTrue(choice.gemm().startsWith("OpenBLAS for products of 2^16 multiply-adds or more ("), choice.gemm());
        assertTrue(choice.gemm().contains(BLAS.core() + " kernels"), choice.gemm());
        boolean narrower = OpenBlas.vectorBits(BLAS.core()) < JAVA.vectorBits();
        assertEquals(narrower, choice.gemm().contains("narrower than Soma's " + JAVA.vectorBits() + "-bit ones"),
                choice.gemm());
        assertTrue(choice.kernels().name().startsWith(JAVA.name() + " + OpenBLAS gemm"), choice.kernels().name());
        assertEquals(JAVA.vectorBits(), choice.kernels().vectorBits());
    }

    @Test
    void autoTakesOpenblasOnlyWithKernelsAsWideAsJavas() {
        assumeOpenBlas();
        KernelChoice choice = BlasKernels.choose(JAVA_CHOICE, "auto");
        boolean wide = OpenBlas.vectorBits(BLAS.core()) >= JAVA.vectorBits();
        assertEquals(wide, choice.kernels() instanceof BlasKernels, choice.gemm());
        assertFalse(choice.refused());
        if (!wide) {
            assertTrue(choice.gemm().startsWith("java (SOMA_BLAS=auto: OpenBLAS runs its " + BLAS.core()),
                    choice.gemm());
        }
        // the scalar kernels are 32 bits wide: any OpenBLAS is at least that
        assertInstanceOf(BlasKernels.class, BlasKernels.choose(new KernelChoice(Kernels.scalar(), Workers.active(), "java", false), "auto").kernels());
    }

    @Test
    void coreNamesMapToTheirVectorWidths() {
        assertEquals(512, OpenBlas.vectorBits("SkylakeX"));
        assertEquals(512, OpenBlas.vectorBits("Cooperlake"));
        assertEquals(512, OpenBlas.vectorBits("SAPPHIRERAPIDS"));
        assertEquals(256, OpenBlas.vectorBits("Haswell"));
        assertEquals(256, OpenBlas.vectorBits("Zen"));
        assertEquals(256, OpenBlas.vectorBits("Sandybridge"));
        assertEquals(128, OpenBlas.vectorBits("Prescott"));
        assertEquals(128, OpenBlas.vectorBits("Nehalem"));
        assertEquals(128, OpenBlas.vectorBits(""));
    }

    @Test
    void cblasAcceptsOnlyLeadingDimensionsAsLongAsTheRows() {
        assertTrue(OpenBlas.accepts(false, false, 3, 4, 5, 5, 4, 4));
        assertTrue(OpenBlas.accepts(true, true, 3, 4, 5, 3, 5, 4));
        assertFalse(OpenBlas.accepts(false, false, 3, 4, 5, 4, 4, 4), "lda < k");
        assertFalse(OpenBlas.accepts(true, false, 3, 4, 5, 2, 4, 4), "lda < m");
        assertFalse(OpenBlas.accepts(false, true, 3, 4, 5, 5, 4, 4), "ldb < k");
        assertFalse(OpenBlas.accepts(false, false, 3, 4, 5, 5, 3, 4), "ldb < n");
        assertFalse(OpenBlas.accepts(false, false, 3, 4, 5, 5, 4, 3), "ldc < n");
        assertFalse(OpenBlas.accepts(false, false, 0, 4, 5, 5, 4, 4), "m = 0");
        assertFalse(OpenBlas.accepts(false, false, 3, 4, 0, 1, 4, 4), "k = 0");
    }

    /** Sizes on both sides of {@link Tuning#OPENBLAS_PRODUCT}, square, skinny and odd, each transposition. */
    static Stream<Arguments> products() {
        int[][] shapes = {{1, 1, 1}, {4, 4, 2}, {31, 32, 33}, {32, 32, 32}, {64, 256, 784}, {784, 256, 64},
                          {200, 200, 200}, {1, 513, 129}, {257, 1, 300}, {129, 65, 257}};
        return Arrays.stream(shapes).flatMap(s -> IntStream.range(0, 8).mapToObj(
                t -> Arguments.of(s[0], s[1], s[2], (t & 4) != 0, (t & 2) != 0, (t & 1) != 0)));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} accumulate={5}")
    @MethodSource("products")
    void matchesTheScalarSpecification(int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        Kernels kernels = blasKernels();
        GemmCheck.check(kernels, transA, transB, m, n, k, 3, accumulate);
        GemmCheck.check(kernels, transA, transB, m, n, k, 0, accumulate);
    }

    @Test
    void largeProductsRunInOpenblasAndSmallOnesInJava() {
        Kernels kernels = blasKernels();
        Random random = new Random(5);
        // either side of OPENBLAS_PRODUCT = 2¹⁶: 64·32·31 below it, 64·32·32 on it
        for (int[] s : new int[][] {{4, 4, 2}, {64, 32, 31}, {64, 32, 32}, {100, 90, 80}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = GemmCheck.randomMatrix(random, m * k);
            float[] b = GemmCheck.randomMatrix(random, k * n);
            float[] viaKernels = new float[m * n];
            float[] viaJava = new float[m * n];
            float[] viaBlas = new float[m * n];
            kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, viaKernels, 0, n, false);
            JAVA.gemm(false, false, m, n, k, a, 0, k, b, 0, n, viaJava, 0, n, false);
            BLAS.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, viaBlas, 0, n, false);
            boolean native_ = (long) m * n * k >= Tuning.OPENBLAS_PRODUCT;
            assertArrayEquals(native_ ? viaBlas : viaJava, viaKernels, m + "×" + n + "×" + k);
        }
    }

    @Test
    void productsInsideParallelPartsStayInJava() {
        BlasKernels kernels = blasKernels();
        Workers workers = kernels.partsInJava(Workers.active());
        int m = 96;
        int n = 80;
        int k = 900;
        Random random = new Random(8);
        float[] a = GemmCheck.randomMatrix(random, m * k);
        float[] b = GemmCheck.randomMatrix(random, k * n);
        float[] viaJava = new float[m * n];
        float[] viaBlas = new float[m * n];
        JAVA.gemm(false, false, m, n, k, a, 0, k, b, 0, n, viaJava, 0, n, false);
        BLAS.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, viaBlas, 0, n, false);
        assertFalse(Arrays.equals(viaJava, viaBlas),
                "the two paths must differ somewhere for this test to tell them apart");
        float[][] inParts = new float[2][m * n];
        workers.run(2, part -> kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, inParts[part], 0, n, false));
        assertArrayEquals(viaJava, inParts[0]);
        assertArrayEquals(viaJava, inParts[1]);
        float[] outside = new float[m * n];
        kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, outside, 0, n, false);
        assertArrayEquals(viaBlas, outside, "after the parts, products go to OpenBLAS again");
    }

    @Test
    void zeroSizesAndShortLeadingDimensionsStayInJava() {
        Kernels kernels = blasKernels();
        float[] c = {Float.NaN, Float.NaN, 7};
        kernels.gemm(false, false, 1, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {0, 0, 7}, c, "k = 0 zeroes C without calling OpenBLAS");
        // a 64×64 product whose A rows overlap (lda = 1 < k): legal for Kernels, refused by CBLAS
        float[] a = new float[64 + 63];
        Arrays.fill(a, 1);
        float[] b = new float[64 * 64];
        Arrays.fill(b, 2);
        float[] out = new float[64 * 64];
        kernels.gemm(false, false, 64, 64, 64, a, 0, 1, b, 0, 64, out, 0, 64, false);
        for (float v : out) {
            if (v != 128) {
                fail("expected 128 everywhere, found " + v);
            }
        }
    }

    @Test
    void aMatrixOutsideItsArrayThrowsInsteadOfReachingNativeCode() {
        Kernels kernels = blasKernels();
        int n = 64;
        float[] full = new float[n * n];
        float[] short_ = new float[n * n - 1];
        String a = assertThrows(IndexOutOfBoundsException.class, () -> kernels.gemm(false, false, n, n, n,
                short_, 0, n, full, 0, n, new float[n * n], 0, n, false)).getMessage();
        assertEquals("A: 64×64 with leading dimension 64 at offset 0 needs 4096 floats, the array has 4095", a);
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.gemm(false, true, n, n, n,
                full, 0, n, full, 1, n, new float[n * n], 0, n, false));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.gemm(true, false, n, n, n,
                full, 0, n, full, 0, n, short_, 0, n, true));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.gemm(false, false, n, n, n,
                full, -1, n, full, 0, n, full.clone(), 0, n, false));
    }

    @Test
    void nanInCIsOverwrittenWithoutAccumulating() {
        Kernels kernels = blasKernels();
        int n = 64;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        Arrays.fill(a, 1);
        float[] c = new float[n * n];
        Arrays.fill(c, Float.NaN);
        kernels.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        assertArrayEquals(new float[n * n], c, "β = 0 must not multiply NaN by zero");
    }
}

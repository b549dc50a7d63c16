package dev.soma.tensor.kernel.blas;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.KernelChoice;
import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.UnaryOp;
import dev.soma.tensor.kernel.Workers;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Kernels whose matrix products of {@link Tuning#OPENBLAS_PRODUCT} multiply-adds or more run in
 * OpenBLAS ({@link OpenBlas}); everything else, and smaller products, run on the Java kernels they wrap.
 *
 * <p>Chosen by {@code SOMA_BLAS} (or the system property {@code soma.blas}), see {@link #choose}:
 * <ul>
 *   <li>{@code java}, the default: the Java kernels alone. Soma needs no native library, and a seed
 *       gives the same bits on every machine with the same vector width.</li>
 *   <li>{@code openblas}: OpenBLAS's {@code cblas_sgemm}, or the Java kernels and a warning when it
 *       does not load.</li>
 *   <li>{@code auto}: OpenBLAS when it loads and runs kernels at least as wide as the Java ones
 *       ({@link OpenBlas#vectorBits}). OpenBLAS 0.3.21 takes CPUs newer than itself for old ones: on
 *       a Xeon with AVX-512 that it does not know, it runs its 128-bit Prescott kernels, 3–8× slower
 *       than Soma's, unless {@code OPENBLAS_CORETYPE=SkylakeX} says otherwise.</li>
 * </ul>
 * The two paths sum in different orders, so their results differ in the last bits; each is
 * deterministic.
 */
public final class BlasKernels implements Kernels {

    private final Kernels java;
    private final OpenBlas blas;
    /** How deep this thread is inside parts of {@link #partsInJava} workers: products there stay in Java. */
    private final ThreadLocal<int[]> partDepth = ThreadLocal.withInitial(() -> new int[1]);

    BlasKernels(Kernels java, OpenBlas blas) {
        this.java = java;
        this.blas = blas;
    }

    /**
     * The kernels and workers for a {@code SOMA_BLAS} request ({@code java}, {@code openblas} or
     * {@code auto}; case and spaces ignored) on top of the Java ones. An unknown request is taken as
     * {@code java}, with the reason in {@link KernelChoice#gemm}. Called by name from
     * {@code KernelProvider}, which does not import this package.
     */
    public static KernelChoice choose(KernelChoice java, String request) {
        return choose(java, request, OpenBlas::load);
    }

    /** As {@link #choose(KernelChoice, String)}, with OpenBLAS from {@code loader}. */
    static KernelChoice choose(KernelChoice java, String request, Supplier<OpenBlas> loader) {
        String choice = request == null ? "java" : request.strip().toLowerCase(Locale.ROOT);
        if (!choice.equals("openblas") && !choice.equals("auto")) {
            boolean known = choice.isEmpty() || choice.equals("java");
            return keepJava(java, known ? "java"
                    : "java (SOMA_BLAS=" + request.strip() + " is not one of java, openblas, auto)", !known);
        }
        OpenBlas blas;
        try {
            blas = loader.get();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return keepJava(java, "java (SOMA_BLAS=" + choice + ", but " + e.getMessage() + ")",
                    choice.equals("openblas"));
        }
        int bits = OpenBlas.vectorBits(blas.core());
        int javaBits = java.kernels().vectorBits();
        if (choice.equals("auto") && bits < javaBits) {
            return keepJava(java, "java (SOMA_BLAS=auto: OpenBLAS runs its " + blas.core() + " kernels, "
                    + bits + "-bit, narrower than Soma's " + javaBits
                    + "-bit ones; OPENBLAS_CORETYPE chooses others)", false);
        }
        String from = "2^" + Long.numberOfTrailingZeros(Tuning.OPENBLAS_PRODUCT);
        String narrower = bits < javaBits
                ? ", narrower than Soma's " + javaBits + "-bit ones (OPENBLAS_CORETYPE chooses others)" : "";
        var kernels = new BlasKernels(java.kernels(), blas);
        return new KernelChoice(kernels, kernels.partsInJava(java.workers()), "OpenBLAS for products of " + from
                + " multiply-adds or more (" + blas.config() + "; " + blas.core() + " kernels, " + bits + "-bit"
                + narrower + "; " + blas.threads() + " threads)", false);
    }

    /** The Java kernels and workers unchanged, with the line that says why. */
    private static KernelChoice keepJava(KernelChoice java, String gemm, boolean refused) {
        return new KernelChoice(java.kernels(), java.workers(), gemm, refused);
    }

    /**
     * {@code workers} whose parts keep their matrix products in Java: inside a part both cores are
     * already busy, and OpenBLAS's own threads would compete with the parts for them (a one-epoch CNN
     * took 30.5 s instead of 10.9 when each convolution chunk's product started OpenBLAS's threads).
     */
    Workers partsInJava(Workers workers) {
        return new Workers() {
            @Override
            public int threads() {
                return workers.threads();
            }

            @Override
            public void run(int parts, IntConsumer part) {
                workers.run(parts, i -> {
                    int[] depth = partDepth.get();
                    depth[0]++;
                    try {
                        part.accept(i);
                    } finally {
                        depth[0]--;
                    }
                });
            }
        };
    }

    @Override
    public String name() {
        return java.name() + " + OpenBLAS gemm (" + blas.core() + ")";
    }

    @Override
    public int vectorBits() {
        return java.vectorBits();
    }

    /**
     * In OpenBLAS when the product has {@link Tuning#OPENBLAS_PRODUCT} multiply-adds or more, CBLAS
     * accepts it and it is not called from inside a part of {@link #partsInJava} workers.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate) {
        if ((long) m * n * k >= Tuning.OPENBLAS_PRODUCT && OpenBlas.accepts(transA, transB, m, n, k, lda, ldb, ldc)
                && partDepth.get()[0] == 0) {
            blas.sgemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        } else {
            java.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        }
    }

    @Override
    public void map(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n) {
        java.map(op, x, xOffset, y, yOffset, n);
    }

    @Override
    public void zip(BinaryOp op, float[] a, int aOffset, int aStride, float[] b, int bOffset, int bStride,
                    float[] out, int outOffset, int n) {
        java.zip(op, a, aOffset, aStride, b, bOffset, bStride, out, outOffset, n);
    }

    @Override
    public float sum(float[] x, int offset, int n) {
        return java.sum(x, offset, n);
    }

    @Override
    public float max(float[] x, int offset, int n) {
        return java.max(x, offset, n);
    }

    @Override
    public float min(float[] x, int offset, int n) {
        return java.min(x, offset, n);
    }

    @Override
    public void maxPool2x2(float[] x, int top, int width, int rows, float[] out, int[] source, int outOffset, int n) {
        java.maxPool2x2(x, top, width, rows, out, source, outOffset, n);
    }

    @Override
    public void maxUnpool2x2(float[] grad, int gradOffset, int[] source, int sourceOffset, int n, int rows,
                             float[] x, int top, int width) {
        java.maxUnpool2x2(grad, gradOffset, source, sourceOffset, n, rows, x, top, width);
    }
}

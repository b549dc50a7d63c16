package dev.soma.tensor.kernel.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * OpenBLAS's {@code cblas_sgemm}, called through the FFM API on the Java arrays themselves: the
 * downcall is linked {@linkplain Linker.Option#critical(boolean) critical with heap access}, so the
 * arrays are passed by address, with no copy, while the collector waits (as JNI's
 * {@code GetPrimitiveArrayCritical}). Debian's {@code libopenblas0-pthread} provides the library
 * ({@code libopenblas.so.0}, 32-bit integers); OpenBLAS runs the product on its own threads
 * ({@code OPENBLAS_NUM_THREADS}, else one per core) and picks its kernels for the CPU it detects
 * ({@code OPENBLAS_CORETYPE} overrides that).
 */
public final class OpenBlas {

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final String[] LIBRARIES = {"libopenblas.so.0", "libopenblas.so"};

    private final MethodHandle sgemm;
    private final String config;
    private final String core;
    private final int threads;

    private OpenBlas(MethodHandle sgemm, String config, String core, int threads) {
        this.sgemm = sgemm;
        this.config = config;
        this.core = core;
        this.threads = threads;
    }

    /**
     * Loads OpenBLAS from the system's library path.
     *
     * @throws UnsatisfiedLinkError when no OpenBLAS library loads or it lacks {@code cblas_sgemm}
     */
    public static OpenBlas load() {
        return load(LIBRARIES);
    }

    /** The first of {@code names} that loads, as {@link #load()}. */
    static OpenBlas load(String... names) {
        UnsatisfiedLinkError failure = null;
        for (String name : names) {
            try {
                return bind(SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) { // the library was not found or did not load
                if (failure == null) {
                    failure = new UnsatisfiedLinkError("no OpenBLAS library: " + name + " did not load ("
                            + e.getMessage() + "); install Debian's libopenblas0-pthread");
                }
            }
        }
        throw failure;
    }

    private static OpenBlas bind(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MethodHandle sgemm = linker.downcallHandle(find(library, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, ValueLayout.ADDRESS, i, ValueLayout.ADDRESS, i, f,
                        ValueLayout.ADDRESS, i),
                Linker.Option.critical(true));
        FunctionDescriptor text = FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(
                MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE)));
        String config = string(linker.downcallHandle(find(library, "openblas_get_config"), text));
        String core = string(linker.downcallHandle(find(library, "openblas_get_corename"), text));
        int threads;
        try {
            threads = (int) linker.downcallHandle(find(library, "openblas_get_num_threads"),
                    FunctionDescriptor.of(i)).invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_get_num_threads failed", e);
        }
        return new OpenBlas(sgemm, config.strip(), core.strip(), threads);
    }

    private static MemorySegment find(SymbolLookup library, String symbol) {
        return library.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError(
                "the OpenBLAS library has no " + symbol));
    }

    private static String string(MethodHandle function) {
        try {
            MemorySegment text = (MemorySegment) function.invokeExact();
            return text.equals(MemorySegment.NULL) ? "" : text.getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("calling OpenBLAS failed", e);
        }
    }

    /** The build's configuration, e.g. {@code "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64"}. */
    public String config() {
        return config;
    }

    /** The CPU core whose kernels OpenBLAS runs, e.g. {@code "SkylakeX"} or {@code "Haswell"}. */
    public String core() {
        return core;
    }

    /** The threads OpenBLAS splits a product over. */
    public int threads() {
        return threads;
    }

    /**
     * The width in bits of the vectors of {@link #core()}'s kernels: 512 for the AVX-512 cores, 256 for
     * the AVX and AVX2 ones, 128 for the others (SSE).
     */
    public static int vectorBits(String core) {
        String name = core.toLowerCase(Locale.ROOT);
        for (String avx512 : new String[] {"skylakex", "cooperlake", "sapphirerapids"}) {
            if (name.contains(avx512)) {
                return 512;
            }
        }
        for (String avx : new String[] {"sandybridge", "haswell", "zen", "excavator", "steamroller", "piledriver"}) {
            if (name.contains(avx)) {
                return 256;
            }
        }
        return 128;
    }

    /**
     * {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}, with the layout of
     * {@link dev.soma.tensor.kernel.Kernels#gemm}, which is CBLAS's row-major one. Requires sizes ≥ 1,
     * leading dimensions that CBLAS accepts ({@link #accepts}) and C not overlapping A or B. Native
     * code reads and writes where it is told, so each matrix is first checked to lie inside its array.
     *
     * @throws IndexOutOfBoundsException when a matrix does not lie inside its array
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float[] c, int cOffset, int ldc, boolean accumulate) {
        checkInside("A", a, aOffset, transA ? k : m, transA ? m : k, lda);
        checkInside("B", b, bOffset, transB ? n : k, transB ? k : n, ldb);
        checkInside("C", c, cOffset, m, n, ldc);
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f,
                    MemorySegment.ofArray(a).asSlice(4L * aOffset), lda,
                    MemorySegment.ofArray(b).asSlice(4L * bOffset), ldb, accumulate ? 1f : 0f,
                    MemorySegment.ofArray(c).asSlice(4L * cOffset), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    private static void checkInside(String name, float[] x, int offset, int rows, int cols, int ld) {
        long end = offset + (rows - 1L) * ld + cols;
        if (offset < 0 || end > x.length) {
            throw new IndexOutOfBoundsException(name + ": " + rows + "×" + cols + " with leading dimension " + ld
                    + " at offset " + offset + " needs " + end + " floats, the array has " + x.length);
        }
    }

    /**
     * Whether CBLAS accepts the product as given: every size at least 1 and each leading dimension at
     * least its row's length ({@code k} or {@code m} for A, {@code n} or {@code k} for B, {@code n} for
     * C). OpenBLAS reports a rejected argument on standard error and computes nothing.
     */
    public static boolean accepts(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        return m >= 1 && n >= 1 && k >= 1 && lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n;
    }
}

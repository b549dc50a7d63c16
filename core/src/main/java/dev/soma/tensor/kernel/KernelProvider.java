package dev.soma.tensor.kernel;

import dev.soma.tensor.kernel.blas.BlasKernels;
import java.lang.System.Logger.Level;

/**
 * Chooses the kernels once per JVM.
 *
 * <p>The SIMD kernels live in the one package that imports {@code jdk.incubator.vector}; they are
 * loaded by class name so that a JVM started without {@code --add-modules jdk.incubator.vector} still
 * runs, on the scalar kernels, after one log line. The system property {@code soma.kernels} (or the
 * environment variable {@code SOMA_KERNELS}) forces a choice: {@code scalar}, {@code simd}, or
 * {@code auto} (the default). Then the system property {@code soma.blas} (or {@code SOMA_BLAS}) chooses
 * whose matrix product they use, Java's (the default) or OpenBLAS's ({@link BlasKernels#choose}).
 */
final class KernelProvider {

    static final String PROPERTY = "soma.kernels";
    static final String BLAS_PROPERTY = "soma.blas";
    static final String SIMD_CLASS = "dev.soma.tensor.kernel.simd.SimdKernels";

    static final BlasKernels.Choice ACTIVE = withBlas(choose(requested()), setting(BLAS_PROPERTY, "SOMA_BLAS"));

    private KernelProvider() {
    }

    static String requested() {
        String choice = setting(PROPERTY, "SOMA_KERNELS");
        return choice == null ? "auto" : choice.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** The system property, else the environment variable; null when neither is set. */
    private static String setting(String property, String variable) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(variable);
    }

    /** The kernels with the matrix product {@code request} asks for; a warning when it cannot be had. */
    static BlasKernels.Choice withBlas(Kernels kernels, String request) {
        BlasKernels.Choice choice = BlasKernels.choose(kernels, request);
        if (choice.refused()) {
            log(Level.WARNING, "matrix products in Java: " + choice.gemm());
        }
        return choice;
    }

    static Kernels choose(String choice) {
        return switch (choice) {
            case "scalar" -> ScalarKernels.INSTANCE;
            case "auto", "simd", "" -> loadSimd().orElse(ScalarKernels.INSTANCE);
            default -> {
                log(Level.WARNING, "soma.kernels=" + choice + " is not one of scalar, simd, auto; using auto");
                yield loadSimd().orElse(ScalarKernels.INSTANCE);
            }
        };
    }

    private static java.util.Optional<Kernels> loadSimd() {
        try {
            Class<?> type = Class.forName(SIMD_CLASS);
            return java.util.Optional.of((Kernels) type.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log(Level.INFO, "SIMD kernels unavailable (" + e + "); using scalar kernels."
                    + " Run the JVM with --add-modules jdk.incubator.vector to enable them.");
            return java.util.Optional.empty();
        }
    }

    private static void log(Level level, String message) {
        System.getLogger("dev.soma.kernels").log(level, message);
    }
}

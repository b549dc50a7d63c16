package dev.soma.tensor.kernel;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the kernels, and the workers beside them, once per JVM.
 *
 * <p>The SIMD kernels live in the one package that imports {@code jdk.incubator.vector}; they are
 * loaded by class name so that a JVM started without {@code --add-modules jdk.incubator.vector} still
 * runs, on the scalar kernels, after one log line. The system property {@code soma.kernels} (or the
 * environment variable {@code SOMA_KERNELS}) forces a choice: {@code scalar}, {@code simd}, or
 * {@code auto} (the default). The SIMD kernels share {@link PersistentWorkers} of {@code SOMA_THREADS}
 * threads (default: the number of cores) with the ops above; the scalar ones, the specification, run
 * every part on the caller.
 *
 * <p>Then the system property {@code soma.blas} (or {@code SOMA_BLAS}) chooses whose matrix product they
 * use, Java's (the default) or OpenBLAS's: {@code BlasKernels.choose} in the {@code blas} package, also
 * loaded by class name, so that this package does not depend on the one that depends on it.
 */
final class KernelProvider {

    static final String PROPERTY = "soma.kernels";
    static final String BLAS_PROPERTY = "soma.blas";
    static final String SIMD_CLASS = "dev.soma.tensor.kernel.simd.SimdKernels";
    static final String BLAS_CLASS = "dev.soma.tensor.kernel.blas.BlasKernels";

    static final KernelChoice ACTIVE = warnIfRefused(withBlas(choose(requested()), setting(BLAS_PROPERTY, "SOMA_BLAS")));

    private KernelProvider() {
    }

    static String requested() {
        String choice = setting(PROPERTY, "SOMA_KERNELS");
        return choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
    }

    /** The system property, else the environment variable; null when neither is set. */
    private static String setting(String property, String variable) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(variable);
    }

    /** The kernels with the matrix product {@code request} asks for ({@code BlasKernels.choose}). */
    static KernelChoice withBlas(KernelChoice java, String request) {
        KernelChoice choice;
        try {
            choice = (KernelChoice) Class.forName(BLAS_CLASS).getMethod("choose", KernelChoice.class, String.class)
                    .invoke(null, java, request);
        } catch (ReflectiveOperationException | LinkageError e) {
            boolean wanted = request != null && !request.isBlank() && !request.strip().equalsIgnoreCase("java");
            choice = new KernelChoice(java.kernels(), java.workers(), "java (the OpenBLAS support did not load: "
                    + e + ")", wanted);
        }
        return choice;
    }

    /** A warning when the matrix product asked for cannot be had. */
    private static KernelChoice warnIfRefused(KernelChoice choice) {
        if (choice.refused()) {
            log(Level.WARNING, "matrix products in Java: " + choice.gemm());
        }
        return choice;
    }

    static KernelChoice choose(String choice) {
        return switch (choice) {
            case "scalar" -> scalar();
            case "auto", "simd", "" -> loadSimd();
            default -> {
                log(Level.WARNING, "soma.kernels=" + choice + " is not one of scalar, simd, auto; using auto");
                yield loadSimd();
            }
        };
    }

    private static KernelChoice scalar() {
        return new KernelChoice(ScalarKernels.INSTANCE, new PersistentWorkers(1), "java", false);
    }

    private static KernelChoice loadSimd() {
        Workers workers = new PersistentWorkers(threads());
        try {
            Class<?> type = Class.forName(SIMD_CLASS);
            Kernels kernels = (Kernels) type.getDeclaredConstructor(Workers.class).newInstance(workers);
            return new KernelChoice(kernels, workers, "java", false);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log(Level.INFO, "SIMD kernels unavailable (" + e + "); using scalar kernels."
                    + " Run the JVM with --add-modules jdk.incubator.vector to enable them.");
            return scalar();
        }
    }

    /** Threads to split work over (the caller included): env {@code SOMA_THREADS}, else all cores. */
    private static int threads() {
        int cores = Runtime.getRuntime().availableProcessors();
        String value = System.getenv("SOMA_THREADS");
        if (value == null || value.isBlank()) {
            return cores;
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        log(Level.WARNING, "SOMA_THREADS=" + value + " is not a positive integer; using " + cores);
        return cores;
    }

    private static void log(Level level, String message) {
        System.getLogger("dev.soma.kernels").log(level, message);
    }
}

package dev.soma.app;

import dev.soma.tensor.kernel.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code soma --version} prints: Soma's version, the kernels this JVM chose and whose matrix
 * product they use ({@code SOMA_BLAS}), the JVM and the number of threads Soma will use.
 */
public final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String[] lines = {
            "soma " + version(),
            "kernels: " + kernels(),
            "gemm: " + gemm(),
            "java: " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
            "threads: " + threads(System.getenv("SOMA_THREADS")),
        };
        for (int i = 0; i < lines.length; i++) {
            lines[i] = lines[i].replace("%", "%%"); // picocli formats each line with String.format
        }
        return lines;
    }

    /** Soma's version, from the resource Maven filters at build time; "unknown" without it. */
    static String version() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").strip();
                if (!v.isEmpty() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    static String kernels() {
        try {
            return Kernels.active().name();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + Errors.describe(e) + ")";
        }
    }

    static String gemm() {
        try {
            return Kernels.gemmChoice();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + Errors.describe(e) + ")";
        }
    }

    /** {@code SOMA_THREADS} if it is a positive integer, else the number of available processors. */
    static String threads(String env) {
        int processors = Runtime.getRuntime().availableProcessors();
        if (env == null || env.isBlank()) {
            return Integer.toString(processors);
        }
        try {
            int n = Integer.parseInt(env.strip());
            if (n > 0) {
                return Integer.toString(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return processors + " (SOMA_THREADS=\"" + env + "\" ignored: not a positive integer)";
    }
}

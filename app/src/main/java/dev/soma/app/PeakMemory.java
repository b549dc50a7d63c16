package dev.soma.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, as the benchmarks report it. */
final class PeakMemory {

    private PeakMemory() {
    }

    /**
     * Peak RSS in MiB from {@code /proc/self/status} ({@code VmHWM}, the same quantity as
     * {@code ru_maxrss} that the PyTorch scripts read); NaN where the file does not exist.
     */
    static double mebibytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kib = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return Long.parseLong(kib) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}

package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target of the playground's CSV upload ({@link CsvPoints#parse}): any text gives points or a
 * {@link PlaygroundException} with a message (shown to the user), fast: no pattern may backtrack
 * for long over a long cell. The corpus is in {@code CsvPointsFuzzTestInputs/parse/}; core's
 * {@code dev.soma.testing.Fuzzing} states the same rule for the other parsers (docs/RELIABILITY.md).
 */
class CsvPointsFuzzTest {

    /**
     * In replay 2 s: the corpus's 12,000-digit cell took 3 s with the old quadratic pattern. Fuzzing
     * makes inputs of at most 4 kB, and Jazzer's regex hooks and a loaded machine slowed that same
     * cell to 2.1 s with the fixed pattern, so there the limit only catches hangs: 10 s.
     */
    private static final long SLOW_MILLIS = System.getenv("JAZZER_FUZZ") == null ? 2_000 : 10_000;

    @FuzzTest(maxDuration = "10m")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try {
            CsvPoints.parse(text);
        } catch (PlaygroundException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a PlaygroundException without a message");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < SLOW_MILLIS, "parsing " + text.length() + " characters took " + millis + " ms");
    }
}

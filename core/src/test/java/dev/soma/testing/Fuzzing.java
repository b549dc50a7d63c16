package dev.soma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The rule every fuzz target checks (the {@code *FuzzTest} classes, run by Jazzer; docs/RELIABILITY.md
 * says how): a parser given any bytes either returns or throws one of the user errors it documents,
 * with a message. Anything else is a finding: a {@code NullPointerException}, an index out of bounds,
 * a {@code NegativeArraySizeException}, an {@code OutOfMemoryError}, a stack overflow, an exception
 * without a message, an input that takes longer than {@link #SLOW_MILLIS}, or one that makes the
 * parsing thread allocate more than the target's limit (measured with the JVM's per-thread counter,
 * so a header that declares gigabytes is caught even when the heap happens to be big enough; a parse
 * over the limit is measured again, as a target's first call also loads and instruments classes).
 */
public final class Fuzzing {

    /** An input that takes longer than this is a finding (a hang, catastrophic backtracking). */
    public static final long SLOW_MILLIS = 10_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ThreadLocal<Path> FOLDER = ThreadLocal.withInitial(() -> {
        try {
            Path folder = Files.createTempDirectory("soma-fuzz");
            folder.toFile().deleteOnExit();
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    /** The code under test: one parse of one input. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    private Fuzzing() {
    }

    /**
     * Runs {@code parse} once. Passes when it returns, or throws an instance of one of
     * {@code userErrors} with a non-blank message, within {@link #SLOW_MILLIS} and allocating at most
     * {@code maxBytes} on this thread; otherwise throws an {@link AssertionError} saying which rule
     * broke, with the thrown exception as its cause.
     */
    @SafeVarargs
    public static void expect(long maxBytes, Parse parse, Class<? extends Exception>... userErrors) {
        Outcome outcome = Outcome.of(parse);
        if (outcome.allocated > maxBytes && !(outcome.thrown instanceof Error)) {
            outcome = Outcome.of(parse); // the first call of a target also loads and instruments classes
        }
        Throwable thrown = outcome.thrown;
        long allocated = outcome.allocated;
        long millis = outcome.millis;
        if (thrown instanceof OutOfMemoryError || thrown instanceof StackOverflowError) {
            throw new AssertionError(thrown.getClass().getSimpleName() + " after allocating " + allocated
                    + " bytes: a parser must check declared sizes before it allocates", thrown);
        }
        if (thrown != null && !isUserError(thrown, userErrors)) {
            throw new AssertionError("expected a result or one of " + Arrays.toString(names(userErrors))
                    + " with a message, got " + thrown, thrown);
        }
        if (allocated > maxBytes) {
            throw new AssertionError("the parse allocated " + allocated + " bytes, more than the " + maxBytes
                    + " this target allows (" + (thrown == null ? "it returned" : thrown.getMessage()) + ")", thrown);
        }
        if (millis > SLOW_MILLIS) {
            throw new AssertionError("the parse took " + millis + " ms, more than " + SLOW_MILLIS, thrown);
        }
    }

    /** What one parse did: what it threw (or null), how many bytes this thread allocated, how long it took. */
    private record Outcome(Throwable thrown, long allocated, long millis) {
        static Outcome of(Parse parse) {
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            Throwable thrown = null;
            try {
                parse.run();
            } catch (Throwable t) {
                thrown = t;
            }
            return new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static boolean isUserError(Throwable thrown, Class<? extends Exception>[] userErrors) {
        String message = thrown.getMessage();
        if (message == null || message.isBlank()) {
            return false;
        }
        return Arrays.stream(userErrors).anyMatch(type -> type.isInstance(thrown));
    }

    private static String[] names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).toArray(String[]::new);
    }

    /**
     * {@code data} written to a file named {@code name} in a temporary folder of this thread, which
     * the next call with the same name overwrites.
     */
    public static Path file(String name, byte[] data) {
        try {
            return Files.write(folder().resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many bytes this thread has allocated so far (a plain test measures a parse with two calls). */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** This thread's temporary folder, for targets that need several files. */
    public static Path folder() {
        return FOLDER.get();
    }
}

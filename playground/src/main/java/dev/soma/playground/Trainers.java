package dev.soma.playground;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's trainer pool as the playing sessions see it: where a slice of training runs, and how
 * long a slice may be so that every playing session gets a turn often enough.
 *
 * <p>The playing sessions take turns on {@code threads} threads. With slices of length s and p sessions
 * playing, a session's turn comes back every p·s/threads, and its stream can send nothing new before
 * then. So the slice is {@value #ROUND_MILLIS} ms·threads/p, between {@value #MIN_SLICE_MICROS} µs and
 * {@value #MAX_SLICE_MILLIS} ms: one session alone trains in long slices (little switching), twenty on
 * one thread in 2.5 ms slices, each changing twenty times a second, which the 20-session target
 * (10 updates/s each) needs with room to spare. The stream's own cap is shorter
 * ({@link PlaygroundServer#EVENT_INTERVAL_MILLIS}), so that one session alone, changing every 10 ms,
 * reaches a page about 60 times a second.
 */
final class Trainers {

    /** How often every playing session should get a turn. */
    static final long ROUND_MILLIS = 50;
    /** The longest slice: what one session alone gets. */
    static final long MAX_SLICE_MILLIS = 10;
    /** The shortest slice, so that switching sessions does not eat the time. */
    static final long MIN_SLICE_MICROS = 500;

    private final Executor executor;
    private final int threads;
    private final AtomicInteger playing = new AtomicInteger();

    Trainers(Executor executor, int threads) {
        this.executor = executor;
        this.threads = threads;
    }

    Executor executor() {
        return executor;
    }

    /** A session started playing. */
    void started() {
        playing.incrementAndGet();
    }

    /** A session stopped playing. */
    void stopped() {
        playing.decrementAndGet();
    }

    /** The sessions playing now. */
    int playing() {
        return playing.get();
    }

    /** How long one slice may hold its session, in nanoseconds, with the sessions playing now. */
    long sliceNanos() {
        long round = ROUND_MILLIS * 1_000_000 * threads / Math.max(1, playing.get());
        return Math.max(MIN_SLICE_MICROS * 1_000, Math.min(MAX_SLICE_MILLIS * 1_000_000, round));
    }
}

package dev.soma.playground;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link Session} shared by the server's threads: a lock around it, the play/pause state, the
 * virtual thread that trains while it plays, and a change counter that event streams wait on.
 *
 * <p>While playing, a trainer thread of its own takes the lock for a slice of about {@value #SLICE_MILLIS} ms of steps
 * at a time, then lets go, so that requests and snapshots get in between slices.
 */
final class LiveSession {

    /** How long the trainer holds the lock at a time. */
    static final long SLICE_MILLIS = 20;

    final String id;
    private final Session session;
    private final ReentrantLock lock = new ReentrantLock(true); // fair: a request waiting for the lock gets it before the trainer's next slice
    private final Object changes = new Object();
    private long version;
    private volatile boolean playing;
    private volatile boolean closed;
    private Thread trainer;
    private volatile long lastSeenNanos = System.nanoTime();
    private int streams;
    private volatile String trainingError;

    LiveSession(String id, Session session) {
        this.id = id;
        this.session = session;
    }

    /** Runs {@code action} on the session under its lock, then tells the streams that it changed. */
    <T> T change(Function<Session, T> action) {
        T result = read(action);
        changed();
        return result;
    }

    /** Runs {@code action} on the session under its lock. */
    <T> T read(Function<Session, T> action) {
        touch();
        lock.lock();
        try {
            return action.apply(session);
        } finally {
            lock.unlock();
        }
    }

    boolean playing() {
        return playing;
    }

    /** The last error that stopped training (non-finite numbers, no points), or null. */
    String trainingError() {
        return trainingError;
    }

    synchronized void play() {
        if (playing || closed) {
            return;
        }
        playing = true;
        trainingError = null;
        // NOTE: a platform thread, not a virtual one. A virtual thread computing without blocking keeps
        // its carrier; with a trainer per core the server's virtual threads (requests, event streams)
        // waited for minutes. The operating system shares the cores fairly among platform threads.
        trainer = Thread.ofPlatform().daemon().name("playground-trainer-" + id).start(this::train);
        changed();
    }

    synchronized void pause() {
        playing = false;
        changed();
    }

    /** Stops training for good; the session is being freed. */
    void close() {
        closed = true;
        pause();
    }

    boolean closed() {
        return closed;
    }

    private void train() {
        while (playing && !closed) {
            long start = System.nanoTime();
            try {
                lock.lock();
                try {
                    // Steps in small batches until the slice is used.
                    do {
                        session.step(5);
                    } while (System.nanoTime() - start < SLICE_MILLIS * 1_000_000 && playing);
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException e) {
                trainingError = e.getMessage();
                playing = false;
            }
            changed();
            Thread.yield();
        }
    }

    private void changed() {
        synchronized (changes) {
            version++;
            changes.notifyAll();
        }
    }

    /** The change counter now. */
    long version() {
        synchronized (changes) {
            return version;
        }
    }

    /** Waits until the counter passes {@code seen}, at most {@code millis}; returns the counter. */
    long awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (changes) {
            while (version == seen && !closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                changes.wait(left);
            }
            return version;
        }
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    synchronized void streamOpened() {
        streams++;
        touch();
    }

    synchronized void streamClosed() {
        streams--;
        touch();
    }

    /** Whether no event stream is open and no request came for {@code idleNanos}: its client went away. */
    synchronized boolean abandoned(long idleNanos) {
        return streams == 0 && System.nanoTime() - lastSeenNanos > idleNanos;
    }
}

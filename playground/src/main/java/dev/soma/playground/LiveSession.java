package dev.soma.playground;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link Session} shared by the server's threads: a lock around it, the play/pause state, the
 * virtual thread that trains while it plays, and a change counter that event streams wait on.
 *
 * <p>While playing, the session trains in slices of steps under its lock ({@link Trainers#sliceNanos}
 * long: shorter the more sessions play, so that each gets a turn every
 * {@value Trainers#ROUND_MILLIS} ms), each slice a task of the server's trainer pool that queues the
 * next one at the back: the playing sessions take turns, and requests and snapshots get the lock
 * between slices, a slice ending early (after 5 steps) when one of them is waiting.
 */
final class LiveSession {

    final String id;
    private final Session session;
    private final ReentrantLock lock = new ReentrantLock(true); // fair: a request waiting for the lock gets it before the trainer's next slice
    private final Object changes = new Object();
    private long version;
    private volatile boolean playing;
    private volatile boolean closed;
    private final Trainers trainers;
    private boolean scheduled;
    private volatile long lastSeenNanos = System.nanoTime();
    private int streams;
    private volatile String trainingError;

    LiveSession(String id, Session session, Trainers trainers) {
        this.id = id;
        this.session = session;
        this.trainers = trainers;
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
        setPlaying(true);
        trainingError = null;
        if (!scheduled) {
            scheduled = true;
            schedule();
        }
        changed();
    }

    synchronized void pause() {
        setPlaying(false);
        changed();
    }

    /** Sets the play state and keeps the pool's count of playing sessions in step with it. */
    private synchronized void setPlaying(boolean now) {
        if (now != playing) {
            playing = now;
            if (now) {
                trainers.started();
            } else {
                trainers.stopped();
            }
        }
    }

    private void schedule() {
        try {
            trainers.executor().execute(this::slice);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false; // the server is closing
                setPlaying(false);
            }
        }
    }

    /** Stops training for good; the session is being freed. */
    void close() {
        closed = true;
        pause();
    }

    boolean closed() {
        return closed;
    }

    /** One slice of training, then the next slice at the back of the queue while playing. */
    private void slice() {
        synchronized (this) {
            if (!playing || closed) {
                scheduled = false;
                return;
            }
        }
        long start = System.nanoTime();
        long slice = trainers.sliceNanos();
        try {
            lock.lock();
            try {
                // The slice ends early when a snapshot or a request waits for the lock: it waits for 5 steps
                // (tens of µs), not up to a whole slice, and the trainer thread moves on to the next
                // playing session instead of blocking behind it.
                do {
                    session.step(5);
                } while (System.nanoTime() - start < slice && playing && !lock.hasQueuedThreads());
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            trainingError = e.getMessage();
            setPlaying(false);
        }
        changed();
        schedule();
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

package dev.soma.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Batches built one ahead on a background thread: while the caller works on batch k, a daemon thread
 * builds batch k + 1 and waits to hand it over (a {@link SynchronousQueue}: nothing piles up). The
 * batches and their order are those of {@code build(0)}, {@code build(1)}, …; an exception thrown
 * building one is rethrown by {@link #next()} in the caller.
 *
 * <p>An iteration abandoned early (a {@code break} out of a for-each loop) stops its thread: when the
 * iterator becomes unreachable, a {@link Cleaner} interrupts the thread, which is waiting in the
 * hand-off; {@link #close()} does the same at once.
 */
final class Prefetcher implements Iterator<Batch>, AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Worker worker;
    private final Cleaner.Cleanable cleanable;
    private final int count;
    private int taken;

    /** Starts building {@code build(0)} to {@code build(count - 1)} in the background. */
    Prefetcher(int count, IntFunction<Batch> build) {
        this.count = count;
        this.worker = new Worker(count, build);
        Thread thread = Thread.ofPlatform().daemon(true).name("soma-prefetch-" + THREADS.incrementAndGet())
                .unstarted(worker);
        worker.thread = thread;
        this.cleanable = CLEANER.register(this, worker::stop); // worker holds no reference back to this
        thread.start();
    }

    @Override
    public boolean hasNext() {
        return taken < count;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object item;
        try {
            item = worker.handOff.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + taken, e);
        }
        taken++;
        if (item instanceof Failure(Throwable error)) {
            taken = count;
            close();
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            throw new IllegalStateException("DataLoader: building batch " + (taken - 1) + " failed", error);
        }
        return (Batch) item;
    }

    /** Stops the background thread; the remaining batches are not built. */
    @Override
    public void close() {
        taken = count;
        cleanable.clean();
    }

    /** The background thread (for tests). */
    Thread thread() {
        return worker.thread;
    }

    /** An exception thrown while building a batch, carried to the caller. */
    private record Failure(Throwable error) {
    }

    private static final class Worker implements Runnable {
        final SynchronousQueue<Object> handOff = new SynchronousQueue<>();
        final int count;
        final IntFunction<Batch> build;
        volatile Thread thread;

        Worker(int count, IntFunction<Batch> build) {
            this.count = count;
            this.build = build;
        }

        @Override
        public void run() {
            try {
                for (int k = 0; k < count; k++) {
                    Object item;
                    try {
                        item = build.apply(k);
                    } catch (Throwable e) {
                        item = new Failure(e);
                    }
                    handOff.put(item);
                    if (item instanceof Failure) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // abandoned: the iterator was closed or collected
            }
        }

        void stop() {
            thread.interrupt();
        }
    }
}

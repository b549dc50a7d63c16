package dev.soma.tensor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * {@link Workers} on persistent threads that share work (a matrix product, a convolution's chunks)
 * with the calling thread.
 *
 * <p>A product of 2·128³ flops takes about 15 µs on one core; handing half of it to an executor
 * costs tens of microseconds, more than it saves. So each worker, once its part is done, spins on a
 * volatile sequence number for {@link Tuning#WORKER_SPIN_NANOS} before it parks: products that follow
 * each other closely (a training step's layers) are picked up within a fraction of a microsecond,
 * and an idle worker sleeps.
 *
 * <p>Parts are claimed, not assigned: the caller and the woken workers take the next unclaimed part
 * until none is left. So a worker that is slow to wake (parked, or its core busy with another
 * process) costs nothing but its share of the speed-up: the caller computes the parts nobody took,
 * then waits (briefly spinning, then parked) only for parts already under way.
 *
 * <p>One caller at a time owns the workers; a thread that finds them busy (or calls from a worker)
 * computes all its parts itself. With one thread ({@code SOMA_THREADS=1}) there are no workers.
 */
final class PersistentWorkers implements Workers {

    private final Worker[] workers;
    private final AtomicBoolean owned = new AtomicBoolean();

    /** {@code threads - 1} workers, started on first use; {@code threads} counts the caller. */
    PersistentWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        workers = new Worker[threads - 1];
    }

    /** The threads work may be split over, the caller included. */
    @Override
    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code part.accept(i)} once for each i in {@code [0, parts)}, on the calling thread and on
     * workers that are free; more parts than threads balance the load, each thread claiming the next
     * part when it is done with one. Returns when every part is done; then rethrows the failure of the
     * lowest failed part, the others suppressed in it.
     */
    @Override
    public void run(int parts, IntConsumer part) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        }
        if (parts == 1 || workers.length == 0 || Thread.currentThread() instanceof Worker
                || !owned.compareAndSet(false, true)) {
            for (int i = 0; i < parts; i++) {
                part.accept(i);
            }
            return;
        }
        try {
            var job = new Job(part, parts);
            for (int i = 0; i < Math.min(parts - 1, workers.length); i++) {
                worker(i).post(job);
            }
            job.work();
            job.await();
            job.rethrow();
        } finally {
            owned.set(false);
        }
    }

    private Worker worker(int index) {
        Worker worker = workers[index];
        if (worker == null) {
            worker = new Worker("soma-worker-" + (index + 1));
            worker.start();
            workers[index] = worker;
        }
        return worker;
    }

    /** One call's parts: claimed one at a time by whichever thread gets there first. */
    private static final class Job {
        private final IntConsumer part;
        private final int parts;
        private final AtomicInteger claimed = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final Throwable[] failures;
        /** The caller, once it parks to wait for the workers' parts. */
        private volatile Thread waiter;

        Job(IntConsumer part, int parts) {
            this.part = part;
            this.parts = parts;
            this.failures = new Throwable[parts];
        }

        /** Runs unclaimed parts until none is left. */
        void work() {
            for (int i = claimed.getAndIncrement(); i < parts; i = claimed.getAndIncrement()) {
                try {
                    part.accept(i);
                } catch (Throwable e) {
                    failures[i] = e; // published by the increment below
                }
                if (finished.incrementAndGet() == parts) {
                    Thread thread = waiter;
                    if (thread != null) {
                        LockSupport.unpark(thread);
                    }
                }
            }
        }

        /** Waits until every part is finished. */
        void await() {
            long deadline = System.nanoTime() + Tuning.AWAIT_SPIN_NANOS;
            while (finished.get() < parts) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    while (finished.get() < parts) { // re-read after announcing the wait: no lost wake-up
                        LockSupport.park(this);
                    }
                }
            }
        }

        void rethrow() {
            Throwable first = null;
            for (Throwable failure : failures) {
                if (first == null) {
                    first = failure;
                } else if (failure != null) {
                    first.addSuppressed(failure);
                }
            }
            if (first instanceof RuntimeException e) {
                throw e;
            } else if (first instanceof Error e) {
                throw e;
            } else if (first != null) {
                throw new IllegalStateException(first);
            }
        }
    }

    /** One daemon thread that helps with the jobs posted to it. */
    private static final class Worker extends Thread {
        /** Jobs posted so far; the worker has work while it has seen fewer. */
        private volatile long posted;
        /** Set while the worker is parked or about to park, so that {@link #post} unparks it. */
        private volatile boolean sleeping;
        /** The latest job, published by the volatile write of {@link #posted}. */
        private Job job;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void post(Job job) {
            this.job = job;
            posted = posted + 1; // only the owning caller posts
            if (sleeping) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long deadline = System.nanoTime() + Tuning.WORKER_SPIN_NANOS;
                while (posted == seen) {
                    if (System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    } else {
                        sleeping = true;
                        while (posted == seen) { // re-read after announcing sleep: no lost wake-up
                            LockSupport.park(this);
                        }
                        sleeping = false;
                    }
                }
                seen = posted;
                Job next = job;
                next.work();
            }
        }
    }
}

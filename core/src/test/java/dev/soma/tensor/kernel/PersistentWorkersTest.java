package dev.soma.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@link PersistentWorkers} on its own: every part once, on the workers too, failures, parking. */
class PersistentWorkersTest {


    @Test
    void workersRunEveryPartExactlyOnce() {
        var workers = new PersistentWorkers(3);
        for (int round = 0; round < 300; round++) {
            int parts = 1 + round % 7; // fewer, as many and more parts than threads
            var runs = new AtomicInteger[parts];
            Arrays.setAll(runs, i -> new AtomicInteger());
            workers.run(parts, part -> runs[part].incrementAndGet());
            for (int i = 0; i < parts; i++) {
                assertEquals(1, runs[i].get(), "part " + i + " of " + parts + ", round " + round);
            }
        }
    }

    @Test
    void partsRunOnTheWorkersToo() {
        var workers = new PersistentWorkers(2);
        var threads = ConcurrentHashMap.<Thread>newKeySet();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (threads.size() < 2 && System.nanoTime() < deadline) {
            workers.run(2, part -> {
                threads.add(Thread.currentThread());
                LockSupport.parkNanos(2_000_000); // slow enough parts that the caller cannot take both
            });
        }
        assertEquals(2, threads.size(), "threads that ran parts: " + threads);
    }

    @Test
    void oneThreadMeansNoWorkers() {
        var workers = new PersistentWorkers(1);
        assertEquals(1, workers.threads());
        var thread = new Thread[1];
        workers.run(1, part -> thread[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), thread[0]);
        var runs = new AtomicInteger();
        workers.run(3, part -> runs.incrementAndGet()); // more parts than threads: all on the caller
        assertEquals(3, runs.get());
        assertThrows(IllegalArgumentException.class, () -> workers.run(0, part -> { }));
        assertThrows(IllegalArgumentException.class, () -> new PersistentWorkers(0));
    }

    @Test
    void aWorkersFailureIsRethrownAndTheWorkersStayUsable() {
        var workers = new PersistentWorkers(2);
        var thrown = assertThrows(IllegalStateException.class, () -> workers.run(2, part -> {
            if (part == 1) {
                throw new IllegalStateException("part 1");
            }
        }));
        assertEquals("part 1", thrown.getMessage());
        var lowestFirst = assertThrows(IllegalArgumentException.class, () -> workers.run(2, part -> {
            throw part == 0 ? new IllegalArgumentException("part 0") : new IllegalStateException("part 1");
        }));
        assertEquals("part 0", lowestFirst.getMessage());
        assertEquals("part 1", lowestFirst.getSuppressed()[0].getMessage());
        var count = new AtomicInteger();
        workers.run(2, part -> count.incrementAndGet());
        assertEquals(2, count.get());
    }

    @Test
    void workersWakeUpAfterParking() throws InterruptedException {
        var workers = new PersistentWorkers(2);
        var count = new AtomicInteger();
        workers.run(2, part -> count.incrementAndGet());
        Thread.sleep(Tuning.WORKER_SPIN_NANOS / 1_000_000 + 20); // long enough for the worker to park
        workers.run(2, part -> count.incrementAndGet());
        assertEquals(4, count.get());
    }
}

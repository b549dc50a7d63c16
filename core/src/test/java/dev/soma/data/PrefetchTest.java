package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DataLoader} with prefetch: the same batches as without, errors carried over, no thread left behind. */
@Timeout(30)
class PrefetchTest {

    /** n examples, input row i = (i, -i), target i; records the thread that builds each batch. */
    private static final class Recording implements Dataset {
        final int n;
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        final int failAt;

        Recording(int n, int failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Batch batch(int[] indices) {
            threads.add(Thread.currentThread().getName());
            float[] inputs = new float[2 * indices.length];
            float[] targets = new float[indices.length];
            for (int r = 0; r < indices.length; r++) {
                if (indices[r] == failAt) {
                    throw new IllegalStateException("example " + failAt + " is broken");
                }
                inputs[2 * r] = indices[r];
                inputs[2 * r + 1] = -indices[r];
                targets[r] = indices[r];
            }
            return new Batch(Tensor.of(inputs, indices.length, 2), Tensor.of(targets, indices.length));
        }
    }

    private static List<float[]> epoch(Iterable<Batch> loader) {
        List<float[]> batches = new ArrayList<>();
        for (Batch batch : loader) {
            batches.add(batch.inputs().toArray());
        }
        return batches;
    }

    @Test
    void prefetchGivesTheSameBatchesAsWithout() {
        for (boolean dropLast : new boolean[] {false, true}) {
            for (boolean shuffle : new boolean[] {false, true}) {
                DataLoader plain = DataLoader.builder(new Recording(23, -1)).batchSize(5).shuffle(shuffle)
                        .dropLast(dropLast).generator(new Generator(11)).build();
                Recording recording = new Recording(23, -1);
                DataLoader ahead = DataLoader.builder(recording).batchSize(5).shuffle(shuffle).dropLast(dropLast)
                        .generator(new Generator(11)).prefetch(true).build();
                assertTrue(ahead.prefetch());
                assertFalse(plain.prefetch());
                for (int pass = 0; pass < 3; pass++) {
                    List<float[]> expected = epoch(plain);
                    List<float[]> actual = epoch(ahead);
                    assertEquals(expected.size(), actual.size());
                    for (int b = 0; b < expected.size(); b++) {
                        assertArrayEquals(expected.get(b), actual.get(b), "pass " + pass + ", batch " + b);
                    }
                }
                String caller = Thread.currentThread().getName();
                assertTrue(recording.threads.stream().noneMatch(caller::equals), "a batch was built in the caller");
            }
        }
    }

    @Test
    void theNextBatchIsBuiltWhileTheCallerWorks() throws InterruptedException {
        CountDownLatch secondBuilt = new CountDownLatch(2);
        Dataset counting = new Dataset() {
            @Override
            public int size() {
                return 6;
            }

            @Override
            public Batch batch(int[] indices) {
                secondBuilt.countDown();
                return new Batch(Tensor.zeros(indices.length, 1), Tensor.zeros(indices.length));
            }
        };
        Iterator<Batch> iterator = DataLoader.builder(counting).batchSize(2).prefetch(true).build().iterator();
        iterator.next();
        // The caller holds batch 0 and asks for nothing; batch 1 is built meanwhile.
        assertTrue(secondBuilt.await(10, TimeUnit.SECONDS), "batch 1 was not built ahead");
        assertEquals(2, iterator.next().size());
        assertEquals(2, iterator.next().size());
        assertFalse(iterator.hasNext());
        assertThrows(NoSuchElementException.class, iterator::next);
    }

    @Test
    void anExceptionInTheBackgroundIsRethrownInTheCaller() throws InterruptedException {
        DataLoader loader = DataLoader.builder(new Recording(10, 7)).batchSize(3).prefetch(true).build();
        Iterator<Batch> iterator = loader.iterator();
        Thread worker = ((Prefetcher) iterator).thread();
        assertEquals(3, iterator.next().size());
        assertEquals(3, iterator.next().size());
        IllegalStateException error = assertThrows(IllegalStateException.class, iterator::next);
        assertEquals("example 7 is broken", error.getMessage());
        assertFalse(iterator.hasNext(), "the iteration goes on after a failure");
        worker.join(10_000);
        assertFalse(worker.isAlive());
        // The same failure without prefetch, for comparison.
        DataLoader plain = new DataLoader(new Recording(10, 7), 3);
        assertEquals("example 7 is broken", assertThrows(IllegalStateException.class, () -> epoch(plain)).getMessage());
    }

    @Test
    void anErrorKeepsItsType() {
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public Batch batch(int[] indices) {
                throw new OutOfMemoryError("pretend");
            }
        };
        Iterator<Batch> iterator = DataLoader.builder(failing).batchSize(1).prefetch(true).build().iterator();
        assertSame(OutOfMemoryError.class, assertThrows(OutOfMemoryError.class, iterator::next).getClass());
    }

    @Test
    void aFinishedIterationLeavesNoThread() throws InterruptedException {
        Iterator<Batch> iterator = DataLoader.builder(new Recording(10, -1)).batchSize(4).prefetch(true).build().iterator();
        Thread worker = ((Prefetcher) iterator).thread();
        assertTrue(worker.isDaemon());
        while (iterator.hasNext()) {
            iterator.next();
        }
        worker.join(10_000);
        assertFalse(worker.isAlive());
    }

    @Test
    void closingAPartialIterationStopsTheThread() throws Exception {
        Iterator<Batch> iterator = DataLoader.builder(new Recording(100, -1)).batchSize(4).shuffle(true)
                .generator(new Generator(0)).prefetch(true).build().iterator();
        Thread worker = ((Prefetcher) iterator).thread();
        iterator.next();
        assertInstanceOf(AutoCloseable.class, iterator);
        ((AutoCloseable) iterator).close();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the worker outlived close()");
        assertFalse(iterator.hasNext());
    }

    @Test
    void anAbandonedIterationLeavesNoLiveThread() throws InterruptedException {
        Thread worker = abandon();
        // Nothing refers to the iterator now: once it is collected, its thread must end.
        for (int attempt = 0; attempt < 100 && worker.isAlive(); attempt++) {
            System.gc();
            worker.join(100);
        }
        assertFalse(worker.isAlive(), "the prefetch thread of an abandoned iteration is still alive");
    }

    /** Breaks out of a for-each loop after two of 25 batches; returns the loop's background thread. */
    private static Thread abandon() {
        DataLoader loader = DataLoader.builder(new Recording(100, -1)).batchSize(4).shuffle(true)
                .generator(new Generator(3)).prefetch(true).build();
        Iterator<Batch> iterator = loader.iterator();
        Thread worker = ((Prefetcher) iterator).thread();
        int seen = 0;
        while (iterator.hasNext()) {
            iterator.next();
            if (++seen == 2) {
                break;
            }
        }
        assertNotEquals(Thread.State.TERMINATED, worker.getState(), "the worker should still wait to hand over");
        return worker;
    }

    @Test
    void anEmptyLoaderStartsNoThread() {
        DataLoader loader = DataLoader.builder(new Recording(0, -1)).batchSize(4).shuffle(true)
                .generator(new Generator(0)).prefetch(true).build();
        Iterator<Batch> iterator = loader.iterator();
        assertFalse(iterator instanceof Prefetcher);
        assertFalse(iterator.hasNext());
    }
}

package dev.soma.data;

import dev.soma.tensor.Generator;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * Mini-batches of a dataset, one pass per iteration, as PyTorch's {@code DataLoader}: with shuffling,
 * each pass visits the examples in a fresh order drawn from the seeded generator (Fisher–Yates), so
 * the same seed gives the same batches; with {@code dropLast}, a final partial batch is skipped.
 *
 * <p>With {@code prefetch}, a background daemon thread builds batch k + 1 while the caller trains on
 * batch k (PyTorch's {@code num_workers=1}): the batches, their order and the shuffling are the same
 * as without it, since the order is drawn in the caller's thread; an exception thrown building a batch
 * is rethrown by {@code next()}. Only the dataset's {@link Dataset#batch} runs in the background, so it
 * must tolerate being called from another thread (reading immutable data is enough).
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final boolean prefetch;

    /** Batches of {@code batchSize}, built in the caller's thread. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
        this(dataset, batchSize, shuffle, dropLast, generator, false);
    }

    /** Batches of {@code batchSize}; with {@code prefetch}, each built one ahead on a background thread. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator,
            boolean prefetch) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be > 0, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.generator = generator;
        this.prefetch = prefetch;
    }

    /** In order, keeping the last partial batch. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, false, false, new Generator(0));
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Whether batches are built one ahead on a background thread. */
    public boolean prefetch() {
        return prefetch;
    }

    /** The number of batches in one pass. */
    public int batches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** A random permutation of {@code 0..n-1} by Fisher–Yates from {@code generator}. */
    public static int[] permutation(int n, Generator generator) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        int[] order;
        if (shuffle) {
            order = permutation(n, generator);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        int count = batches();
        IntFunction<Batch> build = k -> dataset.batch(Arrays.copyOfRange(order, k * batchSize,
                (int) Math.min((long) (k + 1) * batchSize, n)));
        if (prefetch && count > 0) {
            return new Prefetcher(count, build);
        }
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return build.apply(next++);
            }
        };
    }
}

package dev.soma.data;

import dev.soma.tensor.Generator;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Mini-batches of a dataset, one pass per iteration, as PyTorch's {@code DataLoader}: with shuffling,
 * each pass visits the examples in a fresh order drawn from the seeded generator
 * ({@link Generator#permutation}), so the same seed gives the same batches; with {@code dropLast}, a
 * final partial batch is skipped.
 *
 * <p>With {@code prefetch}, a background daemon thread builds batch k + 1 while the caller trains on
 * batch k (PyTorch's {@code num_workers=1}): the batches, their order and the shuffling are the same
 * as without it, since the order is drawn in the caller's thread; an exception thrown building a batch
 * is rethrown by {@code next()}. Only the dataset's {@link Dataset#batch} runs in the background, so it
 * must tolerate being called from another thread (reading immutable data is enough).
 *
 * <p>The common cases have constructors; the rest is named, as PyTorch's keyword arguments are:
 *
 * <pre>{@code
 * new DataLoader(test, 256)                        // DataLoader(test, batch_size=256)
 * new DataLoader(train, 64, true, g)               // DataLoader(train, batch_size=64, shuffle=True, generator=g)
 * DataLoader.builder(train).batchSize(64).shuffle(true).generator(g).dropLast(true).prefetch(true).build()
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final boolean prefetch;

    /** In order, keeping the last partial batch. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(builder(dataset).batchSize(batchSize));
    }

    /** Batches of {@code batchSize}, in a fresh order each pass when {@code shuffle}, drawn from {@code generator}. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, Generator generator) {
        this(builder(dataset).batchSize(batchSize).shuffle(shuffle).generator(generator));
    }

    private DataLoader(Builder options) {
        if (options.batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be > 0, got " + options.batchSize);
        }
        this.dataset = options.dataset;
        this.batchSize = options.batchSize;
        this.shuffle = options.shuffle;
        this.dropLast = options.dropLast;
        this.generator = options.generator;
        this.prefetch = options.prefetch;
    }

    /**
     * Starts a loader of {@code dataset} with PyTorch's defaults: batches of 1, in order, the last
     * partial batch kept, built in the caller's thread.
     */
    public static Builder builder(Dataset dataset) {
        return new Builder(Objects.requireNonNull(dataset, "DataLoader: dataset is null"));
    }

    /** The options of a {@link DataLoader}, each named; unset ones keep PyTorch's defaults. */
    // NOTE: its setters have the shape of the optimizers' builders (SGD, Adam, RMSprop): one named
    // option each, which is the point of a builder; there is no logic in them to share.
    public static final class Builder {

        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator = Generator.global();
        private boolean prefetch;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        /** Examples per batch (default 1). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each pass visits the examples in a fresh random order (default false). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether a final partial batch is skipped (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Where the shuffled orders are drawn from (default {@link Generator#global()}). */
        public Builder generator(Generator generator) {
            this.generator = Objects.requireNonNull(generator, "DataLoader: generator is null");
            return this;
        }

        /** Whether each batch is built one ahead on a background thread (default false). */
        public Builder prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
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

    /** Where the shuffled orders are drawn from. */
    public Generator generator() {
        return generator;
    }

    @Override
    public Iterator<Batch> iterator() {
        return iterator(0);
    }

    /**
     * One pass that starts at batch {@code first} (0-based) instead of the first: the order is drawn
     * exactly as {@link #iterator()} draws it, then the batches before {@code first} are skipped
     * without being built. A run resumed in the middle of an epoch sets the generator back to its
     * state at the epoch's start ({@link Generator#setState}) and asks for the batches it had not
     * trained on yet, in the same order.
     *
     * @param first 0 to {@link #batches()}; at {@link #batches()} the pass is empty (the order is still drawn)
     */
    public Iterator<Batch> iterator(int first) {
        int[][] positions = positions(first);
        IntFunction<Batch> build = k -> dataset.batch(positions[k]);
        int left = positions.length;
        if (prefetch && left > 0) {
            return new Prefetcher(left, build);
        }
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < left;
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

    /**
     * The positions in the dataset of the examples of each batch of one pass from batch {@code first}
     * on, without building the batches: the order is drawn from the generator exactly as
     * {@link #iterator(int)} draws it (which builds its batches from these). A trainer that holds the
     * examples elsewhere (soma-spark's, on a cluster's executors) takes the same batches this way.
     *
     * @param first 0 to {@link #batches()}
     */
    public int[][] positions(int first) {
        int count = batches();
        if (first < 0 || first > count) {
            throw new IllegalArgumentException("DataLoader: first batch must be in [0, " + count + "], got " + first);
        }
        int n = dataset.size();
        int[] order;
        if (shuffle) {
            order = generator.permutation(n);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        int[][] batches = new int[count - first][];
        for (int k = 0; k < batches.length; k++) {
            int from = (first + k) * batchSize;
            batches[k] = Arrays.copyOfRange(order, from, (int) Math.min((long) from + batchSize, n));
        }
        return batches;
    }
}

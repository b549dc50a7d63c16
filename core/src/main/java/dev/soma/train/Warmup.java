package dev.soma.train;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Training steps of a stand-in, on random data, on a background thread: started before a run loads
 * its data, closed when the run starts, so that the JIT has compiled the run's kernels, with the
 * run's own shapes and code paths, by the time the real steps begin.
 *
 * <p>Until C2 compiles a vector kernel, every vector operation in it runs the Vector API's Java
 * fallback, tens of times slower; a run's first epoch waits for that (docs/PERFORMANCE.md, "The first
 * epoch"). Loading Fashion-MNIST keeps one core busy for about a second with nothing to compile, so
 * the stand-in's steps use the other one. The stand-in is a separate model, optimizer and data (its
 * own seeds): the run's results are the same bits with or without it. It shares only the kernels and
 * the worker threads, which a second caller uses one at a time ({@code Workers}).
 *
 * <pre>{@code
 * try (var warmup = Warmup.start(() -> new Trainer(spec.build(new Generator(1)), ...), new int[] {1, 28, 28}, 10, 64)) {
 *     data = load();
 * }   // the stand-in stops after its current step
 * }</pre>
 */
public final class Warmup implements AutoCloseable {

    /** At most this many steps: a stand-in never closed stops by itself. */
    static final int MAX_STEPS = 400;

    private final Thread thread;
    private volatile boolean stop;
    private volatile int steps;

    private Warmup(Supplier<Trainer> trainer, int[] sampleShape, int classes, int batchSize) {
        thread = Thread.ofPlatform().daemon().name("soma-warmup").unstarted(() -> {
            try {
                run(trainer, sampleShape, classes, batchSize);
            } catch (RuntimeException | StackOverflowError e) {
                // NOTE: dropped on purpose: the stand-in only warms the JIT; the run itself reports its own errors
            }
        });
    }

    /**
     * Whether the commands start a warm-up: only with {@code -Dsoma.warmup=on} (or {@code SOMA_WARMUP=on}).
     * Off by default: under load the stand-in slowed the loading it ran beside by more than it saved
     * (docs/PERFORMANCE.md, "The first epoch"); a quiet machine's figure is still to be taken.
     */
    public static boolean enabled() {
        String setting = System.getProperty("soma.warmup", System.getenv().getOrDefault("SOMA_WARMUP", "off"));
        return setting.equals("on");
    }

    /**
     * Starts training {@code trainer.get()} (built on the background thread) on {@code batchSize}
     * random samples of {@code sampleShape} with labels in {@code [0, classes)}, step after step,
     * until {@link #close()} or {@link #MAX_STEPS}. Callers ask {@link #enabled()} first.
     */
    public static Warmup start(Supplier<Trainer> trainer, int[] sampleShape, int classes, int batchSize) {
        Objects.requireNonNull(trainer, "trainer");
        if (classes < 1 || batchSize < 1) {
            throw new IllegalArgumentException("warm-up needs classes >= 1 and batchSize >= 1, got " + classes + ", "
                    + batchSize);
        }
        var warmup = new Warmup(trainer, sampleShape.clone(), classes, batchSize);
        warmup.thread.start();
        return warmup;
    }

    private void run(Supplier<Trainer> trainerFactory, int[] sampleShape, int classes, int batchSize) {
        var generator = new Generator(0x5EED);
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = batchSize;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        var data = new TensorDataset(Tensor.randn(generator, shape), Tensor.randint(generator, 0, classes, batchSize));
        var loader = DataLoader.builder(data).batchSize(batchSize).build();
        Trainer trainer = trainerFactory.get().stopWhen(() -> stop || steps >= MAX_STEPS)
                .callback(new Callback() {
                    @Override
                    public void onBatchEnd(BatchEnd event) {
                        steps++;
                    }
                });
        while (!stop && steps < MAX_STEPS) {
            trainer.fit(loader, null, 1);
        }
    }

    /** The steps the stand-in has taken so far. */
    public int steps() {
        return steps;
    }

    /** Waits for the stand-in's thread to end (tests). */
    void awaitEnd() throws InterruptedException {
        thread.join();
    }

    /**
     * Tells the stand-in to stop after its current step, without waiting for it: the first step of a
     * cold JVM can take seconds, and the run's own steps need not wait for it (the stand-in shares
     * no state with them). A failure in it is dropped: it only warms.
     */
    @Override
    public void close() {
        stop = true;
    }
}

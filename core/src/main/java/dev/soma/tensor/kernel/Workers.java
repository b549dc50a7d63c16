package dev.soma.tensor.kernel;

import java.util.function.IntConsumer;

/**
 * The threads that run the parts of one piece of work at once: a large matrix product's blocks, a
 * convolution's chunks, pooling's planes, Adam's slices. Not arithmetic, so not part of
 * {@link Kernels}; chosen with them, once per JVM ({@link #active()}), so that the matrix product and
 * the ops above it share one set of persistent threads and the cores never have two pools competing
 * for them.
 *
 * <p>Determinism is the callers' part of the contract: a caller fixes its split into parts by the
 * sizes alone (never by which threads are free) and makes each part write its own outputs, so which
 * thread runs a part never changes a result. Shares that must be added up are added in a fixed order
 * after {@link #run} returns.
 */
public interface Workers {

    /** How many parts run at once: the caller and the worker threads (1 when there are none). */
    int threads();

    /**
     * Runs {@code part.accept(i)} once for each i in {@code [0, parts)}, on the calling thread and on
     * idle workers, and returns when all are done; then rethrows the failure of the lowest failed
     * part. More parts than {@link #threads()} balance the load (each thread claims the next part).
     * Work run inside a part, including a nested {@code run}, stays on that part's thread.
     *
     * @throws IllegalArgumentException if {@code parts < 1}
     */
    void run(int parts, IntConsumer part);

    /** The workers chosen for this JVM, alongside {@link Kernels#active()}; see {@link KernelProvider}. */
    static Workers active() {
        return KernelProvider.ACTIVE.workers();
    }
}

package dev.soma.spark;

import dev.soma.io.ModelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The models an executor JVM has loaded, kept between tasks, keyed by the broadcast that carries the
 * model file (the application's id and the broadcast's id, since a JVM running Spark locally may see
 * several applications whose broadcast ids both start at 0).
 *
 * <p>A task {@link #take}s a model and {@link #give}s it back when the partition is done. A model is
 * used by one task at a time (a layer's forward keeps no state in eval mode, but nothing promises that
 * for every layer a user registers), so an executor loads a model at most once per task that runs at
 * the same time, not once per partition: with 2 cores and 100 partitions, 2 loads. The cache keeps
 * the models of the {@value #KEYS} most recent broadcasts.
 */
final class ModelCache {

    /** How many broadcasts' models are kept. */
    static final int KEYS = 4;

    private static final Map<String, Deque<ModelFile>> IDLE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<ModelFile>> eldest) {
            return size() > KEYS;
        }
    };
    private static final AtomicLong LOADS = new AtomicLong();

    private ModelCache() {
    }

    /**
     * An idle model of {@code key}, or one loaded from {@code file} (the model file's bytes, fetched
     * only when a load is needed).
     */
    static ModelFile take(String key, Supplier<byte[]> file) {
        synchronized (IDLE) {
            Deque<ModelFile> idle = IDLE.get(key);
            if (idle != null && !idle.isEmpty()) {
                return idle.pop();
            }
        }
        LOADS.incrementAndGet();
        return load(file.get());
    }

    /** Returns {@code model}, taken for {@code key}, for the next task. */
    static void give(String key, ModelFile model) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(model);
        }
    }

    /** How many models this JVM has loaded (for tests). */
    static long loads() {
        return LOADS.get();
    }

    /** The model in {@code bytes}, a model file's contents: {@link ModelFile#load} reads a path. */
    static ModelFile load(byte[] bytes) {
        try {
            Path file = Files.createTempFile("soma-model-", ".safetensors");
            try {
                Files.write(file, bytes);
                return ModelFile.load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.soma.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.soma.testing.Fuzzing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzz targets of the file formats of {@code dev.soma.io}: safetensors (header and tensors), model
 * files, and model specs (JSON). Any input gives a result or a {@link FileFormatException}
 * (an {@link IllegalArgumentException} for a spec given as text), and memory stays within what the
 * file really holds: a header or spec that declares 2⁶² elements is refused before allocating. The
 * corpus is in {@code SafetensorsFuzzTestInputs/<method>/}; docs/RELIABILITY.md says how to fuzz.
 */
class SafetensorsFuzzTest {

    /** 64 MB: the inputs a fuzzer makes are a few kB, and a parser allocates about what it reads. */
    private static final long MAX_BYTES = 64L << 20;

    /** The bytes as a safetensors file, read whole: header, then every tensor. */
    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] data) {
        Path file = Fuzzing.file("tensors.safetensors", data);
        Fuzzing.expect(MAX_BYTES, () -> Safetensors.read(file), FileFormatException.class);
    }

    /** The bytes as a model file: safetensors, its {@code soma.spec} rebuilt and the weights loaded. */
    @FuzzTest(maxDuration = "10m")
    void modelFile(byte[] data) {
        Path file = Fuzzing.file("model.safetensors", data);
        Fuzzing.expect(MAX_BYTES, () -> ModelFile.load(file), FileFormatException.class);
    }

    /**
     * The text as a model spec: parsed ({@link ModelSpecJson#fromJson}), then as the {@code soma.spec}
     * of a model file that holds no weights, which {@link ModelFile#load} must refuse from the spec's
     * shapes, without building a network of the size the spec asks for.
     */
    @FuzzTest(maxDuration = "10m")
    void modelSpec(byte[] data) throws Exception {
        String json = new String(data, StandardCharsets.UTF_8);
        Fuzzing.expect(MAX_BYTES, () -> ModelSpecJson.fromJson(json), IllegalArgumentException.class);
        Path file = Fuzzing.file("spec.safetensors", new byte[0]); // a file Fuzzing deletes on exit
        Safetensors.write(file, Map.of(), Map.of(ModelFile.SPEC_KEY, json));
        Fuzzing.expect(MAX_BYTES, () -> ModelFile.load(file), FileFormatException.class);
    }
}

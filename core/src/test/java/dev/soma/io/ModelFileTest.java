package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.BatchNorm1d;
import dev.soma.nn.Dropout;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.testing.Fuzzing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model saved with its spec and classes comes back whole, computing exactly the same outputs. */
class ModelFileTest {

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    private static float[] outputs(Sequential model, Tensor batch) {
        try (NoGrad scope = NoGrad.enter()) {
            return model.forward(batch).toArray();
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws IOException {
        ModelSpec spec = Models.forMnist("cnn");
        Sequential model = spec.build(new Generator(42)); // load rebuilds from another seed: weights must come from the file
        model.eval();
        Tensor batch = Tensor.rand(new Generator(7), 4, 1, 28, 28);
        Path file = dir.resolve("cnn.safetensors");
        ModelFile.save(file, model, spec, DIGITS, Map.of("soma.dataset", "mnist", "soma.epochs", "3"));

        ModelFile loaded = ModelFile.load(file);
        assertArrayEquals(outputs(model, batch), outputs((Sequential) loaded.model(), batch));
        assertEquals(spec, loaded.spec());
        assertEquals(DIGITS, loaded.classNames());
        assertFalse(loaded.model().isTraining(), "loaded for inference");
        assertEquals("mnist", loaded.metadata().get("soma.dataset"));
        assertEquals("3", loaded.metadata().get("soma.epochs"));
        assertEquals(ModelSpecJson.toJson(spec), loaded.metadata().get(ModelFile.SPEC_KEY));
        assertEquals("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", loaded.metadata().get(ModelFile.CLASSES_KEY));
        assertTrue(loaded.metadata().containsKey(ModelFile.VERSION_KEY));
    }

    @Test
    void theFileIsPlainSafetensorsWithPyTorchsNames() throws IOException {
        ModelSpec spec = Models.forMnist("mlp");
        Path file = dir.resolve("mlp.safetensors");
        ModelFile.save(file, spec.build(new Generator(1)), spec, List.of(), Map.of(ModelFile.VERSION_KEY, "9.9.9"));
        SafetensorsHeader header = Safetensors.readHeader(file);
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                List.copyOf(header.tensors().keySet()));
        assertTrue(header.tensors().values().stream().allMatch(t -> t.dtype().equals("F32")));
        assertArrayEquals(new int[] {256, 784}, header.tensors().get("1.weight").shape());
        assertEquals("9.9.9", header.metadata().get(ModelFile.VERSION_KEY), "the caller's version wins");
        assertEquals("[]", header.metadata().get(ModelFile.CLASSES_KEY));
        assertEquals(List.of(), ModelFile.load(file).classNames());
    }

    @Test
    void savesBuffersSuchAsRunningStatistics() throws IOException {
        ModelSpec spec = new ModelSpec(new int[] {3}, List.of(new Linear.Spec(3, 4),
                new BatchNorm1d.Spec(4), ReLU.SPEC, new Dropout.Spec(0.5f),
                new Linear.Spec(4, 1)));
        Sequential model = spec.build(new Generator(3));
        try (NoGrad scope = NoGrad.enter()) {
            model.forward(Tensor.randn(new Generator(4), 8, 3)); // training mode: updates the running statistics
        }
        model.eval();
        Path file = dir.resolve("bn.safetensors");
        ModelFile.save(file, model, spec, List.of("no", "yes"), null);

        ModelFile loaded = ModelFile.load(file);
        assertEquals(List.of("no", "yes"), loaded.classNames(), "one output may name two classes");
        Map<String, Tensor> state = loaded.model().stateDict();
        assertArrayEquals(model.stateDict().get("1.running_mean").toArray(), state.get("1.running_mean").toArray());
        assertEquals(1f, state.get("1.num_batches_tracked").item());
        Tensor batch = Tensor.randn(new Generator(5), 6, 3);
        assertArrayEquals(outputs(model, batch), outputs((Sequential) loaded.model(), batch));
    }

    @Test
    void aFileWithoutASpecIsNotAModelFile() throws IOException {
        Path file = dir.resolve("weights.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.vector(1, 2)), Map.of("format", "pt"));
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFile.load(file));
        assertEquals(file + ": has no soma.spec in its metadata: not a Soma model file; its tensors can still be read"
                + " with Safetensors.read", e.getMessage());
    }

    @Test
    void rejectsABrokenSpecClassListOrWeightsNamingTheFile() throws IOException {
        ModelSpec spec = Models.named("mlp", new int[] {2}, 2);
        Map<String, Tensor> weights = spec.build(new Generator(1)).stateDict();
        Path file = dir.resolve("m.safetensors");

        Safetensors.write(file, weights, Map.of(ModelFile.SPEC_KEY, ModelSpecJson.toJson(spec).replace("\"in_features\":2", "\"in_features\":3")));
        assertEquals(file + ": soma.spec: layer 0 (linear): expects 3 input features, the input gives 2",
                assertThrows(FileFormatException.class, () -> ModelFile.load(file)).getMessage());

        Safetensors.write(file, weights, Map.of(ModelFile.SPEC_KEY, ModelSpecJson.toJson(spec), ModelFile.CLASSES_KEY, "[\"a\",1]"));
        assertEquals(file + ": soma.classes: class 1 is the integer 1, expected a string",
                assertThrows(FileFormatException.class, () -> ModelFile.load(file)).getMessage());

        Safetensors.write(file, weights, Map.of(ModelFile.SPEC_KEY, ModelSpecJson.toJson(spec), ModelFile.CLASSES_KEY, "[\"a\",\"b\",\"c\"]"));
        assertEquals(file + ": soma.classes: 3 class names for a model whose output is [2]",
                assertThrows(FileFormatException.class, () -> ModelFile.load(file)).getMessage());

        Map<String, Tensor> missing = new LinkedHashMap<>(weights);
        missing.remove("4.bias");
        Safetensors.write(file, missing, Map.of(ModelFile.SPEC_KEY, ModelSpecJson.toJson(spec)));
        String message = assertThrows(FileFormatException.class, () -> ModelFile.load(file)).getMessage();
        assertTrue(message.startsWith(file + ": the weights do not fit soma.spec: "), message);
        assertTrue(message.contains("missing keys [4.bias]"), message);
    }

    @Test
    void saveRejectsAModelThatIsNotItsSpecAndReservedKeys() {
        ModelSpec spec = Models.named("mlp", new int[] {2}, 2);
        Path file = dir.resolve("never.safetensors");
        Sequential other = Models.named("mlp", new int[] {3}, 2).build(new Generator(1));
        assertEquals("the model's 0.weight has shape [256, 3], its spec's has [256, 2]", assertThrows(
                IllegalArgumentException.class, () -> ModelFile.save(file, other, spec, List.of(), Map.of())).getMessage());
        Sequential model = spec.build(new Generator(1));
        assertEquals("3 class names for a model whose output is [2]", assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(file, model, spec, List.of("a", "b", "c"), Map.of())).getMessage());
        assertEquals("extra metadata cannot set soma.spec, which save writes", assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(file, model, spec, List.of(), Map.of(ModelFile.SPEC_KEY, "{}"))).getMessage());
        assertFalse(file.toFile().exists());
    }

    /**
     * Found by fuzzing (SafetensorsFuzzTest.modelSpec): a spec of a few bytes built its network before
     * the weights were compared, and {@code linear} 40000 → 40000 asked for 6.4 GB.
     */
    @Test
    void aSpecNeedingMoreWeightsThanTheFileHoldsIsRefusedBeforeItIsBuilt() throws IOException {
        Path file = dir.resolve("big.safetensors");
        String spec = "{\"format\":\"soma-model/1\",\"input\":[40000],\"layers\":[{\"type\":\"linear\","
                + "\"in_features\":40000,\"out_features\":40000,\"bias\":true}]}";
        Safetensors.write(file, Map.of("0.bias", Tensor.zeros(40000)), Map.of(ModelFile.SPEC_KEY, spec));
        assertThrows(FileFormatException.class, () -> ModelFile.load(file)); // loads the classes a first call needs
        long before = Fuzzing.allocatedBytes();
        FileFormatException error = assertThrows(FileFormatException.class, () -> ModelFile.load(file));
        long allocated = Fuzzing.allocatedBytes() - before;
        assertEquals(file + ": the weights do not fit soma.spec: its layers hold 1,600,040,000 numbers, the file 40,000",
                error.getMessage());
        assertTrue(allocated < 32 << 20, allocated + " bytes allocated");
    }
}

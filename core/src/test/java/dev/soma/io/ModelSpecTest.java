package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm1d;
import dev.soma.nn.BatchNorm2d;
import dev.soma.nn.Conv2d;
import dev.soma.nn.Dropout;
import dev.soma.nn.Flatten;
import dev.soma.nn.GELU;
import dev.soma.nn.Identity;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.LeakyReLU;
import dev.soma.nn.Linear;
import dev.soma.nn.LogSoftmax;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.Softmax;
import dev.soma.nn.Tanh;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built-in architectures, JSON both ways, shape checking, and the models specs build. */
class ModelSpecTest {

    @TempDir
    Path dir;

    /** Each parameter and buffer name with its shape, in state-dict order. */
    private static Map<String, List<Integer>> shapes(Module model) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> out.put(name, java.util.Arrays.stream(t.shape()).boxed().toList()));
        return out;
    }

    // ---------------------------------------------------------------- built-ins

    @Test
    void builtinMlpHasPyTorchsSequentialNames() {
        ModelSpec mlp = Models.forMnist("mlp");
        assertArrayEquals(new int[] {1, 28, 28}, mlp.input());
        assertEquals(List.of("flatten", "linear", "relu", "linear", "relu", "linear"),
                mlp.layers().stream().map(LayerSpec::type).toList());
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        expected.put("1.weight", List.of(256, 784));
        expected.put("1.bias", List.of(256));
        expected.put("3.weight", List.of(128, 256));
        expected.put("3.bias", List.of(128));
        expected.put("5.weight", List.of(10, 128));
        expected.put("5.bias", List.of(10));
        assertEquals(expected, shapes(mlp.build(new Generator(1))));
        assertArrayEquals(new int[] {10}, mlp.outputShape());
        assertEquals(10, mlp.numClasses());
    }

    @Test
    void builtinCnnHasPyTorchsSequentialNamesAndRuns() {
        ModelSpec cnn = Models.forMnist("cnn");
        Sequential model = cnn.build(new Generator(2));
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        expected.put("0.weight", List.of(16, 1, 3, 3));
        expected.put("0.bias", List.of(16));
        expected.put("3.weight", List.of(32, 16, 3, 3));
        expected.put("3.bias", List.of(32));
        expected.put("7.weight", List.of(128, 1568));
        expected.put("7.bias", List.of(128));
        expected.put("9.weight", List.of(10, 128));
        expected.put("9.bias", List.of(10));
        assertEquals(expected, shapes(model));
        assertArrayEquals(new int[] {3, 10}, model.forward(Tensor.rand(new Generator(3), 3, 1, 28, 28)).shape());
        assertEquals(Models.named("cnn", new int[] {1, 28, 28}, 10), cnn);
        assertEquals(List.of("mlp", "cnn"), Models.names());
    }

    @Test
    void builtinsAdaptToOtherInputsAndClassCounts() {
        ModelSpec toy = Models.named("mlp", new int[] {2}, 3);
        assertEquals(new Linear.Spec(2, 256), toy.layers().get(0), "no flatten before a vector input");
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                List.copyOf(toy.build(new Generator(4)).stateDict().keySet()));
        assertArrayEquals(new int[] {5, 3}, toy.build(new Generator(4)).forward(Tensor.rand(new Generator(5), 5, 2)).shape());

        ModelSpec color = Models.named("cnn", new int[] {3, 32, 32}, 100);
        assertEquals(new Linear.Spec(32 * 8 * 8, 128), color.layers().get(7));
        assertEquals(100, color.numClasses());
        // Odd sizes round down at each pooling: 7×9 → 3×4 → 1×2.
        ModelSpec odd = Models.named("cnn", new int[] {1, 7, 9}, 2);
        assertEquals(new Linear.Spec(64, 128), odd.layers().get(7));
        assertArrayEquals(new int[] {2, 2}, odd.build(new Generator(6)).forward(Tensor.rand(new Generator(7), 2, 1, 7, 9)).shape());
    }

    @Test
    void rejectsUnknownBuiltinsAndInputsTheyCannotTake() {
        assertEquals("unknown model 'resnet'; built-in models: mlp, cnn",
                assertThrows(IllegalArgumentException.class, () -> Models.forMnist("resnet")).getMessage());
        assertEquals("cnn needs images [C, H, W] with H and W ≥ 4, got [2]",
                assertThrows(IllegalArgumentException.class, () -> Models.named("cnn", new int[] {2}, 2)).getMessage());
        assertEquals("cnn needs images [C, H, W] with H and W ≥ 4, got [1, 3, 28]", assertThrows(IllegalArgumentException.class,
                () -> Models.named("cnn", new int[] {1, 3, 28}, 2)).getMessage());
        assertEquals("a model needs at least 1 class, got 0", assertThrows(IllegalArgumentException.class,
                () -> Models.named("mlp", new int[] {2}, 0)).getMessage());
    }

    // ---------------------------------------------------------------- JSON

    @Test
    void writesCompactJsonWithEveryField() {
        ModelSpec spec = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 3, false),
                new LeakyReLU.Spec(0.2f), new Dropout.Spec(0.5f), new Softmax.Spec(1)));
        assertEquals("{\"format\":\"soma-model/1\",\"input\":[2],\"layers\":["
                + "{\"type\":\"linear\",\"in_features\":2,\"out_features\":3,\"bias\":false},"
                + "{\"type\":\"leaky_relu\",\"negative_slope\":0.2},"
                + "{\"type\":\"dropout\",\"p\":0.5},"
                + "{\"type\":\"softmax\",\"dim\":1}]}", ModelSpecJson.toJson(spec));
        assertEquals("ModelSpec[input=[2], layers=[linear{in_features=2, out_features=3, bias=false},"
                + " leaky_relu{negative_slope=0.2}, dropout{p=0.5}, softmax{dim=1}]]", spec.toString());
    }

    @Test
    void roundTripsEveryLayerTypeAndBuildsIt() {
        ModelSpec spec = new ModelSpec(new int[] {3, 8, 8}, List.of(
                new Conv2d.Spec(3, 4, 3, 1, 1, 1, false),
                new BatchNorm2d.Spec(4),
                ReLU.SPEC,
                new MaxPool2d.Spec(2, 2, 0, 1),
                new AvgPool2d.Spec(3, 1, 1),
                new LeakyReLU.Spec(0.1f),
                GELU.SPEC,
                new Conv2d.Spec(4, 2, 2, 2, 0, 1, true), // 4×4 → 2×2
                new Flatten.Spec(1, -1),
                new BatchNorm1d.Spec(8),
                new Linear.Spec(8, 6),
                Sigmoid.SPEC,
                Tanh.SPEC,
                new Dropout.Spec(0.25f),
                Identity.SPEC,
                new LogSoftmax.Spec(-1),
                new Softmax.Spec(1)));
        ModelSpec back = ModelSpecJson.fromJson(ModelSpecJson.toJson(spec));
        assertEquals(spec, back);
        assertEquals(spec.hashCode(), back.hashCode());
        assertEquals(ModelSpecJson.toJson(spec), ModelSpecJson.toJson(back));

        Sequential model = back.build(new Generator(8));
        assertEquals(17, model.size());
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "7.weight", "7.bias", "9.weight", "9.bias", "9.running_mean", "9.running_var",
                "9.num_batches_tracked", "10.weight", "10.bias"), List.copyOf(model.stateDict().keySet()));
        assertArrayEquals(new int[] {6}, spec.outputShape());
        assertArrayEquals(new int[] {4, 6}, model.forward(Tensor.rand(new Generator(9), 4, 3, 8, 8)).shape());
    }

    @Test
    void readsPyTorchsDefaultsForOptionalFields() {
        ModelSpec spec = ModelSpecJson.fromJson("{\"format\":\"soma-model/1\",\"input\":[1,4,4],\"layers\":["
                + "{\"type\":\"maxpool2d\",\"kernel_size\":2},"
                + "{\"type\":\"conv2d\",\"in_channels\":1,\"out_channels\":2,\"kernel_size\":1},"
                + "{\"type\":\"avgpool2d\",\"kernel_size\":2},"
                + "{\"type\":\"flatten\"},{\"type\":\"dropout\"},{\"type\":\"leaky_relu\"},"
                + "{\"type\":\"linear\",\"in_features\":2,\"out_features\":1}]}");
        assertEquals(List.of(new MaxPool2d.Spec(2, 2, 0, 1), new Conv2d.Spec(1, 2, 1, 1, 0, 1, true),
                new AvgPool2d.Spec(2, 2, 0), new Flatten.Spec(1, -1), new Dropout.Spec(0.5f),
                new LeakyReLU.Spec(0.01f), new Linear.Spec(2, 1)), spec.layers());
    }

    @Test
    void readsASpecFileAndNamesTheFileInErrors() throws IOException {
        Path good = Files.writeString(dir.resolve("good.json"), ModelSpecJson.toJson(Models.forMnist("cnn")));
        assertEquals(Models.forMnist("cnn"), ModelSpecJson.read(good));

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\":\"soma-model/1\",\"input\":[2,28,28],"
                + "\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"in_features\":784,\"out_features\":10}]}");
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelSpecJson.read(bad));
        assertEquals(bad + ": layer 1 (linear): expects 784 input features, the previous layers give 1568", e.getMessage());

        Path latin1 = Files.write(dir.resolve("latin1.json"), new byte[] {'{', (byte) 0xE9, '}'});
        assertEquals(latin1 + ": not valid UTF-8",
                assertThrows(FileFormatException.class, () -> ModelSpecJson.read(latin1)).getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"format\":");
        assertTrue(assertThrows(FileFormatException.class, () -> ModelSpecJson.read(broken)).getMessage()
                .startsWith(broken + ": not valid JSON at line 1"));
    }

    @Test
    void shapeInferenceAgreesWithTheModulesItBuilds() {
        int[][] flattens = {{1, -1}, {1, 2}, {2, 3}, {2, -1}, {3, 3}, {-2, -1}, {1, 1}};
        for (int[] dims : flattens) {
            ModelSpec spec = new ModelSpec(new int[] {2, 3, 4}, List.of(new Flatten.Spec(dims[0], dims[1])));
            int[] batched = spec.build(new Generator(1)).forward(Tensor.rand(new Generator(2), 5, 2, 3, 4)).shape();
            int[] expected = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(5),
                    java.util.Arrays.stream(spec.outputShape())).toArray();
            assertArrayEquals(expected, batched, "flatten " + dims[0] + ", " + dims[1]);
        }
        ModelSpec windows = new ModelSpec(new int[] {2, 9, 7}, List.of(new Conv2d.Spec(2, 3, 3, 2, 1, 2, true),
                new MaxPool2d.Spec(3, 1, 1, 1), new AvgPool2d.Spec(2, 3, 1), new BatchNorm2d.Spec(3)));
        int[] batched = windows.build(new Generator(3)).forward(Tensor.rand(new Generator(4), 2, 2, 9, 7)).shape();
        assertArrayEquals(new int[] {2, 3, 2, 2}, batched);
        assertArrayEquals(new int[] {3, 2, 2}, windows.outputShape());
        ModelSpec sequence = new ModelSpec(new int[] {4, 6}, List.of(new BatchNorm1d.Spec(4), new Linear.Spec(6, 2)));
        assertArrayEquals(new int[] {4, 2}, sequence.outputShape());
        assertArrayEquals(new int[] {3, 4, 2}, sequence.build(new Generator(5)).forward(Tensor.rand(new Generator(6), 3, 4, 6)).shape());
    }

    @Test
    void copiesItsInputAndLayers() {
        int[] input = {2};
        List<LayerSpec> layers = new ArrayList<>(List.of(new Linear.Spec(2, 1)));
        ModelSpec spec = new ModelSpec(input, layers);
        input[0] = 5;
        layers.add(ReLU.SPEC);
        assertArrayEquals(new int[] {2}, spec.input());
        assertEquals(1, spec.layers().size());
        assertNotSame(spec.input(), spec.input());
        assertThrows(UnsupportedOperationException.class, () -> spec.layers().add(ReLU.SPEC));
    }

    @Test
    void anEmptyStackIsTheIdentityAndAnImageOutputHasNoClassCount() {
        ModelSpec empty = new ModelSpec(new int[] {4}, List.of());
        assertEquals(4, empty.numClasses());
        ModelSpec images = new ModelSpec(new int[] {1, 4, 4}, List.of(ReLU.SPEC));
        assertEquals("the output [1, 4, 4] is not a vector of class scores",
                assertThrows(IllegalStateException.class, images::numClasses).getMessage());
    }
}

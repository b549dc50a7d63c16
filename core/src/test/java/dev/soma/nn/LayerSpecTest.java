package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every layer that model files hold describes itself, and its description builds the same layer. */
class LayerSpecTest {

    /** One module of every registered type, each with settings other than the defaults where it has any. */
    static Stream<Module> everyKindOfLayer() {
        Generator g = new Generator(3);
        return Stream.of(
                new Linear.Spec(5, 3).bias(false).build(g), new Linear(2, 4, g),
                new Conv2d.Spec(2, 3, 5).stride(2).padding(1).dilation(2).bias(false).build(g), new Conv2d(1, 2, 3),
                new MaxPool2d(3, 2, 1, 2), new MaxPool2d(2), new AvgPool2d(3, 1, 1),
                new MaxPool2d(new MaxPool2d.Spec(new Pair(2, 3)).stride(new Pair(1, 2)).padding(new Pair(1, 0))
                        .dilation(new Pair(2, 1)).ceilMode(true)),
                new AvgPool2d(new AvgPool2d.Spec(new Pair(3, 2)).stride(new Pair(2, 1)).padding(new Pair(1, 1))
                        .ceilMode(true).countIncludePad(false).divisorOverride(5)),
                new BatchNorm1d(4, 1e-3f, 0.2f, false), new BatchNorm2d(6),
                new ReLU(), new Sigmoid(), new Tanh(), new LeakyReLU(0.2f), new GELU(), new Identity(),
                new Softmax(-1), new LogSoftmax(1), new Dropout(0.25f), new Flatten(2, 3),
                new Conv2d.Spec(4, 6, new Pair(2, 3)).groups(2).paddingSame().build(g),
                new ConvTranspose2d(new ConvTranspose2d.Spec(4, 2, Pair.of(3), Pair.of(2), Pair.of(1), Pair.of(1), 2,
                        true, Pair.of(1)), g),
                new Conv1d(new Conv1d.Spec(4, 6, 3, 1, 0, true, 1, 2, true), g),
                new LayerNorm(new LayerNorm.Spec(List.of(3, 4), 1e-3f, true)),
                new LayerNorm(new LayerNorm.Spec(List.of(5), 1e-5f, false)),
                new Embedding(new Embedding.Spec(10, 4, 0), g), new AdaptiveAvgPool2d(new Pair(2, 4)),
                new Softplus(2, 5), new Dropout2d(0.3f, g), new Unflatten(1, 2, 6));
    }

    /** What a model file checks before building: the spec's count of the state dict's numbers, without building. */
    @ParameterizedTest
    @MethodSource("everyKindOfLayer")
    void stateElementsCountsTheStateDict(Module layer) {
        long numbers = layer.stateDict().values().stream().mapToLong(Tensor::numel).sum();
        assertEquals(numbers, layer.spec().stateElements());
    }

    @ParameterizedTest
    @MethodSource("everyKindOfLayer")
    void theSpecBuildsTheSameLayer(Module layer) {
        LayerSpec spec = layer.spec();
        Module rebuilt = spec.build(new Generator(0));
        assertSame(layer.getClass(), rebuilt.getClass());
        assertEquals(layer.toString(), rebuilt.toString(), "the printed form shows every setting");
        assertEquals(spec, rebuilt.spec());
        assertEquals(shapes(layer), shapes(rebuilt));
        assertEquals(spec, LayerRegistry.read(spec.type(), new LayerArgs(spec.args())), "read back from its own fields");
    }

    @Test
    void everyRegisteredTypeOfSomasIsCovered() {
        List<String> covered = everyKindOfLayer().map(m -> m.spec().type()).distinct().toList();
        List<String> soma = new ArrayList<>(LayerRegistry.types());
        soma.retainAll(covered);
        // The registry lists Soma's 24 types first, then any a test registered (CustomLayerTest).
        assertEquals(LayerRegistry.types().subList(0, 24), soma);
    }

    @Test
    void buildingFromASpecDrawsTheSameWeightsAsTheConstructor() {
        Linear direct = new Linear(7, 3, new Generator(11));
        Linear built = new Linear.Spec(7, 3).build(new Generator(11));
        assertArrayEquals(direct.weight().toArray(), built.weight().toArray());
        assertArrayEquals(direct.bias().toArray(), built.bias().toArray());
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1);
        assertEquals(new Conv2d.Spec(2, 3, 3).padding(1), conv.spec());
    }

    @Test
    void aSequentialIsDescribedByItsLayers() {
        ModelSpec mlp = Models.mlp(new int[] {1, 28, 28}, 10);
        Sequential model = mlp.build(new Generator(0));
        assertEquals(mlp, ModelSpec.of(new int[] {1, 28, 28}, model));
        ModelSpec cnn = Models.cnn(new int[] {3, 32, 32}, 4);
        assertEquals(cnn, ModelSpec.of(new int[] {3, 32, 32}, cnn.build(new Generator(0))));
    }

    @Test
    void layersWithoutHyperparametersShareOneSpec() {
        assertSame(ReLU.SPEC, new ReLU().spec());
        assertSame(ReLU.SPEC, LayerRegistry.read("relu", new LayerArgs(Map.of())));
        assertNotSame(new ReLU(), ReLU.SPEC.build());
        assertEquals("relu()", ReLU.SPEC.toString());
    }

    @Test
    void dropoutDrawsItsMasksFromTheGeneratorItWasBuiltWith() {
        Module a = new Dropout.Spec(0.5f).build(new Generator(5));
        Module b = new Dropout(0.5f, new Generator(5));
        Tensor x = Tensor.ones(4, 8);
        assertArrayEquals(b.forward(x).toArray(), a.forward(x).toArray());
    }

    private static Map<String, List<Integer>> shapes(Module module) {
        Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
        module.stateDict().forEach((name, t) -> out.put(name, java.util.Arrays.stream(t.shape()).boxed().toList()));
        return out;
    }
}

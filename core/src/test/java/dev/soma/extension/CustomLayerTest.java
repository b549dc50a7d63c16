package dev.soma.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.io.FileFormatException;
import dev.soma.io.ModelFile;
import dev.soma.io.ModelSpecJson;
import dev.soma.nn.LayerArgs;
import dev.soma.nn.LayerRegistry;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer that Soma does not have, defined here, in a package of its own, with nothing but the
 * public API, and carried through a model file: adding a layer to model files is one class (the
 * module, its spec and a reader) and its tests; neither {@code dev.soma.io} nor the registry's
 * source changes.
 */
class CustomLayerTest {

    /**
     * {@code y = x ⊙ γ + β}: a learned scale and shift per feature (LayerNorm's affine part alone),
     * with a hyperparameter of each kind a spec can hold.
     */
    static final class ScaleShift extends Module {

        /** {@code scale_shift(num_features, init, shift)}: γ starts at {@code init}; β exists when {@code shift}. */
        record Spec(int numFeatures, float init, boolean shift) implements LayerSpec {
            Spec {
                if (numFeatures < 1) {
                    throw new IllegalArgumentException("num_features must be ≥ 1, got " + numFeatures);
                }
            }

            static Spec read(LayerArgs args) {
                return new Spec(args.integer("num_features"), args.number("init", 1f), args.bool("shift", true));
            }

            @Override
            public String type() {
                return "scale_shift";
            }

            @Override
            public Map<String, Object> args() {
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("num_features", numFeatures);
                args.put("init", init);
                args.put("shift", shift);
                return args;
            }

            @Override
            public int[] outputShape(int[] input, String given) {
                if (input[input.length - 1] != numFeatures) {
                    throw new IllegalArgumentException("expects " + numFeatures + " features, " + given + " "
                            + input[input.length - 1]);
                }
                return input.clone();
            }

            @Override
            public ScaleShift build(Generator generator) {
                return new ScaleShift(this);
            }
        }

        private final Spec spec;
        private final Tensor weight;
        private final Tensor bias;

        ScaleShift(Spec spec) {
            this.spec = spec;
            this.weight = registerParameter("weight", Tensor.full(spec.init(), spec.numFeatures()));
            this.bias = spec.shift() ? registerParameter("bias", Tensor.zeros(spec.numFeatures())) : null;
        }

        @Override
        public Spec spec() {
            return spec;
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor scaled = input.mul(weight);
            return bias == null ? scaled : scaled.add(bias);
        }
    }

    /** How model files read the layer; registered once, before any file that holds one is read. */
    static final LayerRegistry.Reader SCALE_SHIFT = ScaleShift.Spec::read;

    static {
        LayerRegistry.register("scale_shift", SCALE_SHIFT);
    }

    @TempDir
    Path dir;

    @Test
    void aLayerDefinedOutsideSomaRoundTripsThroughAModelFile() throws IOException {
        Generator generator = new Generator(7);
        Sequential model = new Sequential(new Linear(3, 4, generator), new ScaleShift(new ScaleShift.Spec(4, 0.5f, true)),
                new ReLU(), new Linear(4, 2, generator), new ScaleShift(new ScaleShift.Spec(2, 2f, false)));
        try (NoGrad scope = NoGrad.enter()) { // weights a fresh build would not have
            model.namedParameters().forEach((name, p) -> p.addInPlace(Tensor.randn(generator, p.shape()), 0.1f));
        }
        ModelSpec spec = ModelSpec.of(new int[] {3}, model);
        Path file = dir.resolve("scaled.safetensors");
        ModelFile.save(file, model, spec, List.of("yes", "no"), Map.of());

        ModelFile loaded = ModelFile.load(file);

        assertEquals(spec, loaded.spec());
        assertInstanceOf(ScaleShift.class, ((Sequential) loaded.model()).get(1));
        assertEquals(new ScaleShift.Spec(2, 2f, false), ((Sequential) loaded.model()).get(4).spec());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight"),
                List.copyOf(loaded.model().stateDict().keySet()));
        Tensor x = Tensor.randn(generator, 5, 3);
        model.eval();
        assertArrayEquals(model.forward(x).toArray(), loaded.model().forward(x).toArray());
        assertTrue(loaded.metadata().get(ModelFile.SPEC_KEY).contains(
                "{\"type\":\"scale_shift\",\"num_features\":4,\"init\":0.5,\"shift\":true}"),
                loaded.metadata().get(ModelFile.SPEC_KEY));
    }

    @Test
    void itsFieldsAreCheckedLikeSomasOwn() {
        String json = "{\"format\":\"soma-model/1\",\"input\":[3],\"layers\":[{\"type\":\"scale_shift\",%s}]}";
        assertEquals("layer 0 (scale_shift): missing field 'num_features'",
                assertThrows(IllegalArgumentException.class, () -> ModelSpecJson.fromJson(json.formatted("\"init\":2")))
                        .getMessage());
        assertEquals("layer 0 (scale_shift): unknown field 'scale'", assertThrows(IllegalArgumentException.class,
                () -> ModelSpecJson.fromJson(json.formatted("\"num_features\":3,\"scale\":2"))).getMessage());
        assertEquals("layer 0 (scale_shift): num_features must be ≥ 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> ModelSpecJson.fromJson(json.formatted("\"num_features\":0"))).getMessage());
        assertEquals("layer 0 (scale_shift): expects 4 features, the input gives 3", assertThrows(
                IllegalArgumentException.class, () -> ModelSpecJson.fromJson(json.formatted("\"num_features\":4")))
                .getMessage());
        assertEquals(new ScaleShift.Spec(3, 1f, true),
                ModelSpecJson.fromJson(json.formatted("\"num_features\":3")).layers().getFirst(), "defaults");
    }

    @Test
    void aTypeNobodyRegisteredIsAClearErrorAndATypeTakenTwiceIsRefused() throws IOException {
        String json = "{\"format\":\"soma-model/1\",\"input\":[3],\"layers\":[{\"type\":\"never_registered\"}]}";
        String message = assertThrows(IllegalArgumentException.class, () -> ModelSpecJson.fromJson(json)).getMessage();
        assertTrue(message.startsWith("layer 0: unknown type 'never_registered'; known types: linear, conv2d,"), message);
        assertTrue(message.contains("scale_shift"), message);

        LayerRegistry.register("scale_shift", SCALE_SHIFT); // the same reader again: nothing happens
        assertEquals("layer type 'linear' is already registered", assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.register("linear", SCALE_SHIFT)).getMessage());
    }

    @Test
    void aModuleWithoutASpecCannotBeDescribed() {
        Module anonymous = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        };
        String message = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.of(new int[] {2}, new Sequential(new ReLU(), anonymous))).getMessage();
        assertTrue(message.startsWith("layer 1: "), message);
        assertTrue(message.contains("has no spec"), message);
    }
}

package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registration, PyTorch's dotted names, modes, gradients, state dicts and the printed tree. */
class ModuleTest {

    /** {@code Sequential(Linear(2, 4), Tanh(), Linear(4, 1))}, initialised from {@code seed}. */
    private static Sequential mlp(long seed) {
        Generator generator = new Generator(seed);
        return new Sequential(new Linear(2, 4, generator), new Tanh(), new Linear(4, 1, generator));
    }

    /** {@code Sequential(Linear(3, 5), Sequential(Linear(5, 2), ReLU(), Linear(2, 2, bias=False)))}. */
    private static Sequential nested(long seed) {
        Generator generator = new Generator(seed);
        return new Sequential(new Linear(3, 5, generator),
                new Sequential(new Linear(5, 2, generator), new ReLU(), new Linear.Spec(2, 2).bias(false).build(generator)));
    }

    /** Parameters and children registered interleaved, to pin down the order of names. */
    private static final class Interleaved extends Module {
        Interleaved(Generator generator) {
            registerParameter("scale", Tensor.ones(3));
            registerModule("encoder", new Linear(3, 2, generator));
            registerParameter("offset", Tensor.zeros(2));
            registerModule("decoder", new Linear.Spec(2, 3).bias(false).build(generator));
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor hidden = namedChildren().get("encoder").forward(input.mul(namedParameters().get("scale")));
            return namedChildren().get("decoder").forward(hidden.add(namedParameters().get("offset")));
        }
    }

    /** A module that registers whatever names a test gives it. */
    private static final class Registrar extends Module {
        Tensor parameter(String name) {
            return registerParameter(name, Tensor.zeros(1));
        }

        Tensor buffer(String name) {
            return registerBuffer(name, Tensor.zeros(1));
        }

        Module child(String name) {
            return registerModule(name, new Identity());
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    /** A module with settings and children, printed as PyTorch prints such a module. */
    private static final class Block extends Module {
        Block(Generator generator) {
            registerModule("fc", new Linear(2, 2, generator));
            registerModule("act", new LeakyReLU(0.2f));
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        protected String extraRepr() {
            return "residual=True";
        }
    }

    private static Map<String, float[]> snapshot(Module module) {
        Map<String, float[]> values = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> values.put(name, p.toArray()));
        return values;
    }

    private static void assertUnchanged(Map<String, float[]> before, Module module) {
        Map<String, float[]> after = snapshot(module);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, values) -> assertArrayEquals(values, after.get(name), name + " changed"));
    }

    // ---------------------------------------------------------------- names and order

    @Test
    void sequentialNamesParametersLikePyTorch() {
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(mlp(1).namedParameters().keySet()));
    }

    @Test
    void nestedSequentialNamesAreDottedPaths() {
        assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.2.weight"),
                List.copyOf(nested(2).namedParameters().keySet()));
    }

    @Test
    void ownParametersComeFirstInRegistrationOrderThenEachChild() {
        // PyTorch's named_parameters(): the module's own parameters, then each child's, recursively.
        Interleaved module = new Interleaved(new Generator(3));
        assertEquals(List.of("scale", "offset", "encoder.weight", "encoder.bias", "decoder.weight"),
                List.copyOf(module.namedParameters().keySet()));
        assertEquals(List.of("encoder", "decoder"), List.copyOf(module.namedChildren().keySet()));
    }

    @Test
    void parametersAreTheLayersOwnTensorsInNameOrder() {
        Sequential model = mlp(4);
        Linear first = (Linear) model.get(0);
        Linear last = (Linear) model.get(2);
        List<Tensor> parameters = model.parameters();
        assertEquals(4, parameters.size());
        assertSame(first.weight(), parameters.get(0));
        assertSame(first.bias(), parameters.get(1));
        assertSame(last.weight(), parameters.get(2));
        assertSame(last.bias(), parameters.get(3));
        assertEquals(List.copyOf(model.namedParameters().values()), parameters);
        for (Tensor p : parameters) {
            assertTrue(p.requiresGrad());
            assertTrue(p.isLeaf());
        }
    }

    @Test
    void parameterCountSumsElementCounts() {
        assertEquals(2 * 4 + 4 + 4 * 1 + 1, mlp(5).parameterCount());
        assertEquals(3 * 5 + 5 + 5 * 2 + 2 + 2 * 2, nested(5).parameterCount());
        assertEquals(3 + 2 + 3 * 2 + 2 + 2 * 3, new Interleaved(new Generator(5)).parameterCount());
        assertEquals(0, new Sequential(new ReLU(), new Tanh()).parameterCount());
    }

    @Test
    void duplicateNamesAreRejected() {
        Registrar module = new Registrar();
        module.parameter("weight");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> module.parameter("weight"));
        assertTrue(twice.getMessage().contains("'weight' is already registered"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> module.child("weight"));
        assertThrows(IllegalArgumentException.class, () -> module.buffer("weight"));
        module.child("layer");
        assertThrows(IllegalArgumentException.class, () -> module.parameter("layer"));
        assertEquals(List.of("weight"), List.copyOf(module.namedParameters().keySet()));
    }

    @Test
    void dottedAndEmptyNamesAreRejected() {
        Registrar module = new Registrar();
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class, () -> module.parameter("fc.weight"));
        assertTrue(dotted.getMessage().contains("'fc.weight'"), dotted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> module.child("a.b"));
        assertThrows(IllegalArgumentException.class, () -> module.buffer("x.y"));
        assertThrows(IllegalArgumentException.class, () -> module.parameter(""));
        assertThrows(IllegalArgumentException.class, () -> module.child(null));
        assertTrue(module.namedParameters().isEmpty());
        assertTrue(module.namedChildren().isEmpty());
    }

    // ---------------------------------------------------------------- modes and gradients

    @Test
    void trainAndEvalReachEveryDescendant() {
        Dropout dropout = new Dropout(0.5f, new Generator(6));
        Sequential inner = new Sequential(new Linear(3, 3, new Generator(6)), dropout);
        Sequential model = new Sequential(inner, new ReLU());
        List<Module> all = List.of(model, inner, inner.get(0), dropout, model.get(1));
        all.forEach(m -> assertTrue(m.isTraining(), "modules start in training mode"));

        assertSame(model, model.eval());
        all.forEach(m -> assertFalse(m.isTraining(), m + " is still training after eval()"));
        Tensor x = Tensor.randn(new Generator(7), 4, 3);
        assertArrayEquals(x.toArray(), dropout.forward(x).toArray(), "dropout is the identity in eval mode");

        model.train();
        all.forEach(m -> assertTrue(m.isTraining(), m + " is not training after train()"));

        inner.train(false);
        assertTrue(model.isTraining(), "a child's mode does not change its parent");
        assertFalse(dropout.isTraining());
    }

    @Test
    void zeroGradZeroesEveryParameterGradient() {
        Sequential model = nested(8);
        model.forward(Tensor.randn(new Generator(9), 6, 3)).pow(2).sum().backward();
        for (Map.Entry<String, Tensor> entry : model.namedParameters().entrySet()) {
            assertNotNull(entry.getValue().grad(), entry.getKey() + " has no gradient");
        }
        double total = 0;
        for (Tensor p : model.parameters()) {
            for (float g : p.grad().toArray()) {
                total += Math.abs(g);
            }
        }
        assertTrue(total > 0, "backward left every gradient zero; the zeroGrad check would be empty");

        model.zeroGrad();
        model.namedParameters().forEach((name, p) -> {
            assertArrayEquals(new float[p.numel()], p.grad().toArray(), name + " gradient not zeroed");
            assertArrayEquals(p.shape(), p.grad().shape(), name);
        });
    }

    // ---------------------------------------------------------------- state dicts

    @Test
    void stateDictSharesStorageButHasNoGraph() {
        Sequential model = mlp(10);
        Map<String, Tensor> state = model.stateDict();
        assertEquals(List.copyOf(model.namedParameters().keySet()), List.copyOf(state.keySet()));
        model.namedParameters().forEach((name, p) -> {
            Tensor s = state.get(name);
            assertArrayEquals(p.shape(), s.shape(), name);
            assertArrayEquals(p.toArray(), s.toArray(), name);
            assertFalse(s.requiresGrad(), name + " in the state dict requires grad");
            assertNull(s.gradFnName(), name);
            assertFalse(s.mul(2).requiresGrad(), "ops on a state-dict tensor record a graph");
        });

        state.get("0.weight").set(42f, 1, 0);
        assertEquals(42f, ((Linear) model.get(0)).weight().get(1, 0), "the state dict does not share storage");
        try (NoGrad scope = NoGrad.enter()) {
            ((Linear) model.get(2)).bias().fill(-7f);
        }
        assertEquals(-7f, state.get("2.bias").item(), "a parameter update does not show in the state dict");
    }

    @Test
    void loadStateDictRoundTripGivesIdenticalOutputs() {
        Sequential source = nested(11);
        Sequential target = nested(12);
        Tensor x = Tensor.randn(new Generator(13), 5, 3);
        assertFalse(Arrays.equals(source.forward(x).toArray(), target.forward(x).toArray()),
                "two seeds gave the same model; the round trip would prove nothing");
        List<Tensor> parametersBefore = target.parameters();

        target.loadStateDict(source.stateDict());

        assertArrayEquals(source.forward(x).toArray(), target.forward(x).toArray());
        List<Tensor> parametersAfter = target.parameters();
        for (int i = 0; i < parametersBefore.size(); i++) {
            assertSame(parametersBefore.get(i), parametersAfter.get(i), "loading replaced a parameter tensor");
            assertTrue(parametersAfter.get(i).requiresGrad());
        }
        // The values were copied, not aliased: changing the source leaves the target alone.
        float loaded = ((Linear) target.get(0)).weight().get(0, 0);
        source.stateDict().get("0.weight").set(loaded + 1, 0, 0);
        assertEquals(loaded, ((Linear) target.get(0)).weight().get(0, 0));
    }

    @Test
    void missingKeysAreListedAndNothingIsLoaded() {
        Sequential target = mlp(14);
        Map<String, float[]> before = snapshot(target);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(15).stateDict());
        state.remove("0.bias");
        state.remove("2.bias");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        assertTrue(error.getMessage().contains("missing keys [0.bias, 2.bias]"), error.getMessage());
        assertTrue(error.getMessage().contains("unexpected keys []"), error.getMessage());
        assertUnchanged(before, target);
    }

    @Test
    void unexpectedKeysAreListedAndNothingIsLoaded() {
        Sequential target = mlp(16);
        Map<String, float[]> before = snapshot(target);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(17).stateDict());
        state.put("3.weight", Tensor.zeros(1, 1));
        state.put("extra", Tensor.zeros(2));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        assertTrue(error.getMessage().contains("missing keys []"), error.getMessage());
        assertTrue(error.getMessage().contains("unexpected keys [3.weight, extra]"), error.getMessage());
        assertUnchanged(before, target);
    }

    @Test
    void missingAndUnexpectedKeysAreReportedTogether() {
        Sequential target = mlp(18);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(19).stateDict());
        state.put("2.weights", state.remove("2.weight"));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        assertTrue(error.getMessage().contains("missing keys [2.weight]"), error.getMessage());
        assertTrue(error.getMessage().contains("unexpected keys [2.weights]"), error.getMessage());
    }

    @Test
    void shapeMismatchNamesTheKeyAndBothShapesAndLoadsNothing() {
        Sequential target = mlp(20);
        Map<String, float[]> before = snapshot(target);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(21).stateDict());
        // The bad entry is the last one, so a load that copied as it checked would have changed the rest.
        state.put("2.bias", Tensor.zeros(2));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        String message = error.getMessage();
        assertTrue(message.contains("2.bias"), message);
        assertTrue(message.contains("[2]"), message + " does not name the state's shape");
        assertTrue(message.contains("[1]"), message + " does not name the module's shape");
        assertUnchanged(before, target);
    }

    @Test
    void transposedWeightIsAShapeMismatchNotABroadcast() {
        Sequential target = mlp(22);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(23).stateDict());
        state.put("0.weight", state.get("0.weight").t());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        assertTrue(error.getMessage().contains("0.weight"), error.getMessage());
        assertTrue(error.getMessage().contains("[2, 4]") && error.getMessage().contains("[4, 2]"), error.getMessage());
    }

    @Test
    void buffersAreInTheStateDictButAreNotParameters() {
        Registrar module = new Registrar();
        module.parameter("weight");
        Tensor buffer = module.buffer("runningMean");
        assertEquals(List.of("weight"), List.copyOf(module.namedParameters().keySet()));
        assertEquals(List.of("weight", "runningMean"), List.copyOf(module.stateDict().keySet()));
        assertFalse(buffer.requiresGrad());

        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.vector(3f));
        state.put("runningMean", Tensor.vector(5f));
        module.loadStateDict(state);
        assertEquals(5f, buffer.item());
        assertEquals(3f, module.namedParameters().get("weight").item());
    }

    // ---------------------------------------------------------------- printing

    @Test
    void printsLikePyTorch() {
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=2, out_features=4, bias=True)
                  (1): Tanh()
                  (2): Linear(in_features=4, out_features=1, bias=True)
                )""", mlp(24).toString());
    }

    @Test
    void printsNestedModulesIndentedOneLevelPerDepth() {
        Sequential model = new Sequential(nested(25), new Sequential(new Sequential(new Dropout(0.5f, new Generator(1)))));
        assertEquals("""
                Sequential(
                  (0): Sequential(
                    (0): Linear(in_features=3, out_features=5, bias=True)
                    (1): Sequential(
                      (0): Linear(in_features=5, out_features=2, bias=True)
                      (1): ReLU()
                      (2): Linear(in_features=2, out_features=2, bias=False)
                    )
                  )
                  (1): Sequential(
                    (0): Sequential(
                      (0): Dropout(p=0.5)
                    )
                  )
                )""", model.toString());
    }

    @Test
    void printsSettingsBeforeChildren() {
        assertEquals("""
                Block(
                  residual=True
                  (fc): Linear(in_features=2, out_features=2, bias=True)
                  (act): LeakyReLU(negative_slope=0.2)
                )""", new Block(new Generator(26)).toString());
        assertEquals("Sequential()", new Sequential().toString());
    }

    @Test
    void sequentialAppliesLayersInOrder() {
        Sequential model = mlp(27);
        Tensor x = Tensor.randn(new Generator(28), 3, 2);
        Tensor expected = model.get(2).forward(model.get(1).forward(model.get(0).forward(x)));
        assertArrayEquals(expected.toArray(), model.forward(x).toArray());
        assertArrayEquals(new int[] {3, 1}, model.forward(x).shape());

        List<String> before = new ArrayList<>(model.namedParameters().keySet());
        model.add(new Linear(1, 2, new Generator(29)));
        assertEquals(4, model.size());
        before.addAll(List.of("3.weight", "3.bias"));
        assertEquals(before, List.copyOf(model.namedParameters().keySet()));
    }
}
